"""What a test needs from the machine (PostgreSQL, chromium, Java and pyspark).

On a laptop without it the test is skipped with a message saying what to install; under
CI=true a missing one is a failure, never a silent skip.
"""

from __future__ import annotations

import os
from typing import NoReturn

import pytest

IN_CI = os.environ.get("CI", "").lower() == "true"


def unavailable(message: str) -> NoReturn:
    """Skip with ``message``, or fail with it under CI=true."""
    if IN_CI:
        pytest.fail(f"CI=true: {message}")
    pytest.skip(message)
