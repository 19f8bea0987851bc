"""Common synthetic steps as RDKit reaction templates.

Two kinds. *Forward* steps remove or rewrite part of a molecule (protecting-group removal,
hydrolysis, decarboxylation, glycidate or acetal to ketone, reduction, dehalogenation);
they are applied to the screened structure, whose skeleton therefore contains the
product's. *Retro* steps undo a step that adds atoms (N-phenethylation, N-acylation,
reductive amination, amination of an alpha-bromoketone, halogenation, esterification);
they are applied once, when the index is built, to every controlled structure, giving
the exact precursors one or two such steps away.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from rdkit import Chem
from rdkit.Chem import AllChem


@dataclass(frozen=True)
class Step:
    id: str
    name: str
    smarts: str
    confidence: float

    @cached_property
    def reaction(self) -> AllChem.ChemicalReaction:
        rxn = AllChem.ReactionFromSmarts(self.smarts)  # type: ignore[attr-defined]
        rxn.Initialize()
        return rxn

    @cached_property
    def reactant(self) -> Chem.Mol:
        return self.reaction.GetReactantTemplate(0)

    def apply(self, mol: Chem.Mol, limit: int = 8) -> list[Chem.Mol]:
        """Each product fragment of each way the step applies, sanitised; duplicates kept
        out by the caller."""
        if not mol.HasSubstructMatch(self.reactant):
            return []
        out = []
        for products in self.reaction.RunReactants((mol,), limit):
            for product in products:
                try:
                    Chem.SanitizeMol(product)
                except (ValueError, RuntimeError):
                    continue
                for frag in Chem.GetMolFrags(product, asMols=True, sanitizeFrags=False):
                    out.append(frag)
        return out


FORWARD: tuple[Step, ...] = (
    Step("boc", "Boc removal", "[N:1]C(=O)OC([CH3])([CH3])[CH3]>>[N:1]", 0.9),
    Step("cbz", "Cbz removal", "[N:1]C(=O)O[CH2]c1[cH][cH][cH][cH][cH]1>>[N:1]", 0.9),
    Step("carbamate", "carbamate cleavage", "[N:1]C(=O)O[CX4]>>[N:1]", 0.85),
    Step(
        "n_benzyl",
        "N-benzyl removal",
        "[N;!$(N-C=[O,S]):1]-[CH2]-c1[cH][cH][cH][cH][cH]1>>[N:1]",
        0.8,
    ),
    Step(
        "o_benzyl", "O-benzyl removal", "[O;!$(O-C=O):1]-[CH2]-c1[cH][cH][cH][cH][cH]1>>[O:1]", 0.8
    ),
    Step("n_acetyl", "acetyl removal", "[N:1]-C(=O)[CH3]>>[N:1]", 0.8),
    Step("o_acetyl", "acetyl removal", "[O;X2:1]-C(=O)[CH3]>>[O:1]", 0.8),
    Step(
        "ester",
        "ester hydrolysis",
        "[#6:1][C:2](=[O:3])[O;X2:4][#6:5]>>[#6:1][C:2](=[O:3])O.[O:4][#6:5]",
        0.75,
    ),
    Step(
        "amide", "amide hydrolysis", "[#6:1][C:2](=[O:3])[NX3:4]>>[#6:1][C:2](=[O:3])O.[N:4]", 0.7
    ),
    Step("nitrile", "nitrile hydrolysis", "[#6:1][C:2]#[N]>>[#6:1][C:2](=O)O", 0.75),
    Step(
        "nitrile_amide",
        "nitrile hydrolysis (to the amide)",
        "[#6:1][C:2]#[N:3]>>[#6:1][C:2](=O)[N:3]",
        0.75,
    ),
    Step(
        "decarboxylation",
        "hydrolysis and decarboxylation",
        "[#6:1][C:2](=[O:3])[CX4;!R:4]-[$(C(=O)[O,N]),$(C#N)]>>[#6:1][C:2](=[O:3])[C:4]",
        0.8,
    ),
    Step(
        "glycidate",
        "glycidate to ketone",
        "[#6:5][C:1]1(C(=O)[#8])O[C:2]1>>[#6:5][C:1](=O)[C:2]",
        0.9,
    ),
    Step(
        "acetal",
        "acetal or ketal hydrolysis to the ketone",
        "[CX4;!$(C(O)(O)O):1]([OX2][#6])[OX2][#6]>>[C:1]=O",
        0.8,
    ),
    Step(
        "oxime",
        "oxime or imine hydrolysis",
        "[#6:2][C:1](=N[OX2,#1,#6])[#6:3]>>[#6:2][C:1](=O)[#6:3]",
        0.75,
    ),
    Step("dehalogenation", "dehalogenation", "[CX4:1][Cl,Br,I]>>[C:1]", 0.6),
    Step("deoxygenation", "benzylic deoxygenation", "[c:2][CX4:1][OX2H]>>[c:2][C:1]", 0.7),
    Step(
        "ketone_reduction",
        "ketone reduction",
        "[#6:2][CX3;!R:1](=[O:3])[#6:4]>>[#6:2][C:1]([O:3])[#6:4]",
        0.7,
    ),
    Step("nitro_reduction", "nitro reduction", "[#6:2][N+](=O)[O-]>>[#6:2]N", 0.75),
    Step(
        "nitroalkene_reduction",
        "nitroalkene reduction",
        "[C:1]=[C:2][N+](=O)[O-]>>[C:1][C:2]N",
        0.8,
    ),
    Step("o_demethylation", "O-demethylation", "[c:1][OX2:2][CH3]>>[c:1][O:2]", 0.7),
    Step("aryl_dehalogenation", "removal of a ring halogen", "[c:1][F,Cl,Br,I]>>[c:1]", 0.6),
)

# The reverse of the specific forward steps, applied when the index is built to small
# targets (fewer than GATE_MIN_ATOMS heavy atoms), whose skeletons are too common to gate
# on: each gives the exact protected or derivatised forms a trafficker would order.
# Each id names the forward step that undoes it.
PROTECT: tuple[Step, ...] = (
    Step("boc", "Boc removal", "[NX3;!H0;!$(N-C=[O,S]);!$(N-a):1]>>[N:1]C(=O)OC(C)(C)C", 0.9),
    Step("cbz", "Cbz removal", "[NX3;!H0;!$(N-C=[O,S]);!$(N-a):1]>>[N:1]C(=O)OCc1ccccc1", 0.9),
    Step(
        "carbamate", "carbamate cleavage", "[NX3;!H0;!$(N-C=[O,S]);!$(N-a):1]>>[N:1]C(=O)OC", 0.85
    ),
    Step(
        "carbamate", "carbamate cleavage", "[NX3;!H0;!$(N-C=[O,S]);!$(N-a):1]>>[N:1]C(=O)OCC", 0.85
    ),
    Step("n_benzyl", "N-benzyl removal", "[NX3;!H0;!$(N-C=[O,S]);!$(N-a):1]>>[N:1]Cc1ccccc1", 0.8),
    Step("n_acetyl", "acetyl removal", "[NX3;!H0;!$(N-C=[O,S]):1]>>[N:1]C(C)=O", 0.8),
    Step(
        "acetal",
        "acetal or ketal hydrolysis to the ketone",
        "[#6:2][CX3:1](=O)[#6:3]>>[#6:2][C:1]1([#6:3])OCCO1",
        0.8,
    ),
    Step(
        "acetal",
        "acetal or ketal hydrolysis to the ketone",
        "[#6:2][CX3:1](=O)[#6:3]>>[#6:2][C:1]([#6:3])(OC)OC",
        0.8,
    ),
    Step(
        "oxime",
        "oxime or imine hydrolysis",
        "[#6:2][CX3:1](=O)[#6:3]>>[#6:2][C:1](=NO)[#6:3]",
        0.75,
    ),
    Step("ester", "ester hydrolysis", "[#6:1][CX3:2](=[O:3])[OX2H]>>[#6:1][C:2](=[O:3])OC", 0.75),
    Step("ester", "ester hydrolysis", "[#6:1][CX3:2](=[O:3])[OX2H]>>[#6:1][C:2](=[O:3])OCC", 0.75),
    Step(
        "ester",
        "ester hydrolysis",
        "[#6:1][CX3:2](=[O:3])[OX2H]>>[#6:1][C:2](=[O:3])OC(C)(C)C",
        0.75,
    ),
    Step("amide", "amide hydrolysis", "[#6:1][CX3:2](=[O:3])[OX2H]>>[#6:1][C:2](=[O:3])N", 0.7),
    Step("nitrile", "nitrile hydrolysis", "[#6:1][CX3:2](=[O:3])[OX2H]>>[#6:1][C:2]#N", 0.75),
    Step("o_acetyl", "acetyl removal", "[CX4:1][OX2H]>>[C:1]OC(C)=O", 0.8),
    Step("o_benzyl", "O-benzyl removal", "[CX4:1][OX2H]>>[C:1]OCc1ccccc1", 0.8),
)

# Forward forms of the two steps that turn a fentanyl precursor into a fentanyl: used to
# ask whether a structure is one step from a member of a class definition.
CLASS_FORWARD: tuple[Step, ...] = (
    Step("phenethylation", "N-phenethylation", "[N;R;H1;!$(N-C=O):1]>>[N:1]CCc1ccccc1", 0.85),
    Step("propionylation", "N-propionylation", "[NX3;H1;$(N-a);!$(N-C=O):1]>>[N:1]C(=O)CC", 0.85),
)
# Steps after which a second forward step is tried: specific, high-confidence removals.
# Generic ones (amide hydrolysis, reduction, dehalogenation) would chain into noise.
CHAINABLE = frozenset(
    {
        "boc",
        "cbz",
        "carbamate",
        "n_benzyl",
        "o_benzyl",
        "acetal",
        "ester",
        "nitrile",
        "nitrile_amide",
        "glycidate",
        "oxime",
    }
)
# A product or precursor must keep at least this share of the larger structure's heavy
# atoms: penicillin G "is" phenylacetic acid plus a large amine, cyclohexanone "is" a
# reductive-amination precursor of MT-45, and neither is a useful lead.
MIN_RETAINED = 0.45
# Steps that only serve to read a listing's own derivative wording (never a risk alone).
DERIVATIVE_ONLY = frozenset({"aryl_dehalogenation"})
ESTER_STEPS = frozenset({"ester", "o_acetyl"})
ETHER_STEPS = frozenset({"o_demethylation", "o_benzyl"})
DERIVATIVE_STEPS = {
    "amides": frozenset({"amide", "n_acetyl"}),
    "carbamates": frozenset({"carbamate", "boc", "cbz"}),
    "acetals": frozenset({"acetal"}),
    "halides": frozenset({"aryl_dehalogenation"}),
}

RETRO: tuple[Step, ...] = (
    Step(
        "phenethylation",
        "N-phenethylation",
        "[N;R:1]-[CH2][CH2]c1[cH][cH][cH][cH][cH]1>>[N:1]",
        0.85,
    ),
    Step("propionylation", "N-propionylation", "[N:1]C(=O)[CH2][CH3]>>[N:1]", 0.85),
    Step("acetylation", "N-acetylation", "[N:1]C(=O)[CH3]>>[N:1]", 0.8),
    Step(
        "reductive_amination",
        "reductive amination",
        "[#6:3][CX4;H1:1]([#6:4])-[NX3;!$(N-C=O);!$(N-a):2]>>[#6:3][C:1]([#6:4])=O",
        0.8,
    ),
    Step(
        "reductive_amination_aniline",
        "reductive amination (with aniline)",
        "[#6:3][CX4;H1:1]([#6:4])-[NX3;H1:2]-c1[cH][cH][cH][cH][cH]1>>[#6:3][C:1]([#6:4])=O",
        0.85,
    ),
    Step(
        "bromoketone_amination",
        "amination of an alpha-bromoketone",
        "[#6:3][C:1](=[O:4])[CX4:2]-[NX3;!$(N-C=O)]>>[#6:3][C:1](=[O:4])[C:2]Br",
        0.8,
    ),
    Step(
        "bromination",
        "alpha-bromination of the ketone",
        "[#6:3][C:1](=[O:4])[CX4:2]Br>>[#6:3][C:1](=[O:4])[C:2]",
        0.6,
    ),
    Step("halogenation", "aromatic halogenation", "[c:1][F,Cl,Br,I]>>[c:1]", 0.6),
    Step(
        "esterification", "esterification", "[#6:1][C:2](=[O:3])O[CH3]>>[#6:1][C:2](=[O:3])O", 0.75
    ),
)

STEP_NAMES = {s.id: s.name for s in (*FORWARD, *RETRO, *CLASS_FORWARD)}
