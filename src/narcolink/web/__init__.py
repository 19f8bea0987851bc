"""The web app: server-rendered pages and the HTTP API over the services."""

from narcolink.web.app import create_app

__all__ = ["create_app"]
