"""Fixtures: a ``narcolink`` runner bound to a fresh node (SQLite, or PostgreSQL when
NARCOLINK_TEST_DATABASE_URL is set), and one initialised with a few users."""

from __future__ import annotations

from pathlib import Path

import pytest

from narcolink.settings import Settings

from .clihelp import ADMIN_PASSWORD, USER_PASSWORD, Cli


@pytest.fixture
def cli(settings: Settings, tmp_path: Path) -> Cli:
    return Cli(settings, tmp_path)


@pytest.fixture
def initialised(cli: Cli) -> Cli:
    """A node initialised for ncb with administrator 'boss', analyst 'ravi', auditor 'meera'."""
    secret = cli.write("admin.pw", ADMIN_PASSWORD + "\n")
    result = cli(
        "init",
        "--agency",
        "ncb",
        "--agency-name",
        "Narcotics Control Bureau",
        "--country",
        "in",
        "--admin",
        "boss",
        "--password-file",
        str(secret),
    )
    assert result.exit_code == 0, result.output
    user_pw = cli.write("user.pw", USER_PASSWORD)
    for name, roles in (("ravi", "analyst"), ("meera", "auditor")):
        result = cli(
            "users",
            "add",
            name,
            "--roles",
            roles,
            "--password-file",
            str(user_pw),
            "--as",
            "boss",
        )
        assert result.exit_code == 0, result.output
    return cli
