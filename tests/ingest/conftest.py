"""Fixtures for ingest tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.support import Reader, make_reader


@pytest.fixture
def read(tmp_path: Path) -> Reader:
    return make_reader(tmp_path)
