"""The structure index over the knowledge base, built once per process.

It holds what the cheap path needs (the set of formulas worth an InChIKey, InChIKeys
and skeleton keys of every entry and of every exact precursor one or two retro steps
away) and what the deep path needs (skeleton gates, fingerprints and scaffolds).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

from rdkit import Chem, DataStructs
from rdkit.Chem import rdFingerprintGenerator
from rdkit.Chem.Scaffolds import MurckoScaffold

from narcolink.analysis.chemistry import structures
from narcolink.analysis.chemistry.kb import KnowledgeBase, Substance, load_kb
from narcolink.analysis.chemistry.reactions import RETRO, Step

MIN_PRECURSOR_ATOMS = 5  # below this a "precursor" is a common reagent, not a lead
FP_RADIUS = 2
FP_SIZE = 2048


@dataclass(frozen=True)
class Precursor:
    """An exact structure some retro steps before a knowledge-base entry."""

    key: str
    smiles: str
    target: str  # substance id
    steps: tuple[str, ...]  # step ids, in the forward order (first step first)
    confidence: float


def skeleton_smarts(mol: Chem.Mol) -> str:
    """A query for ``mol``'s heavy-atom skeleton: any bond order, any charge or
    hydrogen count, N and O interchangeable (hydrolysis turns one into the other)."""
    copy = Chem.Mol(mol)
    Chem.RemoveStereochemistry(copy)
    Chem.Kekulize(copy, clearAromaticFlags=False)
    smarts = Chem.MolToSmarts(copy)
    out: list[str] = []
    i = 0
    while i < len(smarts):
        ch = smarts[i]
        if ch == "[":
            end = smarts.index("]", i)
            token = smarts[i + 1 : end]
            number = token.split("#", 1)[1] if "#" in token else None
            digits = "".join(c for c in (number or "") if c.isdigit())
            if digits in ("7", "8"):
                out.append("[#7,#8]")
            elif digits:
                out.append(f"[#{digits}]")
            else:
                out.append("[" + token + "]")
            i = end + 1
            continue
        out.append("~" if ch in "-=#:/\\" else ch)
        i += 1
    return "".join(out)


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
        self.gates = self._build_gates()
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
                if product.GetNumHeavyAtoms() >= MIN_PRECURSOR_ATOMS:
                    out.append((step, product))
        return out

    def _add_precursor(self, mol: Chem.Mol, target: str, steps: tuple[Step, ...]) -> None:
        key = structures.inchikey(mol)
        if not key or target in self.by_key.get(key, ()):
            return
        confidence = min(s.confidence for s in steps) - 0.15 * (len(steps) - 1)
        entry = Precursor(
            key, structures.canonical_smiles(mol), target, tuple(s.id for s in steps), confidence
        )
        if all((p.target, p.steps) != (target, entry.steps) for p in self.precursors[key]):
            self.precursors[key].append(entry)
            self.precursor_conn[structures.connectivity(key)].append(entry)

    def _build_precursors(self) -> None:
        for s in self.targets():
            for step1, p1 in self._retro(self.mols[s.id]):
                self._add_precursor(p1, s.id, (step1,))
                for step2, p2 in self._retro(p1):
                    self._add_precursor(p2, s.id, (step2, step1))

    def _build_gates(self) -> list[Chem.Mol]:
        """Skeleton queries of every target and one-step precursor, keeping only the
        minimal ones: a structure containing any skeleton contains a minimal one."""
        mols = [self.mols[s.id] for s in self.targets()]
        mols += [
            Chem.MolFromSmiles(p.smiles)
            for ps in self.precursors.values()
            for p in ps
            if len(p.steps) == 1
        ]
        by_smarts: dict[str, Chem.Mol] = {}
        for mol in mols:
            if mol.GetNumHeavyAtoms() >= MIN_PRECURSOR_ATOMS:
                by_smarts.setdefault(skeleton_smarts(mol), mol)
        queries = {smarts: Chem.MolFromSmarts(smarts) for smarts in by_smarts}
        ordered = sorted(by_smarts, key=lambda s: by_smarts[s].GetNumHeavyAtoms())
        kept: list[str] = []
        for smarts in ordered:
            mol = by_smarts[smarts]
            if not any(mol.HasSubstructMatch(queries[k]) for k in kept):
                kept.append(smarts)
        return [queries[k] for k in kept]

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
