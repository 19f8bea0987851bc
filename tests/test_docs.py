"""Documentation that must not drift from the code: settings, roles, exit codes, the model,
the command list and the README's two commands."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from narcolink import exc
from narcolink.cli.main import app
from narcolink.cli.modeldoc import render_model_doc
from narcolink.model.roles import GRANTS, Permission, Role
from narcolink.settings import Settings

DOCS = Path(__file__).resolve().parents[1] / "docs"
README = DOCS.parent / "README.md"
SRC = DOCS.parent / "src" / "narcolink"


def section(path: Path, heading: str) -> str:
    """The text under ``heading`` up to the next heading of the same or a higher level."""
    text = path.read_text(encoding="utf-8")
    level = heading.split(" ", 1)[0]
    start = text.index(heading + "\n")
    rest = text[start + len(heading) + 1 :]
    stop = re.search(rf"^#{{1,{len(level)}}} ", rest, flags=re.M)
    return rest[: stop.start()] if stop else rest


def table_rows(text: str) -> list[list[str]]:
    """Rows of every Markdown table in ``text`` (header included, separator lines skipped)."""
    rows = []
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("|") and not re.fullmatch(r"\|[-| :]+\|", line):
            rows.append([cell.strip() for cell in line.strip("|").split("|")])
    return rows


def test_every_setting_is_documented_with_its_default() -> None:
    rows = table_rows(section(DOCS / "deployment.md", "## Settings"))
    documented = {}
    for cells in rows:
        match = re.fullmatch(r"`NARCOLINK_([A-Z_]+)`", cells[0])
        if match and len(cells) == 3:
            documented[match.group(1).lower()] = cells
    assert set(documented) == set(Settings.model_fields), "deployment.md settings table"
    for name, field in Settings.model_fields.items():
        _, default, meaning = documented[name]
        assert meaning, f"{name} has no explanation"
        if field.default is None:
            assert default == "(none)", name
        elif isinstance(field.default, Path):
            assert Path(default.strip("`")) == field.default, name
        else:
            assert default.strip("`") == str(field.default), name


def test_roles_table_matches_the_grants() -> None:
    rows = table_rows(section(DOCS / "security.md", "## Who may do what"))
    header = rows[0]
    assert header[0] == "role"
    assert header[1:] == [p.value for p in Permission]
    table = {cells[0]: cells[1:] for cells in rows[1 : 1 + len(Role)]}
    assert set(table) == {r.value for r in Role}
    for role in Role:
        granted = {Permission(p) for p, cell in zip(header[1:], table[role.value]) if cell}
        assert all(cell in ("", "yes") for cell in table[role.value]), role
        assert granted == GRANTS[role], role


def test_every_permission_is_explained() -> None:
    rows = table_rows(section(DOCS / "security.md", "## Who may do what"))
    explained = {cells[0] for cells in rows if len(cells) == 2 and cells[0] != "permission"}
    assert explained == {p.value for p in Permission}


def _error_classes() -> list[type[exc.NarcolinkError]]:
    found = [exc.NarcolinkError]
    for cls in found:
        found.extend(sub for sub in cls.__subclasses__() if sub not in found)
    return found


def test_exit_codes_table_matches_the_error_classes() -> None:
    rows = table_rows(section(DOCS / "user-guide.md", "## Exit codes"))
    documented: dict[int, str] = {}
    for cells in rows[1:]:
        documented[int(cells[0])] = cells[1]
    assert documented.pop(0)
    for cls in _error_classes():
        assert cls.exit_code in documented, f"{cls.__name__} exits {cls.exit_code}"
        assert f"`{cls.__name__}`" in documented[cls.exit_code], cls.__name__
    used = {cls.exit_code for cls in _error_classes()}
    assert set(documented) == used


def test_every_command_is_in_the_user_guide() -> None:
    guide = (DOCS / "user-guide.md").read_text(encoding="utf-8")
    commands = [c.name for c in app.registered_commands]
    groups = [g.name for g in app.registered_groups]
    for name in [*commands, *groups]:
        assert name and f"narcolink {name}" in guide, name


def test_model_doc_is_generated_from_the_schema_files() -> None:
    committed = (DOCS / "model.md").read_text(encoding="utf-8")
    assert committed == render_model_doc(), "run: narcolink docs model"


@pytest.mark.parametrize("schema", ["Seizure", "SeizedItem", "Consignment", "OnlineListing"])
def test_model_doc_describes_each_narcolink_schema(schema: str) -> None:
    text = render_model_doc()
    assert f"### {schema}\n" in text


def test_readme_opens_with_purpose_then_exactly_two_commands() -> None:
    text = README.read_text(encoding="utf-8")
    blocks = re.findall(r"```(?:sh|bash|console)?\n(.*?)```", text, flags=re.S)
    assert blocks, "README has no command block"
    first = text.index("```")
    assert len(text[:first].split("\n\n")) >= 3, "two paragraphs before the commands"
    commands = [line for line in blocks[0].splitlines() if line.strip()]
    assert commands == ["python3 run.py demo", "python3 run.py test"]
    assert len(blocks) == 1


def _strings(expr: ast.expr, assigned: dict[str, list[ast.expr]]) -> set[str]:
    """The string values an action argument can take: a literal, either branch of a
    conditional, or what a local name was assigned."""
    if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
        return {expr.value}
    if isinstance(expr, ast.IfExp):
        return _strings(expr.body, assigned) | _strings(expr.orelse, assigned)
    if isinstance(expr, ast.Name):
        return {s for value in assigned.get(expr.id, []) for s in _strings(value, assigned)}
    return set()


def audited_actions() -> set[str]:
    """Every action name passed to ``Node.audit`` by the services."""
    actions: set[str] = set()
    for path in sorted((SRC / "services").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for func in ast.walk(tree):
            if not isinstance(func, ast.FunctionDef):
                continue
            assigned: dict[str, list[ast.expr]] = {}
            for node in ast.walk(func):
                if isinstance(node, ast.Assign):
                    for target in node.targets:
                        if isinstance(target, ast.Name):
                            assigned.setdefault(target.id, []).append(node.value)
            for node in ast.walk(func):
                if (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Attribute)
                    and node.func.attr == "audit"
                    and len(node.args) >= 3
                ):
                    actions |= _strings(node.args[2], assigned)
    return actions


def test_every_audited_action_is_listed_in_security_md() -> None:
    listed = set(
        re.findall(r"`([a-z_]+(?:\.[a-z_]+)?)`", section(DOCS / "security.md", "## The audit log"))
    )
    actions = audited_actions()
    assert {"import", "export", "share", "read", "audit.verify"} <= actions  # the scan works
    assert actions - listed == set(), "add these actions to docs/security.md"
