"""Reading structures and the cheap and expensive ways of naming them.

The cheap path (parse, per-fragment formula, InChIKey only when the formula is one we
know) runs on every input. The expensive path (MolStandardize cleanup and tautomer
canonicalisation) runs only for the few structures the cheap path cannot settle.
"""

from __future__ import annotations

import re
from functools import lru_cache

from rdkit import Chem, RDLogger
from rdkit.Chem import rdMolDescriptors
from rdkit.Chem.MolStandardize import rdMolStandardize

RDLogger.DisableLog("rdApp.*")  # type: ignore[attr-defined]


def parse_structure(text: str) -> Chem.Mol | None:
    """A molecule from SMILES, InChI or a molfile block; None if it does not parse."""
    stripped = text.strip()
    if not stripped:
        return None
    if stripped.startswith("InChI="):
        return Chem.MolFromInchi(stripped, sanitize=True, removeHs=True)
    if "M  END" in text or "V2000" in text or "V3000" in text:
        return Chem.MolFromMolBlock(text, sanitize=True, removeHs=True)
    return Chem.MolFromSmiles(stripped)


@lru_cache(maxsize=1)
def _uncharger() -> rdMolStandardize.Uncharger:
    return rdMolStandardize.Uncharger()


@lru_cache(maxsize=1)
def _tautomers() -> rdMolStandardize.TautomerEnumerator:
    enumerator = rdMolStandardize.TautomerEnumerator()
    enumerator.SetMaxTautomers(64)
    return enumerator


# A charge the Uncharger could remove: nitro groups and N-oxides are left as drawn.
_CHARGED = Chem.MolFromSmarts("[!+0;!$([N+](=O)[O-]);!$([O-][N+]=O);!$([O-][n+]);!$([n+][O-])]")
_ELEMENTS = re.compile(r"([A-Z][a-z]?)(\d*)")


def neutral(mol: Chem.Mol) -> Chem.Mol:
    """``mol`` without formal charges where a neutral form exists (cheap when uncharged)."""
    if mol.HasSubstructMatch(_CHARGED):
        return _uncharger().uncharge(mol)
    return mol


def fragments(mol: Chem.Mol) -> list[Chem.Mol]:
    """Each disconnected component, neutralised where it carries a charge."""
    if len(Chem.GetMolFrags(mol)) <= 1:
        return [neutral(mol)]
    return [neutral(p) for p in Chem.GetMolFrags(mol, asMols=True, sanitizeFrags=True)]


def profile(formula_text: str, mol: Chem.Mol) -> tuple[int, ...]:
    """Counts a skeleton gate can need: C, N+O, S, F, Cl, Br, I, P, aromatic rings."""
    return (*element_counts(formula_text), int(rdMolDescriptors.CalcNumAromaticRings(mol)))


@lru_cache(maxsize=65536)
def element_counts(formula_text: str) -> tuple[int, ...]:
    """The element part of ``profile``: C, N+O, S, F, Cl, Br, I, P in a formula."""
    counts = _atom_counts(formula_text)
    return (
        counts.get("C", 0),
        counts.get("N", 0) + counts.get("O", 0),
        *(counts.get(element, 0) for element in ("S", "F", "Cl", "Br", "I", "P")),
    )


@lru_cache(maxsize=65536)
def _atom_counts(formula_text: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    for element, number in _ELEMENTS.findall(formula_text):
        counts[element] = counts.get(element, 0) + int(number or 1)
    return counts


def atom_count(formula_text: str, element: str) -> int:
    """How many atoms of ``element`` a formula (``formula``'s, Hill order) holds."""
    return _atom_counts(formula_text).get(element, 0)


def formula(mol: Chem.Mol) -> str:
    return str(rdMolDescriptors.CalcMolFormula(mol))


def inchikey(mol: Chem.Mol) -> str:
    return str(Chem.MolToInchiKey(mol))


def connectivity(key: str) -> str:
    """The skeleton block of an InChIKey: equal for stereoisomers and most tautomers."""
    return key.split("-")[0]


def canonical_smiles(mol: Chem.Mol) -> str:
    return str(Chem.MolToSmiles(mol))


def flat_smiles(mol: Chem.Mol) -> str:
    """Canonical SMILES without stereo: equal for stereoisomers."""
    return str(Chem.MolToSmiles(mol, isomericSmiles=False))


def deep_standardise(mol: Chem.Mol) -> Chem.Mol:
    """MolStandardize cleanup and canonical tautomer: slow, so used sparingly."""
    cleaned = rdMolStandardize.Cleanup(mol)
    return _tautomers().Canonicalize(cleaned)


def heavy_atoms(mol: Chem.Mol) -> int:
    return int(mol.GetNumHeavyAtoms())
