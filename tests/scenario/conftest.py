"""A small generated world, written once per test session and read by the scenario tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from narcolink.scenario import Summary, generate

SEED = 11
SCALE = 0.05  # about 2,500 records: every kind of record and both networks, in a second


@pytest.fixture(scope="session")
def world(tmp_path_factory: pytest.TempPathFactory) -> Summary:
    return generate("medmax", SEED, SCALE, tmp_path_factory.mktemp("world") / "out", workers=1)


@pytest.fixture(scope="session")
def noisy_world(tmp_path_factory: pytest.TempPathFactory) -> Summary:
    """Large enough (a few thousand person records) to measure the noise rates."""
    return generate("medmax", 5, 0.4, tmp_path_factory.mktemp("noisy") / "out", workers=1)


def root_of(summary: Summary) -> Path:
    return summary.root
