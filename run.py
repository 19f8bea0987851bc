#!/usr/bin/env python3
"""Bootstrap for a fresh machine with only Python 3.11+ and git.

    python3 run.py demo [options]   build the demo node and serve it (narcolink demo --help)
    python3 run.py test [pytest options]   run the test suite

It creates ``.venv`` next to this file if missing, installs the project there from the
pinned ``requirements.lock`` (again only when pyproject.toml, the lock or the Python
version changed), then runs the command inside it. It needs no terminal, so it works the
same in CI and over ssh. Uses the standard library only.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
LOCK = ROOT / "requirements.lock"
PYPROJECT = ROOT / "pyproject.toml"
STAMP = VENV / ".narcolink-install-stamp"
USAGE = "usage: python3 run.py demo|test [arguments passed on]"


def fail(message: str, code: int = 2) -> None:
    print(f"run.py: {message}", file=sys.stderr)
    raise SystemExit(code)


def venv_bin(name: str) -> Path:
    folder = "Scripts" if os.name == "nt" else "bin"
    suffix = ".exe" if os.name == "nt" else ""
    return VENV / folder / f"{name}{suffix}"


def fingerprint() -> str:
    """What an install depends on: the project file, the lock and this Python."""
    digest = hashlib.sha256()
    for path in (PYPROJECT, LOCK):
        digest.update(path.read_bytes())
    digest.update(sys.version.encode())
    return digest.hexdigest()


def ensure_venv() -> Path:
    python = venv_bin("python")
    if python.exists():
        return python
    print(f"run.py: creating {VENV}", file=sys.stderr)
    result = subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=False)  # noqa: S603
    if result.returncode != 0 or not python.exists():
        fail(
            "could not create the virtual environment; on Debian or Ubuntu install the "
            "python3-venv package, then run this again"
        )
    return python


def ensure_installed(python: Path) -> None:
    wanted = fingerprint()
    if STAMP.exists() and STAMP.read_text().strip() == wanted:
        return
    print("run.py: installing narcolink and its pinned dependencies", file=sys.stderr)
    command = [
        str(python),
        "-m",
        "pip",
        "install",
        "--disable-pip-version-check",
        "--progress-bar",
        "off",
        "-r",
        str(LOCK),
        "-e",
        str(ROOT),
    ]
    if subprocess.run(command, cwd=ROOT, check=False).returncode != 0:  # noqa: S603
        fail("installing the dependencies failed (see pip's message above)", 1)
    STAMP.write_text(wanted + "\n")


def run(argv: list[str]) -> None:
    """Replace this process with the command, so signals (Ctrl-C) reach it directly."""
    sys.stdout.flush()
    sys.stderr.flush()
    if os.name == "nt":  # no real exec on Windows
        raise SystemExit(subprocess.run(argv, cwd=ROOT, check=False).returncode)  # noqa: S603
    os.chdir(ROOT)
    os.execv(argv[0], argv)  # noqa: S606 - our own venv's executables, no shell


def main(args: list[str]) -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 - run.py may be started by any python3
        fail(f"narcolink needs Python 3.11 or newer; this is {sys.version.split()[0]}")
    if not args or args[0] not in ("demo", "test"):
        fail(USAGE)
    for needed in (PYPROJECT, LOCK):
        if not needed.exists():
            fail(f"{needed.name} is missing; run this from a complete checkout")
    python = ensure_venv()
    ensure_installed(python)
    command, rest = args[0], args[1:]
    if command == "demo":
        run([str(venv_bin("narcolink")), "demo", *rest])
    else:
        run([str(python), "-m", "pytest", *rest])


if __name__ == "__main__":
    main(sys.argv[1:])
