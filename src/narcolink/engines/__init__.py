"""Compute engines behind one small interface: DuckDB in process (default) and Spark (extra).

The only place duckdb and pyspark are imported, lazily, so that the core imports without
them. ``open_engine(name)`` is the factory that names them.
"""

from __future__ import annotations

from typing import Any

from narcolink.engines.base import Engine

ENGINES = ("duckdb", "spark")


def open_engine(name: str = "duckdb", **options: Any) -> Engine:
    """A new engine of the named kind; options go to its constructor."""
    if name == "duckdb":
        from narcolink.engines.duckdb import DuckDBEngine

        return DuckDBEngine(**options)
    if name == "spark":
        from narcolink.engines.spark import SparkEngine

        return SparkEngine(**options)
    raise ValueError(f"no engine {name!r}; engines are {', '.join(ENGINES)}")


__all__ = ["ENGINES", "Engine", "open_engine"]
