"""Errors in one place: RFC 9457 problem+json for the API, a rendered page for people.

``narcolink.exc`` classes carry their status; FastAPI's request-validation errors and
Starlette's 404/405 are mapped the same way. Problem bodies never echo submitted values
(a password typed into the wrong field must not come back in a response) and never
include internals; the same error gives the same body, so a 404 for a record that exists
but is hidden is byte-for-byte the 404 for one that does not exist.
"""

from __future__ import annotations

import logging
import re
from http import HTTPStatus
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from narcolink.exc import AccountLocked, InvalidInput, NarcolinkError, NotAuthenticated
from narcolink.web.deps import is_api
from narcolink.web.render import render

log = logging.getLogger(__name__)
PROBLEM_JSON = "application/problem+json"


def problem_type(name: str) -> str:
    """A stable identifier per problem kind, e.g. ``urn:narcolink:problem:not-found``."""
    slug = re.sub(r"(?<!^)(?=[A-Z])", "-", name).lower()
    return f"urn:narcolink:problem:{slug}"


def problem(
    status: int, title: str, detail: str, type_: str = "about:blank", **extra: Any
) -> JSONResponse:
    body = {"type": type_, "title": title, "status": status, "detail": detail, **extra}
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def _page(request: Request, status: int, title: str, detail: str, **extra: Any) -> Response:
    context = {"status": status, "title": title, "detail": detail, "issues": []}
    context.update(extra)
    return render(request, "error.html", context, status_code=status)


async def narcolink_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, NarcolinkError)
    extra: dict[str, Any] = {}
    if isinstance(exc, InvalidInput):
        extra = {
            "file": exc.report.file,
            "rows_read": exc.report.rows_read,
            "issues": [i.to_dict() for i in exc.report.issues],
        }
    if is_api(request):
        return problem(exc.status, exc.title, exc.detail, problem_type(type(exc).__name__), **extra)
    if isinstance(exc, NotAuthenticated) and not isinstance(exc, AccountLocked):
        target = request.url.path
        if request.url.query:
            target += "?" + request.url.query
        next_url = target if request.method == "GET" else "/"
        return RedirectResponse(f"/login?next={quote(next_url, safe='/')}", status_code=303)
    return _page(request, exc.status, exc.title, exc.detail, **extra)


def _location(loc: tuple[Any, ...] | list[Any]) -> str:
    return ".".join(str(part) for part in loc)


async def validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    errors = [{"loc": _location(e.get("loc", ())), "msg": e.get("msg", "")} for e in exc.errors()]
    detail = "; ".join(f"{e['loc']}: {e['msg']}" for e in errors[:3]) or "invalid request"
    if is_api(request):
        return problem(
            422, "Invalid request", detail, problem_type("InvalidRequest"), errors=errors
        )
    return _page(request, 422, "Invalid request", detail)


async def http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    status = exc.status_code
    title = HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else "Error"
    detail = {
        404: "there is nothing at this address",
        405: f"{request.method} is not allowed here",
    }.get(status, str(exc.detail) if exc.detail else title)
    if is_api(request):
        response: Response = problem(status, title, detail)
    else:
        response = _page(request, status, title, detail)
    for key, value in (exc.headers or {}).items():
        response.headers[key] = value
    return response


async def unexpected_error(request: Request, exc: Exception) -> Response:
    log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    detail = "something went wrong on the server; the error has been logged"
    if is_api(request):
        return problem(500, "Internal error", detail, problem_type("InternalError"))
    return _page(request, 500, "Internal error", detail)


def install(app: FastAPI) -> None:
    app.add_exception_handler(NarcolinkError, narcolink_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(Exception, unexpected_error)
