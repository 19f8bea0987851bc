"""The test runner for ``narcolink`` commands, bound to one node's settings."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from typer.testing import CliRunner, Result

from narcolink.cli.main import app
from narcolink.services.node import Node
from narcolink.settings import Settings

ADMIN_PASSWORD = "admin password for tests"
USER_PASSWORD = "user password for tests"


@dataclass
class Cli:
    """Runs ``narcolink --data-dir ... [--database-url ...] ARGS`` in process."""

    settings: Settings
    tmp: Path

    def __call__(self, *args: str, env: dict[str, str] | None = None) -> Result:
        base = ["--data-dir", str(self.settings.data_dir)]
        if self.settings.database_url:
            base += ["--database-url", self.settings.database_url]
        clean: dict[str, str | None] = {"NARCOLINK_AS": None, "NARCOLINK_ADMIN_PASSWORD": None}
        runner = CliRunner(env={**clean, **(env or {})})
        return runner.invoke(app, [*base, *args], catch_exceptions=False)

    def write(self, name: str, text: str) -> Path:
        path = self.tmp / name
        path.write_text(text, encoding="utf-8")
        return path

    def node(self) -> Node:
        return Node.open(self.settings)
