"""Screen one structure against the knowledge base, as the lists stood on a date.

Cheap filters first. Every input is parsed and split into fragments; a fragment whose
formula is not one the index knows needs no InChIKey, and one that matches none of the
skeleton gates cannot be one or two forward steps from anything listed, so it is cleared
without running a reaction. Only what passes a gate reaches the deep path: reaction
templates, the class definitions, similarity and scaffolds.
"""

from __future__ import annotations

import re
from datetime import date

from rdkit import Chem

from narcolink.analysis.chemistry import fentanyl, structures
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

# Enols, iminols, amidines, lactims: tautomers the standard InChI may not merge. Only a
# fragment with one of these, a known formula and no match gets the slow canonicaliser.
TAUTOMER_PRONE = Chem.MolFromSmarts(
    "[$([OX2H]C=[C,N]),$([NX3;H1,H2]C=[C,N]),$([#7X2]=C[#7X3;H1,H2])]"
)
ISOMER_WORDS = ("isomers", "stereoisomers", "optical isomers")
# In a salt or mixture, fragments this small (chloride, sulfate, iodide, a solvate) are
# counter-ions (as is any fragment without carbon): the 1988 Convention excludes the
# salts of its listed acids from control.
COUNTER_ION_ATOMS = 5


class Screener(DeepPath):
    """Screens molecules as of one date. Cheap to make; the index is shared."""

    def __init__(
        self, as_of: date | None = None, index: StructureIndex | None = None, analogues: bool = True
    ) -> None:
        self.as_of = as_of or date.today()
        self.index = index or get_index()
        self.analogues = analogues
        self._as_of_text = self.as_of.isoformat()

    # -- entry points --------------------------------------------------------------
    def screen_smiles(self, smiles: str, row: int | None = None, label: str = "") -> ScreenResult:
        parts = self._parts(smiles)
        if parts is not None:
            result = ScreenResult(
                query=smiles, row=row, label=label, smiles=smiles, as_of=self._as_of_text
            )
            return self._screen_fragments(result, parts)
        mol = structures.parse_structure(smiles)
        if mol is None:
            result = ScreenResult(
                query=smiles,
                row=row,
                label=label,
                as_of=self._as_of_text,
                error="not a structure RDKit can read",
            )
            result.decide()
            return result
        charged = "+" in smiles or "-]" in smiles or not smiles.lstrip()[:1].isascii()
        if smiles.lstrip().startswith("InChI=") or "M  END" in smiles:
            charged = True
        one_part = "." not in smiles and "M  END" not in smiles and not smiles.startswith("InChI=")
        return self.screen_mol(
            mol, query=smiles, row=row, label=label, charged=charged, one_part=one_part
        )

    def screen_mol(
        self,
        mol: Chem.Mol,
        query: str = "",
        row: int | None = None,
        label: str = "",
        charged: bool = True,
        one_part: bool = False,
    ) -> ScreenResult:
        result = ScreenResult(query=query, row=row, label=label, as_of=self._as_of_text)
        result.smiles = structures.canonical_smiles(mol) if query == "" else query
        return self._screen_fragments(result, self._fragments(mol, charged, one_part))

    def _screen_fragments(self, result: ScreenResult, frags: list[Fragment]) -> ScreenResult:
        for frag in frags:
            frag.formula = structures.formula(frag.mol)
        _mark_counter_ions(frags)
        for frag in frags:
            result.reasons.extend(self._cheap(frag, salt=len(frags) > 1))
        for frag in frags:
            if frag.mol.GetNumHeavyAtoms() < MIN_PRECURSOR_ATOMS:
                continue
            if _may_be_anilinopiperidine(frag.formula) and frag.mol.HasSubstructMatch(
                fentanyl.ANILINOPIPERIDINE
            ):
                result.reasons.extend(self._classes(frag, frag.mol, ()))
            if self._gated(frag.mol, frag.formula):
                result.reasons.extend(self._deep(frag, result.reasons))
        if result.reasons:
            _otherwise_controlled(result.reasons)
            result.reasons = _trim(_dedupe(result.reasons))
        result.decide()
        return result

    # -- cheap path ----------------------------------------------------------------
    def _fragments(
        self, mol: Chem.Mol, charged: bool = True, one_part: bool = False
    ) -> list[Fragment]:
        """Components, neutralised; ``charged=False`` (the input's text shows no charge)
        skips the charge search, ``one_part`` (its SMILES has no '.') the split."""
        fix = structures.neutral if charged else (lambda m: m)
        if not one_part:
            groups = Chem.GetMolFrags(mol) if mol.GetNumAtoms() else ()
        if one_part or len(groups) <= 1:
            return [Fragment(fix(mol), range(mol.GetNumAtoms()))]
        parts = Chem.GetMolFrags(mol, asMols=True, sanitizeFrags=True)
        return [Fragment(fix(p), tuple(g)) for p, g in zip(parts, groups, strict=True)]

    def _parts(self, smiles: str) -> list[Fragment] | None:
        """A SMILES of several parts (a salt, a mixture) read part by part: the fragments
        ``_fragments`` gives for the whole (one per part, atoms numbered in order; each
        part parses alone exactly when there is no ring bond between parts), without
        parsing the whole and then sanitising each component again, and with a small
        part (a counter-ion, water) read once. None where this does not apply; then the
        whole is parsed as before."""
        text = smiles.strip()
        if "." not in text or _NOT_PLAIN_SMILES.search(smiles):
            return None
        charged = "+" in smiles or "-]" in smiles or not smiles.lstrip()[:1].isascii()
        frags = []
        start = 0
        for part in text.split("."):
            mol = _part(part, charged)
            if mol is None:
                return None
            atoms = mol.GetNumAtoms()
            frags.append(Fragment(mol, tuple(range(start, start + atoms))))
            start += atoms
        return frags

    def _active(self, sid: str) -> list[Listing]:
        return self.index.kb.substances[sid].listings_on(self.as_of)

    def _cheap(self, frag: Fragment, salt: bool) -> list[Reason]:
        """Formula first; then canonical SMILES, which names every entry and precursor
        the index holds; an InChIKey only where a stereo-free SMILES or the formula of an
        entry matches (a stereoisomer, a positional isomer, another tautomer)."""
        frag.formula = frag.formula or structures.formula(frag.mol)
        if frag.formula not in self.index.formulas:
            return []
        smiles = structures.canonical_smiles(frag.mol)
        key = self.index.key_by_smiles.get(smiles)
        if key is None and (
            frag.formula in self.index.by_formula
            or structures.flat_smiles(frag.mol) in self.index.flat_smiles
        ):
            key = _inchikey(frag.mol, smiles)
        if key is None:
            return []
        frag.key = key
        reasons = self._identity(frag, frag.key, salt)
        if (
            not reasons
            and frag.formula in self.index.by_formula
            and frag.mol.HasSubstructMatch(TAUTOMER_PRONE)
        ):
            deep_key = structures.inchikey(structures.deep_standardise(frag.mol))
            if deep_key != frag.key:  # a tautomer or charge form the cheap key missed
                reasons += self._identity(frag, deep_key, salt)
        return reasons

    def _identity(self, frag: Fragment, key: str, salt: bool) -> list[Reason]:
        reasons: list[Reason] = []
        everything = tuple(range(frag.mol.GetNumAtoms()))
        counter_ion = salt and frag.counter_ion
        for sid in () if counter_ion else self.index.by_key.get(key, ()):
            s = self.index.kb.substances[sid]
            frag.excepted |= s.excepted_in(self.as_of)
            reasons.append(self._exact(s, frag, salt, everything))
        conn = structures.connectivity(key)
        exact_ids = set(self.index.by_key.get(key, ()))
        for sid in () if counter_ion else self.index.by_conn.get(conn, ()):
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
        salt = salt and "." not in s.smiles  # an entry that is itself a salt is matched as is
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


def _otherwise_controlled(reasons: list[Reason]) -> None:
    """A class definition covers only substances not controlled otherwise: where the
    structure has its own entry in that jurisdiction, the class reading stays as a note."""
    own = {
        x["jurisdiction"]
        for r in reasons
        if r.controlled and r.kind is not ReasonKind.CLASS
        for x in r.listings
    }
    for r in reasons:
        jurisdiction = r.listings[0]["jurisdiction"] if r.listings else None
        if r.kind is ReasonKind.CLASS and r.controlled and jurisdiction in own:
            r.controlled = False
            r.text += "; controlled under its own entry, so the class does not apply"


def _organic(frag: Fragment) -> bool:
    """More than a few heavy atoms, one of them carbon (read from the formula)."""
    return (
        frag.mol.GetNumHeavyAtoms() > COUNTER_ION_ATOMS
        and structures.atom_count(frag.formula or structures.formula(frag.mol), "C") > 0
    )


# Text parse_structure reads as something other than one SMILES: InChI, a molfile, or
# white space (a SMILES followed by a name or CXSMILES extensions).
_NOT_PLAIN_SMILES = re.compile(r"^\s*InChI=|M  END|V2000|V3000|\S\s+\S")
# Parts (as text) of multi-part SMILES, parsed and neutralised; only short ones are kept.
_PARTS: dict[tuple[str, bool], Chem.Mol] = {}
SHORT_PART = 24
PART_CACHE = 20_000


def _part(text: str, charged: bool) -> Chem.Mol | None:
    """One part of a multi-part SMILES, parsed and (where the input shows a charge)
    neutralised as ``_fragments`` would; None if it does not parse alone."""
    mol = _PARTS.get((text, charged))
    if mol is None:
        mol = Chem.MolFromSmiles(text)
        if mol is None or not mol.GetNumAtoms():
            return None
        mol = structures.neutral(mol) if charged else mol
        if len(text) <= SHORT_PART:
            if len(_PARTS) >= PART_CACHE:
                _PARTS.clear()
            _PARTS[(text, charged)] = mol
    return mol


def _may_be_anilinopiperidine(formula: str) -> bool:
    """``fentanyl.ANILINOPIPERIDINE`` holds two nitrogens and at least five carbons:
    a formula with fewer cannot match it."""
    return structures.atom_count(formula, "N") >= 2 and structures.atom_count(formula, "C") >= 5


# Canonical SMILES to InChIKey, for the fragments the cheap path names (the same small
# chemicals recur); cleared when full.
_KEYS: dict[str, str] = {}
KEY_CACHE = 100_000


def _inchikey(mol: Chem.Mol, smiles: str) -> str:
    """The InChIKey of ``mol``, whose canonical SMILES is ``smiles``."""
    key = _KEYS.get(smiles)
    if key is None:
        if len(_KEYS) >= KEY_CACHE:
            _KEYS.clear()
        key = _KEYS[smiles] = structures.inchikey(mol)
    return key


def _mark_counter_ions(frags: list[Fragment]) -> None:
    """In a salt of an organic substance, the small or carbon-free parts are counter-ions
    (potassium permanganate, with no organic part, keeps both of its ions)."""
    if len(frags) < 2:
        return
    organic = [_organic(f) for f in frags]
    if any(organic):
        for frag, is_organic in zip(frags, organic, strict=True):
            frag.counter_ion = not is_organic


def _groups(mol: Chem.Mol) -> tuple[int, ...]:
    return tuple(len(mol.GetSubstructMatches(q)) for q in _GROUPS)


SECONDARY_RISKS = 2


def _trim(reasons: list[Reason]) -> list[Reason]:
    """For a controlled structure, where it leads next matters less: keep the two most
    confident risk paths, not every one."""
    if not any(r.controlled for r in reasons):
        return reasons
    risks = sorted((r for r in reasons if r.risk), key=lambda r: (len(r.steps), -r.confidence))
    dropped = {id(r) for r in risks[SECONDARY_RISKS:]}
    return [r for r in reasons if id(r) not in dropped]


def _dedupe(reasons: list[Reason]) -> list[Reason]:
    """One reason per (kind, substance, steps), the most confident kept."""
    best: dict[tuple[str, str | None, tuple[str, ...]], Reason] = {}
    for r in reasons:
        key = (r.kind.value, r.substance_id, tuple(r.steps))
        if key not in best or r.confidence > best[key].confidence:
            best[key] = r
    out = list(best.values())
    itself = {
        r.substance_id
        for r in out
        if r.kind in (ReasonKind.EXACT, ReasonKind.SALT, ReasonKind.STEREOISOMER)
    }
    return [r for r in out if not (r.risk and r.substance_id in itself)]
