"""SVG depictions with the matched part highlighted (drawn by RDKit, no scripts)."""

from __future__ import annotations

from rdkit import Chem
from rdkit.Chem.Draw import rdMolDraw2D

from narcolink.analysis.chemistry.structures import parse_structure

HIGHLIGHT = (0.98, 0.71, 0.26)  # amber: readable in print and on screen


def depict(
    structure: str, highlight: tuple[int, ...] = (), width: int = 260, height: int = 190
) -> str:
    """An SVG of ``structure`` (SMILES, InChI or molfile) with ``highlight`` atoms and
    the bonds between them marked; an empty string if it does not parse."""
    mol = parse_structure(structure)
    if mol is None:
        return ""
    atoms = [i for i in highlight if 0 <= i < mol.GetNumAtoms()]
    chosen = set(atoms)
    bonds = [
        b.GetIdx()
        for b in mol.GetBonds()
        if b.GetBeginAtomIdx() in chosen and b.GetEndAtomIdx() in chosen
    ]
    drawer = rdMolDraw2D.MolDraw2DSVG(width, height)
    drawer.drawOptions().clearBackground = False  # type: ignore[assignment]
    colours = {i: HIGHLIGHT for i in atoms}
    bond_colours = {i: HIGHLIGHT for i in bonds}
    rdMolDraw2D.PrepareAndDrawMolecule(
        drawer,
        Chem.Mol(mol),
        highlightAtoms=atoms,
        highlightBonds=bonds,
        highlightAtomColors=colours,
        highlightBondColors=bond_colours,
    )
    drawer.FinishDrawing()
    return str(drawer.GetDrawingText())
