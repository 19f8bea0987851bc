"""The application factory. Nothing is built at import time: ``create_app(settings)``
makes the app, and its lifespan opens the node on start-up and closes it on shutdown."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.concurrency import run_in_threadpool
from fastapi.staticfiles import StaticFiles

from narcolink import __version__
from narcolink.services.node import Node
from narcolink.services.passwords import dummy_hash
from narcolink.settings import Settings
from narcolink.web import api, errors, pages
from narcolink.web.render import STATIC, build_templates
from narcolink.web.security import BodyLimit, SecurityHeaders

FORM_OVERHEAD = 1024 * 1024  # multipart framing and the other fields of an upload form

DESCRIPTION = (
    "narcolink's HTTP API. Authenticate with POST /api/v1/auth/token and send the token as "
    "'Authorization: Bearer <token>'. Errors are RFC 9457 problem+json."
)


def create_app(settings: Settings, node: Node | None = None) -> FastAPI:
    """The web app for one node. Pass ``node`` to serve an already opened node (the demo
    does); it is then left open at shutdown, since the caller owns it."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        opened = node is None
        app.state.node = Node.open(settings) if node is None else node
        # Hash the stand-in password now, so the first login of an unknown user is not the
        # one slow enough to tell that the name does not exist.
        await run_in_threadpool(dummy_hash)
        try:
            yield
        finally:
            if opened:
                app.state.node.close()

    app = FastAPI(
        title="narcolink",
        version=__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
        docs_url=None,  # the default pages load scripts from a CDN; see pages.docs
        redoc_url=None,
        openapi_url="/openapi.json",
    )
    app.state.settings = settings
    app.state.templates = build_templates()
    errors.install(app)
    app.add_middleware(BodyLimit, max_bytes=settings.max_upload_mb * 1024 * 1024 + FORM_OVERHEAD)
    app.add_middleware(SecurityHeaders)
    app.include_router(api.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    return app
