"""Logging set-up shared by the CLI and the web server."""

from __future__ import annotations

import logging


def configure_logging(level: str = "INFO") -> None:
    """Plain, greppable log lines on stderr; no external sinks (air-gapped)."""
    logging.basicConfig(
        level=getattr(logging, level.upper(), logging.INFO),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
