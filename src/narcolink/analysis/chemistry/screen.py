"""Screen one structure against the knowledge base, as the lists stood on a date.

Cheap filters first. Every input is parsed and split into fragments; a fragment whose
formula is not one the index knows needs no InChIKey, and one that matches none of the
skeleton gates cannot be one or two forward steps from anything listed, so it is cleared
without running a reaction. Only what passes a gate reaches the deep path: reaction
templates, the class definitions, similarity and scaffolds.
"""

from __future__ import annotations

from datetime import date

from rdkit import Chem

from narcolink.analysis.chemistry import structures
from narcolink.analysis.chemistry.deep import DeepPath
from narcolink.analysis.chemistry.index import (
    MIN_PRECURSOR_ATOMS,
    StructureIndex,
    get_index,
    scaffold_smiles,
)
from narcolink.analysis.chemistry.kb import Listing, Substance
from narcolink.analysis.chemistry.results import Reason, ReasonKind, ScreenResult
from narcolink.analysis.chemistry.wording import Fragment, listing_phrase

ISOMER_WORDS = ("isomers", "stereoisomers", "optical isomers")


class Screener(DeepPath):
    """Screens molecules as of one date. Cheap to make; the index is shared."""

    def __init__(
        self, as_of: date | None = None, index: StructureIndex | None = None, analogues: bool = True
    ) -> None:
        self.as_of = as_of or date.today()
        self.index = index or get_index()
        self.analogues = analogues

    # -- entry points --------------------------------------------------------------
    def screen_smiles(self, smiles: str, row: int | None = None, label: str = "") -> ScreenResult:
        mol = structures.parse_structure(smiles)
        if mol is None:
            result = ScreenResult(
                query=smiles,
                row=row,
                label=label,
                as_of=self.as_of.isoformat(),
                error="not a structure RDKit can read",
            )
            result.decide()
            return result
        return self.screen_mol(mol, query=smiles, row=row, label=label)

    def screen_mol(
        self, mol: Chem.Mol, query: str = "", row: int | None = None, label: str = ""
    ) -> ScreenResult:
        result = ScreenResult(query=query, row=row, label=label, as_of=self.as_of.isoformat())
        result.smiles = structures.canonical_smiles(mol) if query == "" else query
        frags = self._fragments(mol)
        for frag in frags:
            result.reasons.extend(self._cheap(frag, salt=len(frags) > 1))
        for frag in frags:
            if frag.mol.GetNumHeavyAtoms() >= MIN_PRECURSOR_ATOMS and self._gated(frag.mol):
                result.reasons.extend(self._deep(frag, result.reasons))
        result.reasons = _dedupe(result.reasons)
        result.decide()
        return result

    # -- cheap path ----------------------------------------------------------------
    def _fragments(self, mol: Chem.Mol) -> list[Fragment]:
        groups = Chem.GetMolFrags(mol) if mol.GetNumAtoms() else ()
        if len(groups) <= 1:
            frag = structures.fragments(mol)[0]
            return [Fragment(frag, tuple(range(mol.GetNumAtoms())))]
        parts = structures.fragments(mol)
        return [Fragment(p, tuple(g)) for p, g in zip(parts, groups, strict=True)]

    def _active(self, sid: str) -> list[Listing]:
        return self.index.kb.substances[sid].listings_on(self.as_of)

    def _cheap(self, frag: Fragment, salt: bool) -> list[Reason]:
        frag.formula = structures.formula(frag.mol)
        if frag.formula not in self.index.formulas:
            return []
        frag.key = structures.inchikey(frag.mol)
        reasons = self._identity(frag, frag.key, salt)
        if not any(r.kind in (ReasonKind.EXACT, ReasonKind.SALT) for r in reasons):
            deep_key = structures.inchikey(structures.deep_standardise(frag.mol))
            if deep_key != frag.key:  # a tautomer or charge form the cheap key missed
                reasons += self._identity(frag, deep_key, salt)
        return reasons

    def _identity(self, frag: Fragment, key: str, salt: bool) -> list[Reason]:
        reasons: list[Reason] = []
        everything = tuple(range(frag.mol.GetNumAtoms()))
        for sid in self.index.by_key.get(key, ()):
            s = self.index.kb.substances[sid]
            frag.excepted |= s.excepted_in(self.as_of)
            reasons.append(self._exact(s, frag, salt, everything))
        conn = structures.connectivity(key)
        exact_ids = set(self.index.by_key.get(key, ()))
        for sid in self.index.by_conn.get(conn, ()):
            if sid in exact_ids:
                continue
            s = self.index.kb.substances[sid]
            covered = [
                x
                for x in self._active(sid)
                if any(w in x.covers for w in ISOMER_WORDS) and x.jurisdiction not in frag.excepted
            ]
            if covered:
                reasons.append(
                    Reason(
                        ReasonKind.STEREOISOMER,
                        f"stereoisomer of {s.name}: controlled as such under "
                        f"{listing_phrase(covered)}",
                        0.9,
                        s.id,
                        s.name,
                        [x.to_dict() for x in covered],
                        highlight=frag.to_parent(everything),
                        controlled=True,
                    )
                )
        reasons += self._positional(frag, conn)
        for p in self.index.precursors.get(key, ()):
            reason = self._precursor_reason(p, frag, everything, ())
            if reason is not None:
                reasons.append(reason)
        return reasons

    def _exact(self, s: Substance, frag: Fragment, salt: bool, atoms: tuple[int, ...]) -> Reason:
        active = s.listings_on(self.as_of)
        highlight = frag.to_parent(atoms)
        kind = ReasonKind.SALT if salt else ReasonKind.EXACT
        form = f"a salt or mixture containing {s.name}" if salt else s.name
        if s.category == "excepted":
            return Reason(
                ReasonKind.EXCEPTED,
                f"{s.name}: specifically excepted ({s.source.split('exception: ')[-1]})",
                0.95,
                s.id,
                s.name,
                highlight=highlight,
            )
        if active:
            return Reason(
                kind,
                f"{form}: controlled under {listing_phrase(active)}",
                0.99 if not salt else 0.97,
                s.id,
                s.name,
                [x.to_dict() for x in active],
                highlight=highlight,
                controlled=True,
            )
        later = sorted(x for x in (s.first_listed,) if x is not None)
        if later and later[0] > self.as_of:
            text = (
                f"{form}: not yet controlled on {self.as_of.isoformat()} "
                f"(first listed {later[0].isoformat()})"
            )
        elif s.listings:
            text = f"{form}: no longer controlled on {self.as_of.isoformat()}"
        else:
            text = f"{form}: in the knowledge base as a substance of concern, not controlled"
        return Reason(ReasonKind.WATCH, text, 0.9, s.id, s.name, highlight=highlight)

    def _positional(self, frag: Fragment, conn: str) -> list[Reason]:
        reasons: list[Reason] = []
        scaffold = None
        for sid in self.index.by_formula.get(frag.formula, ()):
            covered = [x for x in self._active(sid) if "positional isomers" in x.covers]
            target = self.index.mols[sid]
            if (
                not covered
                or structures.connectivity(self.index.kb.substances[sid].inchikey) == conn
            ):
                continue
            scaffold = scaffold if scaffold is not None else scaffold_smiles(frag.mol)
            if (
                scaffold
                and scaffold == scaffold_smiles(target)
                and _groups(frag.mol) == _groups(target)
            ):
                s = self.index.kb.substances[sid]
                reasons.append(
                    Reason(
                        ReasonKind.POSITIONAL_ISOMER,
                        f"positional isomer of {s.name} (same formula, core and groups): "
                        f"{listing_phrase(covered)}",
                        0.7,
                        s.id,
                        s.name,
                        [x.to_dict() for x in covered],
                        highlight=frag.to_parent(tuple(range(frag.mol.GetNumAtoms()))),
                        controlled=True,
                    )
                )
        return reasons


_GROUPS = [
    Chem.MolFromSmarts(s)
    for s in (
        "[OX2H]",
        "[OX2]([#6])[#6]",
        "[CX3]=O",
        "[NX3;H2]",
        "[NX3;H1]",
        "[NX3;H0]",
        "[F,Cl,Br,I]",
        "c",
        "[R]",
    )
]


def _groups(mol: Chem.Mol) -> tuple[int, ...]:
    return tuple(len(mol.GetSubstructMatches(q)) for q in _GROUPS)


def _dedupe(reasons: list[Reason]) -> list[Reason]:
    """One reason per (kind, substance, steps), the most confident kept."""
    best: dict[tuple[str, str | None, tuple[str, ...]], Reason] = {}
    for r in reasons:
        key = (r.kind.value, r.substance_id, tuple(r.steps))
        if key not in best or r.confidence > best[key].confidence:
            best[key] = r
    out = list(best.values())
    controlled = {r.substance_id for r in out if r.controlled}
    return [r for r in out if not (r.risk and r.substance_id in controlled and not r.steps)]
