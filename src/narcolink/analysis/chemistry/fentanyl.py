"""Generic legal definitions of fentanyl-related substances, read structurally.

US, 21 CFR 1308.11(h)(30) (class-wide since 6 Feb 2018; permanent under the HALT
Fentanyl Act, 2025): any substance not otherwise controlled that is structurally related
to fentanyl by one or more of these modifications:

  A  replacement of the phenyl portion of the phenethyl group by any monocycle, whether
     or not further substituted in or on the monocycle;
  B  substitution in or on the phenethyl group with alkyl, alkenyl, alkoxyl, hydroxyl,
     halo, haloalkyl, amino or nitro groups;
  C  substitution in or on the piperidine ring with alkyl, alkenyl, alkoxyl, ester,
     ether, hydroxyl, halo, haloalkyl, amino or nitro groups;
  D  replacement of the aniline ring with any aromatic monocycle whether or not further
     substituted in or on the aromatic monocycle;
  E  replacement of the N-propionyl group by another acyl group.

China, class listing effective 1 May 2019: compounds that, compared with fentanyl, meet
one or more of: (1) another acyl group replaces the propionyl group; (2) any substituted
or unsubstituted monocyclic aromatic group replaces the phenyl on the amide nitrogen;
(3) the piperidine ring carries alkyl, alkenyl, alkoxy, ester, ether, hydroxyl, halogen,
haloalkyl, amino or nitro substituents; (4) any group other than hydrogen replaces the
phenethyl group.

Both keep the N-(piperidin-4-yl)-N-aryl amide core; everything else is read from the
atoms around it. Our reading of each phrase is stated in docs/chemistry.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rdkit import Chem

US_MODIFICATIONS = {
    "A": "the phenyl of the phenethyl group is replaced by another monocycle",
    "B": "the phenethyl group carries listed substituents",
    "C": "the piperidine ring carries listed substituents",
    "D": "the aniline ring is replaced by another (or substituted) aromatic monocycle",
    "E": "the N-propionyl group is replaced by another acyl group",
}
CN_CONDITIONS = {
    "1": "another acyl group replaces the propionyl group",
    "2": "another (or substituted) monocyclic aromatic group replaces the N-phenyl",
    "3": "the piperidine ring carries listed substituents",
    "4": "another group (not hydrogen) replaces the phenethyl group",
}
ALLOWED_PHENETHYL = frozenset(
    {"alkyl", "alkenyl", "alkoxyl", "hydroxyl", "halo", "haloalkyl", "amino", "nitro"}
)
ALLOWED_PIPERIDINE = ALLOWED_PHENETHYL | {"ester", "ether"}
HALOGENS = frozenset({9, 17, 35, 53})

# amide carbonyl C, O, amide N, aryl atom, then the piperidine ring N1..C6 (C4 first)
CORE = Chem.MolFromSmarts("[#6X3](=[OX1])[NX3](-[a])[C;R]1[C;R][C;R][N;R;!a][C;R][C;R]1")
# Any N-aryl 4-aminopiperidine: the one prefilter every fragment meets
ANILINOPIPERIDINE = Chem.MolFromSmarts("[#7X3](-a)[C;R]1[C;R][C;R][N;R;!a][C;R][C;R]1")
# 4-anilinopiperidine core without the acyl (ANPP, 4-AP): class members are one step away
AMINE_CORE = Chem.MolFromSmarts("[NX3;H1;!$(N-C=O)](-[a])[C;R]1[C;R][C;R][N;R;!a][C;R][C;R]1")


@dataclass
class ClassReading:
    """How one structure reads against the two class definitions."""

    core_atoms: tuple[int, ...] = ()
    us_modifications: list[str] = field(default_factory=list)
    us_blockers: list[str] = field(default_factory=list)
    cn_conditions: list[str] = field(default_factory=list)
    cn_blockers: list[str] = field(default_factory=list)

    @property
    def us_member(self) -> bool:
        return bool(self.us_modifications) and not self.us_blockers

    @property
    def cn_member(self) -> bool:
        return bool(self.cn_conditions) and not self.cn_blockers

    @property
    def is_fentanyl(self) -> bool:
        return bool(self.core_atoms) and not (
            self.us_modifications or self.us_blockers or self.cn_conditions or self.cn_blockers
        )

    def us_text(self) -> str:
        return "; ".join(f"({m}) {US_MODIFICATIONS[m]}" for m in self.us_modifications)

    def cn_text(self) -> str:
        return "; ".join(f"({c}) {CN_CONDITIONS[c]}" for c in self.cn_conditions)


def _subtree(mol: Chem.Mol, start: int, blocked: set[int]) -> set[int] | None:
    """Atoms reachable from ``start`` without entering ``blocked``; None if the subtree
    touches a blocked atom other than through its attachment (a bridge or fused ring)."""
    seen = {start}
    stack = [start]
    first = True
    while stack:
        idx = stack.pop()
        for nbr in mol.GetAtomWithIdx(idx).GetNeighbors():
            n = nbr.GetIdx()
            if n in blocked:
                if first and idx == start:
                    continue  # the attachment bond itself
                return None
            if n not in seen:
                seen.add(n)
                stack.append(n)
        first = False
    return seen


def _attachment_ok(mol: Chem.Mol, start: int, blocked: set[int]) -> set[int] | None:
    atoms = _subtree(mol, start, blocked)
    if atoms is None:
        return None
    touching = sum(1 for n in mol.GetAtomWithIdx(start).GetNeighbors() if n.GetIdx() in blocked)
    return atoms if touching == 1 else None


def classify_substituent(mol: Chem.Mol, atoms: set[int], attach: int) -> str | None:
    """Name a substituent as one of the listed group types, or None if it is none."""
    if any(mol.GetAtomWithIdx(i).IsInRing() for i in atoms):
        return None
    elements = [mol.GetAtomWithIdx(i).GetAtomicNum() for i in atoms]
    first = mol.GetAtomWithIdx(attach)
    if len(atoms) == 1:
        z = first.GetAtomicNum()
        if z in HALOGENS:
            return "halo"
        if z == 8 and first.GetTotalNumHs() == 1:
            return "hydroxyl"
        if z == 7:
            return "amino"
        if z == 6:
            return "alkyl"
        return None
    heavy = set(elements)
    bonds = [
        mol.GetBondBetweenAtoms(a, b)
        for a in atoms
        for b in atoms
        if a < b and mol.GetBondBetweenAtoms(a, b) is not None
    ]
    orders = {b.GetBondType() for b in bonds}
    if heavy == {6}:
        if orders <= {Chem.BondType.SINGLE}:
            return "alkyl"
        if orders <= {Chem.BondType.SINGLE, Chem.BondType.DOUBLE}:
            return "alkenyl"
        return None
    if heavy <= {6} | HALOGENS and orders <= {Chem.BondType.SINGLE} and first.GetAtomicNum() == 6:
        return "haloalkyl"
    if heavy == {7, 8} and first.GetAtomicNum() == 7 and sum(z == 8 for z in elements) == 2:
        return "nitro" if len(atoms) == 3 else None
    if heavy == {6, 7} and first.GetAtomicNum() == 7 and orders <= {Chem.BondType.SINGLE}:
        return "amino"
    if heavy == {6, 8}:
        carbonyl = any(b.GetBondType() == Chem.BondType.DOUBLE for b in bonds)
        n_o = sum(z == 8 for z in elements)
        if carbonyl:
            doubles = [b for b in bonds if b.GetBondType() == Chem.BondType.DOUBLE]
            if n_o != 2 or len(doubles) != 1:
                return None
            c_atom = next(
                a
                for a in (doubles[0].GetBeginAtom(), doubles[0].GetEndAtom())
                if a.GetAtomicNum() == 6
            )
            single_o = [
                n
                for n in c_atom.GetNeighbors()
                if n.GetAtomicNum() == 8
                and n.GetIdx() in atoms
                and n.GetDegree() == 2
                and mol.GetBondBetweenAtoms(n.GetIdx(), c_atom.GetIdx()).GetBondType()
                == Chem.BondType.SINGLE
            ]
            return "ester" if single_o else None
        if orders <= {Chem.BondType.SINGLE}:
            return "alkoxyl" if first.GetAtomicNum() == 8 else "ether"
    return None


def _ring_of(mol: Chem.Mol, atom: int) -> tuple[int, ...] | None:
    rings = [r for r in mol.GetRingInfo().AtomRings() if atom in r]
    return rings[0] if len(rings) == 1 else None


def _is_monocycle(mol: Chem.Mol, ring: tuple[int, ...]) -> bool:
    info = mol.GetRingInfo()
    return all(info.NumAtomRings(i) == 1 for i in ring)


def _ring_substituents(
    mol: Chem.Mol, ring: tuple[int, ...], blocked: set[int]
) -> list[tuple[int, set[int] | None]]:
    out = []
    for idx in ring:
        for nbr in mol.GetAtomWithIdx(idx).GetNeighbors():
            n = nbr.GetIdx()
            if n in ring or n in blocked:
                continue
            out.append((n, _attachment_ok(mol, n, set(ring) | blocked)))
    return out


def _read_acyl(mol: Chem.Mol, carbonyl: int, oxygen: int, amide_n: int, r: ClassReading) -> None:
    others = [
        a.GetIdx()
        for a in mol.GetAtomWithIdx(carbonyl).GetNeighbors()
        if a.GetIdx() not in (oxygen, amide_n)
    ]
    if len(others) == 1:
        atoms = _subtree(mol, others[0], {carbonyl})
        if atoms is not None and len(atoms) == 2:
            elements = {mol.GetAtomWithIdx(i).GetAtomicNum() for i in atoms}
            degrees = sorted(mol.GetAtomWithIdx(i).GetDegree() for i in atoms)
            single = (
                all(not mol.GetAtomWithIdx(i).GetIsAromatic() for i in atoms)
                and mol.GetBondBetweenAtoms(*atoms).GetBondType() == Chem.BondType.SINGLE
            )
            if elements == {6} and degrees == [1, 2] and single:
                return  # propionyl: no modification
    r.us_modifications.append("E")
    r.cn_conditions.append("1")


def _read_aryl(mol: Chem.Mol, aryl: int, core: set[int], r: ClassReading) -> None:
    ring = _ring_of(mol, aryl)
    if (
        ring is None
        or not _is_monocycle(mol, ring)
        or not all(mol.GetAtomWithIdx(i).GetIsAromatic() for i in ring)
    ):
        r.us_blockers.append("the group on the amide nitrogen is not an aromatic monocycle")
        r.cn_blockers.append("the group on the amide nitrogen is not a monocyclic aromatic group")
        return
    phenyl = len(ring) == 6 and all(mol.GetAtomWithIdx(i).GetAtomicNum() == 6 for i in ring)
    substituted = bool(_ring_substituents(mol, ring, core))
    if not phenyl or substituted:
        r.us_modifications.append("D")
        r.cn_conditions.append("2")


def _read_piperidine(mol: Chem.Mol, ring: list[int], amide_n: int, r: ClassReading) -> None:
    blocked = set(ring) | {amide_n}
    found = False
    for idx in ring[1:]:  # carbons; ring[0] is N1
        for nbr in mol.GetAtomWithIdx(idx).GetNeighbors():
            n = nbr.GetIdx()
            if n in blocked:
                continue
            atoms = _attachment_ok(mol, n, blocked)
            kind = classify_substituent(mol, atoms, n) if atoms else None
            if kind not in ALLOWED_PIPERIDINE:
                r.us_blockers.append(
                    "a group on the piperidine ring is not one the definition lists"
                )
                r.cn_blockers.append(
                    "a group on the piperidine ring is not one the definition lists"
                )
                return
            found = True
    if found:
        r.us_modifications.append("C")
        r.cn_conditions.append("3")


def _read_phenethyl(mol: Chem.Mol, n1: int, core: set[int], r: ClassReading) -> None:
    outside = [a.GetIdx() for a in mol.GetAtomWithIdx(n1).GetNeighbors() if a.GetIdx() not in core]
    if not outside:
        r.us_blockers.append("no group on the piperidine nitrogen (a nor-compound)")
        r.cn_blockers.append("no group on the piperidine nitrogen (a nor-compound)")
        return
    if len(outside) > 1:
        r.us_blockers.append("the piperidine nitrogen carries more than one group")
        r.cn_blockers.append("the piperidine nitrogen carries more than one group")
        return
    ca = outside[0]
    if _attachment_ok(mol, ca, core) is None:
        r.us_blockers.append("the group on the piperidine nitrogen is fused or bridged to the core")
        r.cn_blockers.append("the group on the piperidine nitrogen is fused or bridged to the core")
        return
    plain, us_mods, why_not = _phenethyl_reading(mol, n1, ca, core)
    if why_not:
        r.us_blockers.append(why_not)
    else:
        r.us_modifications.extend(us_mods)
    if not plain:
        r.cn_conditions.append("4")


def _phenethyl_reading(
    mol: Chem.Mol, n1: int, ca: int, core: set[int]
) -> tuple[bool, list[str], str | None]:
    """(is plain phenethyl, US modifications, reason it is not a phenethyl-type group)."""
    not_phenethyl = "the group on the piperidine nitrogen is not a (modified) phenethyl group"
    a = mol.GetAtomWithIdx(ca)
    if a.GetAtomicNum() != 6 or a.IsInRing() or a.GetHybridization() != Chem.HybridizationType.SP3:
        return False, [], not_phenethyl
    chain_b = [
        x.GetIdx()
        for x in a.GetNeighbors()
        if x.GetIdx() != n1
        and x.GetAtomicNum() == 6
        and not x.IsInRing()
        and x.GetHybridization() == Chem.HybridizationType.SP3
    ]
    for cb in chain_b:
        b = mol.GetAtomWithIdx(cb)
        ring_atoms = [x.GetIdx() for x in b.GetNeighbors() if x.IsInRing() and x.GetIdx() != ca]
        if len(ring_atoms) != 1:
            continue
        ring = _ring_of(mol, ring_atoms[0])
        if ring is None or not _is_monocycle(mol, ring):
            return False, [], "the phenethyl's ring is not a monocycle"
        mods: list[str] = []
        linker_subs = [x.GetIdx() for x in a.GetNeighbors() if x.GetIdx() not in (n1, cb)] + [
            x.GetIdx() for x in b.GetNeighbors() if x.GetIdx() not in (ca, ring_atoms[0])
        ]
        blocked = core | {ca, cb} | set(ring)
        for s in linker_subs:
            atoms = _attachment_ok(mol, s, blocked)
            if atoms is None or classify_substituent(mol, atoms, s) not in ALLOWED_PHENETHYL:
                return False, [], "a group on the phenethyl chain is not one the definition lists"
        if linker_subs:
            mods.append("B")
        phenyl = len(ring) == 6 and all(
            mol.GetAtomWithIdx(i).GetAtomicNum() == 6 and mol.GetAtomWithIdx(i).GetIsAromatic()
            for i in ring
        )
        ring_subs = _ring_substituents(mol, ring, core | {ca, cb})
        if phenyl:
            for s, atoms in ring_subs:
                if atoms is None or classify_substituent(mol, atoms, s) not in ALLOWED_PHENETHYL:
                    return (
                        False,
                        [],
                        "a group on the phenethyl's phenyl is not one the definition lists",
                    )
            if ring_subs and "B" not in mods:
                mods.append("B")
        else:
            if any(atoms is None for _, atoms in ring_subs):
                return False, [], "the phenethyl's ring is fused or bridged"
            mods.insert(0, "A")
        return not mods, mods, None
    return False, [], not_phenethyl


def read_classes(mol: Chem.Mol) -> ClassReading | None:
    """Read ``mol`` against both definitions; None when it lacks the fentanyl core."""
    matches = mol.GetSubstructMatches(CORE)
    if not matches:
        return None
    best: ClassReading | None = None
    for match in matches:
        carbonyl, oxygen, amide_n, aryl, c4, c3, c2, n1, c6, c5 = match
        ring = [n1, c2, c3, c4, c5, c6]
        r = ClassReading(core_atoms=tuple(match))
        _read_acyl(mol, carbonyl, oxygen, amide_n, r)
        _read_aryl(mol, aryl, {amide_n}, r)
        _read_piperidine(mol, ring, amide_n, r)
        _read_phenethyl(mol, n1, set(ring), r)
        if best is None or (r.us_member, r.cn_member) > (best.us_member, best.cn_member):
            best = r
    return best
