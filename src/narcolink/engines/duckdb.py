"""DuckDB in process: the default engine (no server, spills to disk past its memory limit)."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from narcolink.engines.base import Engine

_ARROW_TYPES = {"text": "string", "bool": "bool", "text[]": "list<string>"}


class DuckDBEngine(Engine):
    name = "duckdb"
    dialect = "duckdb"

    def __init__(
        self,
        memory_limit: str | None = None,
        threads: int | None = None,
        temp_dir: str | Path | None = None,
    ) -> None:
        import duckdb

        self._tmp = (
            tempfile.TemporaryDirectory(prefix="narcolink-duckdb-") if not temp_dir else None
        )
        self.con = duckdb.connect(":memory:")
        self.con.execute(f"SET temp_directory = '{temp_dir or self._tmp.name}'")  # type: ignore[union-attr]
        if memory_limit:
            self.con.execute(f"SET memory_limit = '{memory_limit}'")
        if threads:
            self.con.execute(f"SET threads = {int(threads)}")
        self._api: Any = None

    def splink_api(self) -> Any:
        if self._api is None:
            from splink import DuckDBAPI

            self._api = DuckDBAPI(connection=self.con)
        return self._api

    def table(self, name: str, columns: dict[str, list[Any]], types: dict[str, str]) -> Any:
        import pyarrow as pa

        schema = pa.schema(
            [(c, pa.list_(pa.string()) if types.get(c) == "text[]" else
              pa.bool_() if types.get(c) == "bool" else pa.string()) for c in columns]
        )  # fmt: skip
        arrow = pa.Table.from_pydict(columns, schema=schema)
        self.con.register(f"{name}_arrow", arrow)
        # Names come from the analyses (never from input data), so quoting them is enough.
        self.con.execute(f'CREATE OR REPLACE TABLE "{name}" AS SELECT * FROM "{name}_arrow"')  # noqa: S608
        self.con.unregister(f"{name}_arrow")
        return name

    def rows(self, sql: str) -> list[dict[str, Any]]:
        cursor = self.con.execute(sql)
        names = [c[0] for c in cursor.description or []]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def close(self) -> None:
        self.con.close()
        if self._tmp is not None:
            self._tmp.cleanup()
