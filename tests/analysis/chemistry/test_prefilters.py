"""The cheap pre-filters and shortcuts in front of the skeleton gates change no verdict.

Each is checked against the plain computation it stands in for, over the knowledge base's
structures and their one-step variants (forward and retro steps, protected forms, an
aromatic H swapped for methyl, fluoro, chloro, methoxy or hydroxy): the element-count
pre-filter and the anilinopiperidine formula check never clear a structure the full
substructure search would flag; the gate selection (profiles looked up once, queries
renumbered) flags exactly what the selection it replaced flagged; ring signatures equal
the straightforward per-atom reading; a multi-part SMILES read part by part gives the same
fragments and the same screening as the whole parsed and split.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache

import numpy as np
import pytest
from rdkit import Chem
from rdkit.Chem import AllChem, rdMolDescriptors

from narcolink.analysis.chemistry import fentanyl, structures
from narcolink.analysis.chemistry.index import (
    DIRECT_GATES,
    get_index,
    ring_signatures,
    selective_first,
    skeleton_smarts,
)
from narcolink.analysis.chemistry.kb import load_kb
from narcolink.analysis.chemistry.reactions import FORWARD, PROTECT, RETRO
from narcolink.analysis.chemistry.screen import Screener, _may_be_anilinopiperidine

TODAY = Screener(as_of=date(2026, 7, 1))
EDITS = [
    AllChem.ReactionFromSmarts(e)  # type: ignore[attr-defined]
    for e in (
        "[cH:1]>>[c:1]C",
        "[cH:1]>>[c:1]F",
        "[cH:1]>>[c:1]Cl",
        "[cH:1]>>[c:1]OC",
        "[cH:1]>>[c:1]O",
    )
]


@lru_cache(maxsize=1)
def corpus() -> tuple[Chem.Mol, ...]:
    """Knowledge-base structures and their one-step variants, sanitised, deduplicated."""
    seen: dict[str, Chem.Mol] = {}

    def add(mol: Chem.Mol) -> None:
        try:
            Chem.SanitizeMol(mol)
            smiles = Chem.MolToSmiles(mol)
        except (ValueError, RuntimeError):
            return
        fresh = Chem.MolFromSmiles(smiles)
        if fresh is not None and fresh.GetNumAtoms():
            seen.setdefault(smiles, fresh)

    for mol in get_index().mols.values():
        add(Chem.Mol(mol))
        for step in (*FORWARD, *RETRO, *PROTECT):
            for product in step.apply(mol, limit=2):
                add(product)
        for edit in EDITS:
            for (product,) in edit.RunReactants((mol,), 3):
                add(product)
    return tuple(seen.values())


def test_the_corpus_is_large_and_varied() -> None:
    mols = corpus()
    assert len(mols) > 2000
    assert sum(rdMolDescriptors.CalcNumAromaticRings(m) > 0 for m in mols) > 1000


def _reference_ring_signatures(mol: Chem.Mol) -> frozenset[tuple[int, ...]]:
    """Ring signatures read atom by atom (the implementation before the speed-up)."""

    def element_class(number: int) -> int:
        return 7 if number == 8 else number

    out = set()
    for ring in mol.GetRingInfo().AtomRings():
        members = set(ring)
        atoms = [mol.GetAtomWithIdx(i) for i in ring]
        if not all(a.GetIsAromatic() for a in atoms):
            continue
        classes = sorted(element_class(a.GetAtomicNum()) for a in atoms)
        ch = 0
        attached = []
        for a in atoms:
            outside = [n for n in a.GetNeighbors() if n.GetIdx() not in members]
            if a.GetAtomicNum() == 6 and not outside and a.GetTotalNumHs() == 1:
                ch += 1
            attached += [element_class(n.GetAtomicNum()) for n in outside]
        out.add((len(ring), ch, *classes, 0, *sorted(attached)))
    return frozenset(out)


def test_ring_signatures_equal_the_atom_by_atom_reading() -> None:
    for mol in corpus():
        assert ring_signatures(mol) == _reference_ring_signatures(mol), Chem.MolToSmiles(mol)


def test_renumbered_queries_match_what_the_originals_match() -> None:
    index = get_index()
    mols = corpus()[::3]
    originals = [Chem.MolFromSmarts(skeleton_smarts(m)) for m in list(index.mols.values())[::4]] + [
        Chem.MolFromSmarts(Chem.MolToSmarts(g.query)) for g in index.gates
    ]
    for query in originals:
        renumbered = selective_first(query)
        assert renumbered.GetNumAtoms() == query.GetNumAtoms()
        for mol in mols:
            assert mol.HasSubstructMatch(renumbered) == mol.HasSubstructMatch(query)


def _reference_gated(mol: Chem.Mol) -> bool:
    """The gate check as it was: element needs compared on every call, the ring check
    when more than DIRECT_GATES fit, then the substructure searches."""
    index = get_index()
    have = structures.profile(structures.formula(mol), mol)
    fits = np.flatnonzero((index.gate_needs <= np.asarray(have, dtype=np.int32)).all(axis=1))
    gates = [index.gates[i] for i in fits.tolist()]
    if len(gates) > DIRECT_GATES:
        rings = _reference_ring_signatures(mol)
        gates = [g for g in gates if not g.rings or g.rings <= rings]
    return any(mol.HasSubstructMatch(g.query) for g in gates)


def test_gate_selection_flags_exactly_what_the_reference_flags() -> None:
    flagged = 0
    for mol in corpus():
        gated = TODAY._gated(mol)
        assert gated == _reference_gated(mol), Chem.MolToSmiles(mol)
        flagged += gated
    assert flagged > 100  # the corpus reaches the gates


def test_the_element_prefilter_never_clears_what_a_gate_matches() -> None:
    index = get_index()
    cleared = 0
    for mol in corpus():
        counts = structures.element_counts(structures.formula(mol))
        if not index.may_gate(counts):
            cleared += 1
            assert not any(mol.HasSubstructMatch(g.query) for g in index.gates), Chem.MolToSmiles(
                mol
            )
    assert cleared > 100


FENTANYL_LIKE = [
    "CCC(=O)N(c1ccccc1)C1CCN(CCc2ccccc2)CC1",
    "CC(=O)N(c1ccc(F)cc1)C1CCN(CCc2cccs2)CC1",
    "c1ccc(NC2CCNCC2)cc1",
    "CCC(=O)N(c1ccccn1)C1CCN(C)CC1",
    "O=C(N(c1ccccc1)C1CCN(CCc2ccccc2)CC1)C1CC1",
]


def test_the_anilinopiperidine_formula_check_never_clears_a_match() -> None:
    mols = [*corpus(), *(Chem.MolFromSmiles(s) for s in FENTANYL_LIKE)]
    matched = 0
    for mol in mols:
        if mol.HasSubstructMatch(fentanyl.ANILINOPIPERIDINE):
            matched += 1
            assert _may_be_anilinopiperidine(structures.formula(mol)), Chem.MolToSmiles(mol)
    assert matched >= len(FENTANYL_LIKE)


def _salts() -> list[str]:
    kb = load_kb()
    parents = [s.smiles for s in list(kb.substances.values())[::7] if "." not in s.smiles]
    ions = ["Cl", "[Cl-]", "[Na+]", "O", "[K+].[K+]", "OS(=O)(=O)O", "[O-]C(=O)C(F)(F)F"]
    out = [f"{p}.{ion}" for p, ion in zip(parents, ions * len(parents), strict=False)]
    return [
        *out,
        "C[NH2+]C(C)Cc1ccccc1.[Cl-]",
        "[Na+].CC(=O)[O-]",
        "CC[N+](C)(C)C.[Br-].O",
        "O=[N+]([O-])c1ccccc1.C[C@H](N)Cc1ccccc1",
        "CN[C@@H](C)Cc1ccccc1.CN[C@H](C)Cc1ccccc1",
        "[Ca+2].[O-2]",
        "CC(=O)Cc1ccccc1.CC(=O)c1ccccc1.CCO",
    ]


@pytest.mark.parametrize("smiles", _salts())
def test_a_multi_part_smiles_read_part_by_part_screens_as_the_whole(smiles: str) -> None:
    parts = TODAY._parts(smiles)
    assert parts is not None
    whole = structures.parse_structure(smiles)
    assert whole is not None
    charged = "+" in smiles or "-]" in smiles
    split = TODAY._fragments(whole, charged, one_part=False)
    assert [tuple(f.atoms) for f in parts] == [tuple(f.atoms) for f in split]
    assert [Chem.MolToSmiles(f.mol) for f in parts] == [Chem.MolToSmiles(f.mol) for f in split]
    fast = TODAY.screen_smiles(smiles)
    slow = TODAY.screen_mol(whole, query=smiles, charged=charged, one_part=False)
    assert fast.to_dict() == slow.to_dict()
    assert [r.highlight for r in fast.reasons] == [r.highlight for r in slow.reasons]


@pytest.mark.parametrize(
    "text",
    ["C1.C1", "CCO.Cl ethanol hydrochloride", "C..C", "CCO", "InChI=1S/CH4/h1H4", "C.C |$A;B$|"],
)
def test_what_does_not_split_cleanly_is_parsed_whole(text: str) -> None:
    assert TODAY._parts(text) is None


def test_a_ring_bond_across_parts_is_still_read() -> None:
    result = TODAY.screen_smiles("C1.C1")  # ethane, written oddly
    assert result.error is None
