"""API documentation served from this node: the OpenAPI document at /openapi.json and a
plain page at /docs listing its operations. (FastAPI's own docs pages load their scripts
from a CDN, which an air-gapped network cannot reach.)"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from narcolink.web.deps import NodeDep, current_credential_or_none
from narcolink.web.render import render

router = APIRouter()
METHODS = ("get", "post", "put", "patch", "delete")


def operations(schema: dict[str, Any]) -> list[dict[str, Any]]:
    """One entry per (path, method) in the OpenAPI document, in document order."""
    out = []
    for path, item in schema.get("paths", {}).items():
        for method in METHODS:
            op = item.get(method)
            if op is None:
                continue
            body = op.get("requestBody", {}).get("content", {})
            out.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "summary": op.get("summary", ""),
                    "description": op.get("description", ""),
                    "tag": (op.get("tags") or [""])[0],
                    "secured": bool(op.get("security")),
                    "parameters": [
                        {
                            "name": p["name"],
                            "in": p["in"],
                            "required": p.get("required", False),
                            "description": p.get("description", ""),
                        }
                        for p in op.get("parameters", [])
                    ],
                    "body": ", ".join(body),
                    "responses": ", ".join(op.get("responses", {})),
                }
            )
    return out


@router.get("/docs")
def docs_page(request: Request, node: NodeDep) -> Response:
    current_credential_or_none(request, node)  # a signed-in reader keeps the navigation
    schema = request.app.openapi()
    return render(
        request,
        "docs.html",
        {"info": schema.get("info", {}), "operations": operations(schema)},
    )


@router.get("/healthz")
def health() -> Response:
    return JSONResponse({"status": "ok"})
