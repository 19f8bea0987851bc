"""``narcolink init`` and ``narcolink users``: exit codes, passwords, acting as a user."""

from __future__ import annotations

import re

from narcolink import exc
from narcolink.services import accounts

from .clihelp import ADMIN_PASSWORD, USER_PASSWORD, Cli

INIT = ["init", "--agency", "ncb", "--agency-name", "Narcotics Control Bureau", "--country", "in"]


def test_help_names_every_command_with_a_summary_and_an_example(cli: Cli) -> None:
    result = cli("--help")
    assert result.exit_code == 0
    commands = ["init", "import", "export", "serve", "demo", "users", "audit", "docs"]
    for name in commands:
        assert f" {name} " in result.output, name
    for args in (
        ["init"],
        ["import"],
        ["export"],
        ["serve"],
        ["demo"],
        ["users", "add"],
        ["users", "list"],
        ["users", "disable"],
        ["users", "enable"],
        ["audit", "verify"],
        ["audit", "tail"],
        ["docs", "model"],
    ):
        text = cli(*args, "--help").output
        assert re.search(r"Example:\n +narcolink .*" + " ".join(args), text), args


def test_init_reads_the_password_file_and_the_admin_can_log_in(cli: Cli) -> None:
    secret = cli.write("pw", ADMIN_PASSWORD + "\n")
    result = cli(*INIT, "--admin", "asha", "--password-file", str(secret))
    assert result.exit_code == 0, result.output
    assert "Administrator 'asha' created" in result.output
    node = cli.node()
    try:
        assert accounts.authenticate(node, "asha", ADMIN_PASSWORD).agency == "ncb"
    finally:
        node.close()


def test_init_takes_the_password_from_the_environment(cli: Cli) -> None:
    result = cli(*INIT, "--admin", "asha", env={"NARCOLINK_ADMIN_PASSWORD": ADMIN_PASSWORD})
    assert result.exit_code == 0, result.output
    node = cli.node()
    try:
        assert accounts.authenticate(node, "asha", ADMIN_PASSWORD).username == "asha"
    finally:
        node.close()


def test_init_without_a_password_or_terminal_fails_clearly(cli: Cli) -> None:
    result = cli(*INIT, "--admin", "asha")
    assert result.exit_code == exc.BadRequest.exit_code == 2
    assert "--password-file" in result.stderr
    assert "NARCOLINK_ADMIN_PASSWORD" in result.stderr
    assert result.stderr.count("\n") == 1


def test_init_twice_is_a_conflict(initialised: Cli) -> None:
    secret = initialised.write("pw2", ADMIN_PASSWORD)
    result = initialised(*INIT, "--admin", "other", "--password-file", str(secret))
    assert result.exit_code == exc.Conflict.exit_code == 5
    assert "already initialised" in result.stderr


def test_init_rejects_a_weak_password(cli: Cli) -> None:
    secret = cli.write("pw", "short")
    result = cli(*INIT, "--password-file", str(secret))
    assert result.exit_code == 2
    assert "at least 12 characters" in result.stderr


def test_users_list_add_disable_enable(initialised: Cli) -> None:
    listed = initialised("users", "list", "--as", "boss")
    assert listed.exit_code == 0, listed.output
    for name in ("boss", "ravi", "meera"):
        assert name in listed.output
    assert initialised("users", "disable", "ravi", "--as", "boss").exit_code == 0
    refused = initialised("audit", "tail", "--as", "ravi")
    assert refused.exit_code == exc.NotAuthenticated.exit_code == 3
    assert "no active user 'ravi'" in refused.stderr
    assert initialised("users", "enable", "ravi", "--as", "boss").exit_code == 0
    node = initialised.node()
    try:
        assert accounts.authenticate(node, "ravi", USER_PASSWORD).username == "ravi"
    finally:
        node.close()


def test_users_commands_need_an_administrator(initialised: Cli) -> None:
    result = initialised("users", "list", "--as", "ravi")
    assert result.exit_code == exc.Forbidden.exit_code == 3
    assert "manage_users" in result.stderr


def test_unknown_role_and_taken_username_are_reported(initialised: Cli) -> None:
    pw = initialised.write("pw", USER_PASSWORD)
    bad = initialised(
        "users", "add", "x1", "--roles", "kingpin", "--password-file", str(pw), "--as", "boss"
    )
    assert bad.exit_code == 2
    assert "unknown role 'kingpin'" in bad.stderr
    taken = initialised(
        "users", "add", "ravi", "--roles", "analyst", "--password-file", str(pw), "--as", "boss"
    )
    assert taken.exit_code == 5
    assert "taken" in taken.stderr


def test_acting_as_an_unknown_user_is_refused(initialised: Cli) -> None:
    result = initialised("users", "list", "--as", "nobody")
    assert result.exit_code == 3
    assert "no active user 'nobody'" in result.stderr


def test_as_can_come_from_the_environment(initialised: Cli) -> None:
    result = initialised("users", "list", env={"NARCOLINK_AS": "boss"})
    assert result.exit_code == 0, result.output
    assert "ravi" in result.output


def test_an_invalid_setting_names_the_variable(cli: Cli) -> None:
    result = cli("users", "list", "--as", "boss", env={"NARCOLINK_PORT": "not-a-port"})
    assert result.exit_code == 2
    assert "NARCOLINK_PORT" in result.stderr
