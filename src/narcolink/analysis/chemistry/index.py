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
_ALL_MATCHES = 1 << 30  # no cap on substructure matches that are counted, not just found
# Element profiles seen, kept for their fitting gates; cleared when it grows past this.
FIT_CACHE = 100_000
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


_AROMATIC_BOND = Chem.MolFromSmarts("[a]~*")  # every (aromatic atom, neighbour) pair


def ring_signatures(mol: Chem.Mol) -> frozenset[tuple[int, ...]]:
    """Per aromatic ring: size, element classes of its atoms, its CH count and the
    element classes of the atoms attached to it, as one tuple. A skeleton query keeps
    a target's aromatic rings aromatic, its CH atoms CH and its other ring atoms
    substituted, so a structure matching it has rings with equal signatures: comparing
    them is a sound, cheap pre-check.

    The neighbours of every aromatic atom come from one substructure search, and each
    atom's element is read once, however many rings share it."""
    pairs = mol.GetSubstructMatches(_AROMATIC_BOND, uniquify=False, maxMatches=_ALL_MATCHES)
    if not pairs:
        return frozenset()
    neighbours: dict[int, list[int]] = {}
    for a, n in pairs:
        found = neighbours.get(a)
        if found is None:
            neighbours[a] = [n]
        else:
            found.append(n)
    atom = mol.GetAtomWithIdx
    number = {i: atom(i).GetAtomicNum() for i in neighbours}
    out = set()
    for ring in mol.GetRingInfo().AtomRings():
        members = set(ring)
        if not members.issubset(neighbours.keys()):  # an atom that is not aromatic
            continue
        ch = 0
        classes = []
        attached = []
        for i in ring:
            z = number[i]
            classes.append(_element_class(z))
            outside = [n for n in neighbours[i] if n not in members]
            if outside:
                for n in outside:
                    zn = number.get(n)
                    if zn is None:
                        zn = number[n] = atom(n).GetAtomicNum()
                    attached.append(_element_class(zn))
            elif z == 6 and atom(i).GetTotalNumHs() == 1:
                ch += 1
        out.add((len(ring), ch, *sorted(classes), 0, *sorted(attached)))
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


def _selectivity(atom: Chem.Atom) -> tuple[int, int]:
    """Lower for query atoms that fewer structure atoms match: rarer elements, then
    branch points (four neighbours, then three outside an aromatic ring), then N or O,
    then aromatic CH; more neighbours first within each."""
    smarts = atom.GetSmarts()
    degree = atom.GetDegree()
    if any(f"#{n}]" in smarts for n in (9, 15, 16, 17, 35, 53)):
        return (0, -degree)
    if degree >= 4:
        return (1, -degree)
    if degree == 3 and "&a" not in smarts and ";a" not in smarts:
        return (2, -degree)
    if "#7,#8" in smarts or "#8,#7" in smarts:
        return (3, -degree)
    return (4 if "H1" in smarts else 5, -degree)


def selective_first(query: Chem.Mol) -> Chem.Mol:
    """The same query with its atoms renumbered so the substructure search starts from
    the most selective atom and grows through neighbours, most selective first: what it
    matches is unchanged, but a search that fails (nearly all do) fails sooner."""
    rank = [_selectivity(query.GetAtomWithIdx(i)) for i in range(query.GetNumAtoms())]
    order: list[int] = []
    left = set(range(query.GetNumAtoms()))
    while left:
        start = min(left, key=lambda i: (rank[i], i))
        left.discard(start)
        frontier = [start]
        while frontier:
            frontier.sort(key=lambda i: (rank[i], i))
            i = frontier.pop(0)
            order.append(i)
            for n in query.GetAtomWithIdx(i).GetNeighbors():
                if n.GetIdx() in left:
                    left.discard(n.GetIdx())
                    frontier.append(n.GetIdx())
    return Chem.RenumberAtoms(query, order)


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
        self.gate_needs = np.array([g.needs for g in self.gates], dtype=np.int32)
        self._plans: dict[tuple[int, ...], tuple[list[Gate], list[Gate]]] = {}
        self._shared_plans: dict[tuple[int, ...], tuple[list[Gate], list[Gate]]] = {}
        self._element_fits: dict[tuple[int, ...], bool] = {}
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
            gates.append(Gate(selective_first(queries[smarts]), needs, rings))
        # the most often passed gates first, so a typical structure stops early
        return sorted(gates, key=lambda g: sum(g.needs))

    def gates_for(self, mol: Chem.Mol, have: tuple[int, ...]) -> list[Gate]:
        """The gates ``mol`` could match: enough of each element (looked up by element
        profile, computed once per profile), and, only where many pass that, the
        aromatic rings they need."""
        plan = self._plans.get(have)
        if plan is None:
            plan = self._plan(have)
        direct, ringed = plan
        if not ringed:
            return direct
        rings = ring_signatures(mol)
        return direct + [g for g in ringed if g.rings <= rings]

    def may_gate(self, counts: tuple[int, ...]) -> bool:
        """Could any gate fit these element counts (``profile`` without its aromatic
        rings)? If not, nothing with them needs its rings counted."""
        fits = self._element_fits.get(counts)
        if fits is None:
            need = self.gate_needs[:, : len(counts)]
            fits = bool((need <= np.asarray(counts, dtype=np.int32)).all(axis=1).any())
            if len(self._element_fits) >= FIT_CACHE:
                self._element_fits.clear()
            self._element_fits[counts] = fits
        return fits

    def _plan(self, have: tuple[int, ...]) -> tuple[list[Gate], list[Gate]]:
        """(gates to match as they are, gates to match only if the structure has their
        aromatic rings) for one element profile; profiles fitting the same gates share
        one plan."""
        fits = tuple(
            np.flatnonzero(
                (self.gate_needs <= np.asarray(have, dtype=np.int32)).all(axis=1)
            ).tolist()
        )
        plan = self._shared_plans.get(fits)
        if plan is None:
            gates = [self.gates[i] for i in fits]
            if len(gates) <= DIRECT_GATES:  # fewer matches than the ring check would cost
                plan = (gates, [])
            else:
                plan = ([g for g in gates if not g.rings], [g for g in gates if g.rings])
            self._shared_plans[fits] = plan
        if len(self._plans) >= FIT_CACHE:
            self._plans.clear()
        self._plans[have] = plan
        return plan

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
