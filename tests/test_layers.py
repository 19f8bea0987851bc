"""Quality gates on the package's shape: layers import downwards only (import-linter), and
the core imports without the optional extras or the heavy engines it loads lazily."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))

# Distributions of the optional extras (and of development), as import names. None of them
# may be needed to import any narcolink module.
EXTRAS = (
    "psycopg",  # [postgres]
    "psycopg2",
    "pyspark",  # [spark]
    "datamol",  # [chem-eval]
    "chemicals",
    "recordlinkage",  # [bench]
    "pseudopeople",
    "playwright",  # [dev]
    "pytest",
    "hypothesis",
    "importlinter",
)

# Engines the core must not load at import time: they are imported inside the adapters and
# analyses that use them (DESIGN.md: heavy dependencies imported lazily).
ENGINES = ("duckdb", "splink", "rdkit", "igraph", "pyarrow", "pandas", "numpy", "fpdf")

# The core: the model, the store and the node, which every command and page stands on.
CORE = (
    "narcolink",
    "narcolink.settings",
    "narcolink.exc",
    "narcolink.logs",
    "narcolink.model.vocabulary",
    "narcolink.model.values",
    "narcolink.model.keys",
    "narcolink.model.markings",
    "narcolink.model.grading",
    "narcolink.model.records",
    "narcolink.model.roles",
    "narcolink.store",
    "narcolink.store.base",
    "narcolink.store.tables",
    "narcolink.store.writer",
    "narcolink.store.view",
    "narcolink.store.audit",
    "narcolink.store.migrate",
    "narcolink.services.node",
)

# Runs in a fresh interpreter: block the named top-level modules, import the targets (or
# every module of the package when told to walk it), report what failed and what loaded.
PROBE = textwrap.dedent(
    """
    import importlib, importlib.abc, json, pkgutil, sys, traceback

    blocked = set(json.loads(sys.argv[1]))
    targets = json.loads(sys.argv[2])
    walk = sys.argv[3] == "walk"

    class Block(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in blocked:
                raise ModuleNotFoundError(f"blocked for this test: {name}", name=name)
            return None

    sys.meta_path.insert(0, Block())
    failures = {}
    if walk:
        import narcolink
        targets = ["narcolink"] + [
            m.name for m in pkgutil.walk_packages(narcolink.__path__, "narcolink.")
        ]
    for name in targets:
        try:
            importlib.import_module(name)
        except BaseException:
            failures[name] = traceback.format_exc(limit=-3)
    loaded = sorted({m.split(".")[0] for m in sys.modules} & blocked)
    print(json.dumps({"imported": len(targets), "failures": failures, "loaded": loaded}))
    """
)


def probe(blocked: tuple[str, ...], targets: tuple[str, ...] = (), walk: bool = False) -> dict:
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            PROBE,
            json.dumps(blocked),
            json.dumps(list(targets)),
            "walk" if walk else "list",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_probe_notices_a_blocked_import() -> None:
    """Control: blocking a module the target needs must show up as a failure."""
    outcome = probe(("sqlalchemy",), ("narcolink.store",))
    assert "narcolink.store" in outcome["failures"]
    assert "blocked for this test: sqlalchemy" in outcome["failures"]["narcolink.store"]


def test_the_core_imports_without_extras_or_engines() -> None:
    outcome = probe(EXTRAS + ENGINES, CORE)
    assert outcome["failures"] == {}, "\n".join(outcome["failures"].values())
    assert outcome["imported"] == len(CORE)


def test_every_module_imports_without_the_optional_extras() -> None:
    outcome = probe(EXTRAS, walk=True)
    assert outcome["failures"] == {}, "\n".join(
        f"{name}:\n{trace}" for name, trace in outcome["failures"].items()
    )
    assert outcome["imported"] > len(CORE)


def test_extras_list_covers_the_declared_extras() -> None:
    """Every optional extra that the core does not also require is blocked above."""
    core = {_name(req) for req in PYPROJECT["project"]["dependencies"]}
    declared = {
        _name(req)
        for extra, reqs in PYPROJECT["project"]["optional-dependencies"].items()
        for req in reqs
    }
    import_names = {"import-linter": "importlinter", "psycopg": "psycopg"}
    tooling = {"httpx", "ruff", "mypy", "types-pyyaml", "pandas", "pyarrow"}
    missing = {import_names.get(name, name) for name in declared - core - tooling} - set(EXTRAS)
    assert missing == set(), f"block these in EXTRAS too: {sorted(missing)}"


def _name(requirement: str) -> str:
    for stop in "[<>=!~; ":
        requirement = requirement.split(stop, 1)[0]
    return requirement.strip().lower()


def lint_imports(cwd: Path) -> subprocess.CompletedProcess[str]:
    code = (
        "from importlinter.cli import lint_imports; raise SystemExit(lint_imports(no_cache=True))"
    )
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=cwd, check=False
    )


def test_import_linter_contracts_are_kept() -> None:
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_the_layer_contract_keeps_the_design_order() -> None:
    contracts = {c["name"]: c for c in PYPROJECT["tool"]["importlinter"]["contracts"]}
    layers = next(c for c in contracts.values() if c["type"] == "layers")["layers"]
    flat = [layer.replace("(", "").replace(")", "") for layer in layers]

    def position(module: str) -> int:
        return next(i for i, layer in enumerate(flat) if module in layer.split(" | "))

    order = ["narcolink.web", "narcolink.services", "narcolink.analysis", "narcolink.store"]
    assert [position(m) for m in order] == sorted(position(m) for m in order)
    assert position("narcolink.store") < position("narcolink.model")
    assert position("narcolink.ingest") == position("narcolink.store")
    forbidden = [c for c in contracts.values() if c["type"] == "forbidden"]
    assert any(
        {"narcolink.web", "narcolink.cli"} <= set(c["source_modules"])
        and "narcolink.store" in c["forbidden_modules"]
        for c in forbidden
    ), "the web and the CLI must be forbidden from importing the store"


def test_import_linter_catches_an_upward_import(tmp_path: Path) -> None:
    """Control: the same tool, on a tiny package that breaks its layers, fails."""
    package = tmp_path / "toy"
    (package / "low").mkdir(parents=True)
    (package / "high").mkdir()
    (package / "__init__.py").write_text("")
    (package / "high" / "__init__.py").write_text("")
    (package / "low" / "__init__.py").write_text("import toy.high\n")
    (tmp_path / ".importlinter").write_text(
        "[importlinter]\nroot_package = toy\n\n"
        "[importlinter:contract:layers]\nname = toy layers\ntype = layers\n"
        "layers =\n    toy.high\n    toy.low\n"
    )
    result = lint_imports(tmp_path)
    assert result.returncode != 0
    assert "BROKEN" in result.stdout or "broken" in result.stdout


@pytest.mark.parametrize("module", ["narcolink.store", "narcolink.model.vocabulary"])
def test_core_modules_build_nothing_at_import(module: str) -> None:
    """No engine, model or settings object is built at import (DESIGN.md: habits)."""
    code = textwrap.dedent(
        f"""
        import {module}
        from narcolink.model.vocabulary import get_model
        print(get_model.cache_info().currsize)
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[0] == "0", f"{module} built the FtM model at import"


def test_the_lock_pins_every_dependency_the_install_uses() -> None:
    """run.py installs requirements.lock: a dependency missing from it would be resolved
    afresh on each machine, unpinned (the lock is made with the dev extra, which includes
    the postgres driver)."""
    lock = ROOT / "requirements.lock"
    pinned = {}
    for line in lock.read_text(encoding="utf-8").splitlines():
        if "==" in line and not line.lstrip().startswith("#"):
            name, _, version = line.partition("==")
            pinned[_name(name).replace("_", "-")] = version.split(";")[0].strip()
    project = PYPROJECT["project"]
    needed = list(project["dependencies"]) + list(project["optional-dependencies"]["dev"])
    missing = sorted({_name(r).replace("_", "-") for r in needed} - set(pinned))
    assert missing == [], f"add to requirements.lock (uv pip compile ...): {missing}"
    assert all(pinned.values()), "every lock entry pins one version"
