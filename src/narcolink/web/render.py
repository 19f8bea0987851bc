"""Server-side rendering: one Jinja2 environment (autoescape on, undefined names fail),
built by ``create_app`` and shared by the pages and the error handler."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import jinja2
from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from narcolink import __version__
from narcolink.model.roles import Actor, Permission

TEMPLATES = Path(__file__).parent / "templates"
STATIC = Path(__file__).parent / "static"

NAV: list[tuple[str, str, Permission | None]] = [
    ("/search", "Search", Permission.READ),
    ("/resolution", "Review", Permission.READ),
    ("/imports", "Import", Permission.IMPORT),
    ("/chemistry", "Chemistry", Permission.READ),
    ("/admin/users", "Users", Permission.MANAGE_USERS),
    ("/audit", "Audit", Permission.READ_AUDIT),
    ("/account", "Account", None),
    ("/docs", "API", None),
]


def when(value: datetime | None) -> str:
    """A timestamp as UTC to the minute (what an analyst quotes in a report)."""
    if value is None:
        return ""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def tlp_class(tlp: str) -> str:
    return "tlp-" + tlp.lower().replace("+", "-")


def build_templates() -> Jinja2Templates:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["when"] = when
    env.filters["tlp_class"] = tlp_class
    return Jinja2Templates(env=env)


def nav_for(actor: Actor | None) -> list[tuple[str, str]]:
    if actor is None:
        return []
    return [(href, label) for href, label, perm in NAV if perm is None or actor.can(perm)]


def render(
    request: Request,
    name: str,
    context: dict[str, Any] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    """Render ``name`` with the caller, their CSRF token and navigation in the context."""
    templates: Jinja2Templates = request.app.state.templates
    credential = getattr(request.state, "credential", None)
    actor = credential.actor if credential else None
    base: dict[str, Any] = {
        "actor": actor,
        "csrf_token": (credential.csrf or "") if credential else "",
        "nav": nav_for(actor),
        "version": __version__,
        "path": request.url.path,
        "banner": None,
    }
    base.update(context or {})
    return templates.TemplateResponse(request, name, base, status_code=status_code)
