"""The structure index over the knowledge base, built once per process.

It holds what the cheap path needs (the set of formulas worth an InChIKey, InChIKeys
and skeleton keys of every entry and of every exact precursor one or two retro steps
away) and what the deep path needs (skeleton gates, fingerprints and scaffolds).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from rdkit import Chem, DataStructs
from rdkit.Chem import rdFingerprintGenerator, rdqueries
from rdkit.Chem.Scaffolds import MurckoScaffold

from narcolink.analysis.chemistry import structures
from narcolink.analysis.chemistry.kb import KnowledgeBase, Substance, load_kb
from narcolink.analysis.chemistry.reactions import MIN_RETAINED, PROTECT, RETRO, Step

MIN_PRECURSOR_ATOMS = 5  # below this a "precursor" is a common reagent, not a lead
# Skeletons smaller than this match too much trade to gate on (a 4-substituted
# piperidine, a gamma-lactone): such targets get their protected forms enumerated instead.
GATE_MIN_ATOMS = 9
# One-step precursors gate only from this size; smaller ones are enumerated like targets.
PRECURSOR_GATE_MIN_ATOMS = 12
# With this many gates or fewer left by the element counts, matching them directly is
# cheaper than computing the aromatic-ring signatures that would prune them.
DIRECT_GATES = 6
FP_RADIUS = 2
FP_SIZE = 2048


@dataclass(frozen=True)
class Gate:
    """A skeleton query, the element counts it needs and the aromatic rings it needs
    (as ``ring_signatures``); ``rings`` is empty for gates that must always be tried."""

    query: Chem.Mol
    needs: tuple[int, ...]
    rings: frozenset[tuple[int, ...]]


def _element_class(number: int) -> int:
    return 7 if number == 8 else number  # N and O are one class in skeleton queries


def ring_signatures(mol: Chem.Mol) -> frozenset[tuple[int, ...]]:
    """Per aromatic ring: size, element classes of its atoms, its CH count and the
    element classes of the atoms attached to it, as one tuple. A skeleton query keeps
    a target's aromatic rings aromatic, its CH atoms CH and its other ring atoms
    substituted, so a structure matching it has rings with equal signatures: comparing
    them is a sound, cheap pre-check."""
    out = set()
    for ring in mol.GetRingInfo().AtomRings():
        members = set(ring)
        atoms = [mol.GetAtomWithIdx(i) for i in ring]
        if not all(a.GetIsAromatic() for a in atoms):
            continue
        classes = sorted(_element_class(a.GetAtomicNum()) for a in atoms)
        ch = 0
        attached = []
        for a in atoms:
            outside = [n for n in a.GetNeighbors() if n.GetIdx() not in members]
            if a.GetAtomicNum() == 6 and not outside and a.GetTotalNumHs() == 1:
                ch += 1
            attached += [_element_class(n.GetAtomicNum()) for n in outside]
        out.add((len(ring), ch, *classes, 0, *sorted(attached)))
    return frozenset(out)


@dataclass(frozen=True)
class Precursor:
    """An exact structure some retro steps before a knowledge-base entry."""

    key: str
    smiles: str
    target: str  # substance id
    steps: tuple[str, ...]  # step ids, in the forward order (first step first)
    confidence: float
    enumerated: bool = False  # a protected form, matched exactly and never gated on


def skeleton_smarts(mol: Chem.Mol, ring_halides: bool = False) -> str:
    """A query for ``mol``'s heavy-atom skeleton: any bond order, any charge or
    hydrogen count, N and O interchangeable (hydrolysis turns one into the other).

    Aromatic atoms stay aromatic, and an aromatic CH stays unsubstituted: no forward step
    makes or breaks an aromatic ring or removes a ring substituent (ring halogens aside,
    which ``ring_halides`` allows for listings that cover halides). Both keep the query
    sound while sparing the many saturated rings and substituted benzenes of trade."""
    query = Chem.RWMol()
    for atom in mol.GetAtoms():
        number = atom.GetAtomicNum()
        q = rdqueries.AtomNumEqualsQueryAtom(number)
        if number in (7, 8):
            q.ExpandQuery(
                rdqueries.AtomNumEqualsQueryAtom(15 - number), Chem.CompositeQueryType.COMPOSITE_OR
            )
        if atom.GetIsAromatic():
            q.ExpandQuery(rdqueries.IsAromaticQueryAtom(), Chem.CompositeQueryType.COMPOSITE_AND)
            if atom.GetTotalNumHs() == 1 and not ring_halides:
                q.ExpandQuery(
                    rdqueries.HCountEqualsQueryAtom(1), Chem.CompositeQueryType.COMPOSITE_AND
                )
        query.AddAtom(q)
    for bond in mol.GetBonds():
        query.AddBond(bond.GetBeginAtomIdx(), bond.GetEndAtomIdx(), Chem.BondType.SINGLE)
        query.ReplaceBond(query.GetNumBonds() - 1, _ANY_BOND)
    return str(Chem.MolToSmarts(query))


_ANY_BOND = Chem.MolFromSmarts("*~*").GetBondWithIdx(0)


@lru_cache(maxsize=1)
def _fingerprinter() -> rdFingerprintGenerator.FingerprintGenerator64:
    return rdFingerprintGenerator.GetMorganGenerator(radius=FP_RADIUS, fpSize=FP_SIZE)


def scaffold_smiles(mol: Chem.Mol) -> str:
    try:
        return str(MurckoScaffold.MurckoScaffoldSmiles(mol=mol))
    except (ValueError, RuntimeError):
        return ""


class StructureIndex:
    """Everything the screener looks up, keyed for constant-time access."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self.mols: dict[str, Chem.Mol] = {}
        self.by_key: dict[str, list[str]] = defaultdict(list)
        self.by_conn: dict[str, list[str]] = defaultdict(list)
        self.by_formula: dict[str, list[str]] = defaultdict(list)
        for s in kb.substances.values():
            mol = Chem.MolFromSmiles(s.smiles)
            parent = max(structures.fragments(mol), key=lambda m: m.GetNumHeavyAtoms())
            self.mols[s.id] = parent
            key = structures.inchikey(parent)
            self.by_key[key].append(s.id)
            self.by_conn[structures.connectivity(key)].append(s.id)
            self.by_formula[structures.formula(parent)].append(s.id)
        self.precursors: dict[str, list[Precursor]] = defaultdict(list)
        self.precursor_conn: dict[str, list[Precursor]] = defaultdict(list)
        self._build_precursors()
        self.formulas = set(self.by_formula) | {
            p.smiles and structures.formula(Chem.MolFromSmiles(p.smiles))
            for ps in self.precursors.values()
            for p in ps
        }
        self.key_by_smiles: dict[str, str] = {}
        self.flat_smiles: set[str] = set()
        for mol in self.mols.values():
            self.key_by_smiles[structures.canonical_smiles(mol)] = structures.inchikey(mol)
            self.flat_smiles.add(structures.flat_smiles(mol))
        for ps in self.precursors.values():
            for p in ps:
                mol = Chem.MolFromSmiles(p.smiles)
                self.key_by_smiles[structures.canonical_smiles(mol)] = p.key
                self.flat_smiles.add(structures.flat_smiles(mol))
        self.gates = self._build_gates()
        self._gates_by_ring: dict[tuple[int, ...], list[int]] = defaultdict(list)
        for i, gate in enumerate(self.gates):
            for ring in gate.rings:
                self._gates_by_ring[ring].append(i)
        self._ring_free_gates = [g for g in self.gates if not g.rings]
        self.gate_needs = np.array([g.needs for g in self.gates], dtype=np.int32)
        self._gate_index = {id(g): i for i, g in enumerate(self.gates)}
        fp = _fingerprinter()
        self.analogue_targets = [
            s for s in self.targets() if not s.category.startswith("precursor")
        ]
        self.fps = [fp.GetFingerprint(self.mols[s.id]) for s in self.analogue_targets]
        self.scaffolds = {s.id: scaffold_smiles(self.mols[s.id]) for s in self.analogue_targets}

    def targets(self) -> list[Substance]:
        """Entries a designer precursor may aim at: listed somewhere, at some time."""
        return [
            s
            for s in self.kb.substances.values()
            if s.designer_target and any(not x.excepted for x in s.listings)
        ]

    def _retro(self, mol: Chem.Mol) -> list[tuple[Step, Chem.Mol]]:
        out = []
        for step in RETRO:
            for product in step.apply(mol):
                atoms = product.GetNumHeavyAtoms()
                if atoms >= MIN_PRECURSOR_ATOMS and atoms >= MIN_RETAINED * mol.GetNumHeavyAtoms():
                    out.append((step, product))
        return out

    def _add_precursor(
        self, mol: Chem.Mol, target: str, steps: tuple[Step, ...], enumerated: bool = False
    ) -> None:
        key = structures.inchikey(mol)
        if not key or target in self.by_key.get(key, ()):
            return
        confidence = min(s.confidence for s in steps) - 0.15 * (len(steps) - 1)
        entry = Precursor(
            key,
            structures.canonical_smiles(mol),
            target,
            tuple(s.id for s in steps),
            confidence,
            enumerated,
        )
        if all((p.target, p.steps) != (target, entry.steps) for p in self.precursors[key]):
            self.precursors[key].append(entry)
            self.precursor_conn[structures.connectivity(key)].append(entry)

    def _build_precursors(self) -> None:
        for s in self.targets():
            target = self.mols[s.id]
            self._protected(target, s.id, (), GATE_MIN_ATOMS)
            for step1, p1 in self._retro(target):
                self._add_precursor(p1, s.id, (step1,))
                self._protected(p1, s.id, (step1,), PRECURSOR_GATE_MIN_ATOMS)
                for step2, p2 in self._retro(p1):
                    self._add_precursor(p2, s.id, (step2, step1))

    def _protected(self, mol: Chem.Mol, target: str, after: tuple[Step, ...], below: int) -> None:
        """Enumerated protected forms of a structure too small to gate on."""
        if not MIN_PRECURSOR_ATOMS <= mol.GetNumHeavyAtoms() < below:
            return
        for step in PROTECT:
            for product in step.apply(mol, limit=4):
                self._add_precursor(product, target, (step, *after), enumerated=True)

    def _build_gates(self) -> list[Gate]:
        """Skeleton queries of every target and one-step precursor, keeping only the
        minimal ones: a structure containing any skeleton contains a minimal one."""
        halide_targets = {
            s.id for s in self.targets() if any("halides" in x.covers for x in s.listings)
        }
        derivative_words = {"esters", "ethers", "amides", "carbamates", "acetals"}
        gated = {s.id for s in self.targets()} | {
            s.id
            for s in self.kb.substances.values()
            if any(derivative_words & x.covers for x in s.listings if not x.excepted)
        }
        mols = [self.mols[sid] for sid in sorted(gated)]
        mols = [m for m in mols if m.GetNumHeavyAtoms() >= GATE_MIN_ATOMS]
        by_smarts: dict[str, Chem.Mol] = {
            skeleton_smarts(self.mols[sid], ring_halides=True): self.mols[sid]
            for sid in halide_targets
        }
        always = set(by_smarts)
        mols += [
            mol
            for ps in self.precursors.values()
            for p in ps
            if len(p.steps) == 1 and not p.enumerated
            for mol in (Chem.MolFromSmiles(p.smiles),)
            if mol.GetNumHeavyAtoms() >= PRECURSOR_GATE_MIN_ATOMS
        ]
        for mol in mols:
            by_smarts.setdefault(skeleton_smarts(mol), mol)
        queries = {smarts: Chem.MolFromSmarts(smarts) for smarts in by_smarts}
        ordered = sorted(by_smarts, key=lambda s: by_smarts[s].GetNumHeavyAtoms())
        kept: list[str] = []
        for smarts in ordered:
            mol = by_smarts[smarts]
            if not any(mol.HasSubstructMatch(queries[k]) for k in kept):
                kept.append(smarts)
        gates = []
        for smarts in kept:
            mol = by_smarts[smarts]
            needs = structures.profile(structures.formula(mol), mol)
            rings = frozenset() if smarts in always else ring_signatures(mol)
            gates.append(Gate(queries[smarts], needs, rings))
        # the most often passed gates first, so a typical structure stops early
        return sorted(gates, key=lambda g: sum(g.needs))

    def gates_for(self, mol: Chem.Mol, have: tuple[int, ...]) -> list[Gate]:
        """The gates ``mol`` could match: enough of each element (one vectorised
        comparison), and, only if some pass that, the aromatic rings they need."""
        fits = np.flatnonzero((self.gate_needs <= np.asarray(have, dtype=np.int32)).all(axis=1))
        if not len(fits):
            return []
        if len(fits) <= DIRECT_GATES:  # fewer matches than the ring check would cost
            return [self.gates[i] for i in fits.tolist()]
        allowed = set(fits.tolist())
        out = [g for g in self._ring_free_gates if self._gate_index[id(g)] in allowed]
        if len(out) == len(allowed):
            return out
        rings = ring_signatures(mol)
        seen: set[int] = set()
        for ring in rings:
            for i in self._gates_by_ring.get(ring, ()):
                if i in allowed and i not in seen and self.gates[i].rings <= rings:
                    seen.add(i)
                    out.append(self.gates[i])
        return out

    def similar(self, mol: Chem.Mol, threshold: float) -> list[tuple[float, Substance]]:
        fp = _fingerprinter().GetFingerprint(mol)
        scores = DataStructs.BulkTanimotoSimilarity(fp, self.fps)
        hits = [
            (score, self.analogue_targets[i])
            for i, score in enumerate(scores)
            if score >= threshold
        ]
        return sorted(hits, key=lambda h: -h[0])


@lru_cache(maxsize=1)
def get_index() -> StructureIndex:
    return StructureIndex(load_kb())
