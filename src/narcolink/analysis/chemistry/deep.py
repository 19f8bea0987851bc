"""The deep path of a screening: reaction templates, class definitions, analogues.

Reached only by fragments that pass a skeleton gate (see ``screen``). Each finding says
which steps lead where, as of the screener's date.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from rdkit import Chem
from rdkit.Chem import rdMolDescriptors

from narcolink.analysis.chemistry import fentanyl, structures
from narcolink.analysis.chemistry.index import (
    MIN_PRECURSOR_ATOMS,
    Precursor,
    StructureIndex,
    scaffold_smiles,
    skeleton_smarts,
)
from narcolink.analysis.chemistry.kb import Listing, Substance
from narcolink.analysis.chemistry.reactions import (
    CHAINABLE,
    CLASS_FORWARD,
    DERIVATIVE_ONLY,
    DERIVATIVE_STEPS,
    ESTER_STEPS,
    ETHER_STEPS,
    FORWARD,
    MIN_RETAINED,
    STEP_NAMES,
    Step,
)
from narcolink.analysis.chemistry.results import Reason, ReasonKind
from narcolink.analysis.chemistry.wording import Fragment, listing_phrase, step_phrase

ANALOGUE_THRESHOLD = 0.8
ANALOGUE_MIN_ATOMS = 12
US_CLASS = "us-fentanyl-related-substances"
CN_CLASS = "cn-fentanyl-class-2019"


_NOR = Chem.MolFromSmarts("[#6X3](=[OX1])[NX3](-[a])[C;R]1[C;R][C;R][N;R;H1][C;R][C;R]1")


def _nor_core(mol: Chem.Mol) -> bool:
    return bool(mol.HasSubstructMatch(_NOR))


@lru_cache(maxsize=4096)
def _skeleton_query(smiles: str) -> Chem.Mol | None:
    """The skeleton query of an entry's SMILES, built once per SMILES."""
    target = Chem.MolFromSmiles(smiles)
    return Chem.MolFromSmarts(skeleton_smarts(target)) if target is not None else None


class DeepPath:
    """Mixed into ``Screener``; needs its ``index``, ``as_of`` and ``analogues``."""

    index: StructureIndex
    as_of: date
    analogues: bool

    def _gated(self, mol: Chem.Mol, formula: str | None = None) -> bool:
        """Does ``mol`` contain the skeleton of anything worth the deep path? Only gates
        it has the elements and aromatic rings for are matched."""
        counts = structures.element_counts(formula or structures.formula(mol))
        if not self.index.may_gate(counts):
            return False
        have = (*counts, int(rdMolDescriptors.CalcNumAromaticRings(mol)))
        return any(mol.HasSubstructMatch(g.query) for g in self.index.gates_for(mol, have))

    def _precursor_reason(
        self, p: Precursor, frag: Fragment, atoms: tuple[int, ...], before: tuple[str, ...]
    ) -> Reason | None:
        steps = (*before, *p.steps)
        if len(steps) > 2:
            return None
        target = self.index.kb.substances[p.target]
        active = target.listings_on(self.as_of)
        if not active:
            return None
        confidence = p.confidence - (0.15 if before else 0.0)
        if len(steps) == 1:
            derivative = self._derivative_listings(steps[0], active, frag)
            if derivative:
                return self._derivative_reason(steps[0], target, derivative, frag.to_parent(atoms))
        return Reason(
            ReasonKind.DESIGNER_PRECURSOR,
            f"designer-precursor risk: {step_phrase(steps)} from {target.name}, "
            f"{listing_phrase(active)}",
            confidence,
            target.id,
            target.name,
            [x.to_dict() for x in active],
            list(steps),
            highlight=frag.to_parent(atoms),
            risk=True,
        )

    def _derivative_listings(
        self, step: str, active: list[Listing], frag: Fragment
    ) -> list[Listing]:
        """Listings whose own words cover what ``step`` undoes (esters, ethers, amides,
        carbamates, acetals, halides), outside any jurisdiction that excepts the input."""
        return [
            x
            for x in active
            if x.jurisdiction not in frag.excepted
            and (
                (step in ESTER_STEPS and "esters" in x.covers)
                or (step in ETHER_STEPS and "ethers" in x.covers)
                or any(step in DERIVATIVE_STEPS[k] and k in x.covers for k in DERIVATIVE_STEPS)
            )
        ]

    def _derivative_reason(
        self, step: str, s: Substance, derivative: list[Listing], highlight: tuple[int, ...]
    ) -> Reason:
        kind = (
            "ester"
            if step in ESTER_STEPS
            else "ether"
            if step in ETHER_STEPS
            else next(k[:-1] for k in DERIVATIVE_STEPS if step in DERIVATIVE_STEPS[k])
        )
        article = "an" if kind[0] in "aeio" else "a"
        return Reason(
            ReasonKind.ESTER_ETHER if kind in ("ester", "ether") else ReasonKind.DEFINED_DERIVATIVE,
            f"{article} {kind} of {s.name} ({STEP_NAMES[step]} gives {s.name}): controlled "
            f"as such under {listing_phrase(derivative)}",
            0.85,
            s.id,
            s.name,
            [x.to_dict() for x in derivative],
            [step],
            highlight=highlight,
            controlled=True,
        )

    def _entries_for(self, key: str) -> list[str]:
        """Entries with this InChIKey, else its stereoisomers (a step's product is drawn
        without the stereo its target may carry)."""
        return self.index.by_key.get(key) or self.index.by_conn.get(key.split("-")[0], [])

    def _precursors_for(self, key: str) -> list[Precursor]:
        return self.index.precursors.get(key) or self.index.precursor_conn.get(
            key.split("-")[0], []
        )

    # -- deep path -----------------------------------------------------------------
    def _deep(self, frag: Fragment, known: list[Reason]) -> list[Reason]:
        reasons: list[Reason] = []
        seen: set[tuple[str, str]] = set()
        for step, product in self._forward(frag.mol):
            key = self._product_key(product)
            if key is None or (step.id, key) in seen:
                continue
            seen.add((step.id, key))
            reasons += self._product(frag, step, product, key)
        if (
            self.analogues
            and frag.mol.GetNumHeavyAtoms() >= ANALOGUE_MIN_ATOMS
            and not any(
                r.controlled or r.risk or r.kind is ReasonKind.EXCEPTED for r in known + reasons
            )
        ):
            reasons += self._analogue(frag)
        return reasons

    def _forward(self, mol: Chem.Mol) -> list[tuple[Step, Chem.Mol]]:
        out = []
        for step in FORWARD:
            for product in step.apply(mol):
                atoms = product.GetNumHeavyAtoms()
                if atoms >= MIN_PRECURSOR_ATOMS and atoms >= MIN_RETAINED * mol.GetNumHeavyAtoms():
                    out.append((step, product))
        return out

    def _product_key(self, product: Chem.Mol) -> str | None:
        try:
            if structures.formula(
                product
            ) not in self.index.formulas and not product.HasSubstructMatch(fentanyl.CORE):
                return ""
            return structures.inchikey(product)
        except (ValueError, RuntimeError):
            return None

    def _product(self, frag: Fragment, step: Step, product: Chem.Mol, key: str) -> list[Reason]:
        reasons: list[Reason] = []
        if key:
            for sid in self._entries_for(key):
                reasons += self._one_step_to(frag, step, sid, key)
            for p in self._precursors_for(key):
                if len(p.steps) == 1:
                    reason = self._precursor_reason(
                        p, frag, self._match(frag, p.smiles), (step.id,)
                    )
                    if reason is not None:
                        reasons.append(reason)
        reasons += self._classes(frag, product, (step.id,))
        if not reasons and step.id in CHAINABLE and self._gated(product):
            for step2, product2 in self._forward(product):
                key2 = self._product_key(product2)
                if not key2:
                    continue
                for sid in self._entries_for(key2):
                    s = self.index.kb.substances[sid]
                    active = s.listings_on(self.as_of)
                    if active and s.designer_target:
                        reasons.append(
                            self._risk(
                                frag,
                                s,
                                active,
                                (step.id, step2.id),
                                min(step.confidence, step2.confidence) - 0.15,
                            )
                        )
        return reasons

    def _one_step_to(self, frag: Fragment, step: Step, sid: str, key: str) -> list[Reason]:
        s = self.index.kb.substances[sid]
        active = s.listings_on(self.as_of)
        if not active or sid in frag.excepted or s.category == "excepted":
            return []
        if s.excepted_in(self.as_of):
            return []
        derivative = self._derivative_listings(step.id, active, frag)
        highlight = self._match(frag, s.smiles)
        reasons = []
        if derivative:
            reasons.append(self._derivative_reason(step.id, s, derivative, highlight))
        elif s.designer_target and step.id not in DERIVATIVE_ONLY:
            reasons.append(self._risk(frag, s, active, (step.id,), step.confidence))
        return reasons

    def _risk(
        self,
        frag: Fragment,
        s: Substance,
        active: list[Listing],
        steps: tuple[str, ...],
        confidence: float,
    ) -> Reason:
        return Reason(
            ReasonKind.DESIGNER_PRECURSOR,
            f"designer-precursor risk: {step_phrase(steps)} from {s.name}, "
            f"{listing_phrase(active)}",
            confidence,
            s.id,
            s.name,
            [x.to_dict() for x in active],
            list(steps),
            highlight=self._match(frag, s.smiles),
            risk=True,
        )

    def _match(self, frag: Fragment, smiles: str) -> tuple[int, ...]:
        query = _skeleton_query(smiles)
        local = frag.mol.GetSubstructMatch(query) if query is not None else ()
        return frag.to_parent(tuple(local))

    def _classes(self, frag: Fragment, mol: Chem.Mol, steps: tuple[str, ...]) -> list[Reason]:
        reading = fentanyl.read_classes(mol)
        if reading is None:
            if steps or (not mol.HasSubstructMatch(fentanyl.AMINE_CORE) and not _nor_core(mol)):
                return []
            return self._class_forward(frag, mol)
        reasons: list[Reason] = []
        highlight = (
            frag.to_parent(reading.core_atoms)
            if not steps
            else self._match(frag, Chem.MolToSmiles(mol))
        )
        for class_id, member, text, blockers in (
            (US_CLASS, reading.us_member, reading.us_text(), reading.us_blockers),
            (CN_CLASS, reading.cn_member, reading.cn_text(), reading.cn_blockers),
        ):
            definition = self.index.kb.classes[class_id]
            in_force = definition.effective <= self.as_of
            listing = definition.listing()
            if member and not steps:
                reasons.append(
                    Reason(
                        ReasonKind.CLASS,
                        f"within {definition.list} ({definition.jurisdiction}): {text}"
                        + (
                            ""
                            if in_force
                            else f" (definition in force only from "
                            f"{definition.effective.isoformat()})"
                        ),
                        0.9,
                        class_id,
                        definition.list,
                        [listing.to_dict()],
                        highlight=highlight,
                        controlled=in_force,
                    )
                )
            elif member and in_force:
                reasons.append(
                    Reason(
                        ReasonKind.DESIGNER_PRECURSOR,
                        f"designer-precursor risk: {step_phrase(steps)} from a member of "
                        f"{definition.list} ({definition.jurisdiction}: {text}), in force "
                        f"since {definition.effective.isoformat()}",
                        0.7,
                        class_id,
                        definition.list,
                        [listing.to_dict()],
                        list(steps),
                        highlight=highlight,
                        risk=True,
                    )
                )
            elif blockers and not steps:
                reasons.append(
                    Reason(
                        ReasonKind.CLASS_NEAR_MISS,
                        f"has the fentanyl core but is outside {definition.list} "
                        f"({definition.jurisdiction}): {'; '.join(blockers)}",
                        0.7,
                        class_id,
                        definition.list,
                        highlight=highlight,
                    )
                )
        if not steps and _nor_core(mol):
            reasons += self._class_forward(frag, mol)
        return reasons

    def _class_forward(self, frag: Fragment, mol: Chem.Mol) -> list[Reason]:
        reasons: list[Reason] = []
        for step in CLASS_FORWARD:
            for product in step.apply(mol, limit=4):
                if product.HasSubstructMatch(fentanyl.CORE):
                    reasons += self._classes(frag, product, (step.id,))
                elif product.HasSubstructMatch(fentanyl.AMINE_CORE):
                    for step2 in CLASS_FORWARD:
                        if step2.id == step.id:
                            continue
                        for product2 in step2.apply(product, limit=4):
                            reasons += self._classes(frag, product2, (step.id, step2.id))
        return reasons

    def _analogue(self, frag: Fragment) -> list[Reason]:
        hits = self.index.similar(frag.mol, ANALOGUE_THRESHOLD)
        scaffold = None  # computed only for a hit that is listed
        for score, s in hits:
            active = s.listings_on(self.as_of)
            if not active:
                continue
            scaffold = scaffold_smiles(frag.mol) if scaffold is None else scaffold
            if not scaffold or self.index.scaffolds.get(s.id) != scaffold:
                continue
            return [
                Reason(
                    ReasonKind.ANALOGUE,
                    f"structural analogue of {s.name} (Tanimoto {score:.2f}, same scaffold), "
                    f"{listing_phrase(active)}: may be covered by analogue laws; review",
                    0.45,
                    s.id,
                    s.name,
                    [x.to_dict() for x in active],
                    highlight=self._match(frag, scaffold),
                    risk=True,
                )
            ]
        return []
