"""Apache Spark through Splink's Spark API: the same spec, compiled for the Spark dialect.

Installed with ``pip install narcolink[spark]`` (pyspark and a Java runtime). Tests run it
on ``local[*]`` when pyspark is importable; see docs/resolution.md.
"""

from __future__ import annotations

from typing import Any

from narcolink.engines.base import Engine


class SparkEngine(Engine):
    name = "spark"
    dialect = "spark"

    def __init__(
        self, session: Any = None, master: str = "local[*]", app: str = "narcolink"
    ) -> None:
        try:
            from pyspark.sql import SparkSession
        except ImportError:
            raise RuntimeError(
                "the spark engine needs pyspark: pip install 'narcolink[spark]'"
            ) from None
        self._owned = session is None
        self.session = session or (
            SparkSession.builder.master(master)
            .appName(app)
            .config("spark.sql.shuffle.partitions", "8")
            .config("spark.ui.enabled", "false")
            .getOrCreate()
        )
        self._api: Any = None

    def splink_api(self) -> Any:
        if self._api is None:
            from splink import SparkAPI

            self._api = SparkAPI(spark_session=self.session)
        return self._api

    def table(self, name: str, columns: dict[str, list[Any]], types: dict[str, str]) -> Any:
        from pyspark.sql import types as st

        def spark_type(column: str) -> Any:
            kind = types.get(column, "text")
            if kind == "text[]":
                return st.ArrayType(st.StringType())
            return st.BooleanType() if kind == "bool" else st.StringType()

        schema = st.StructType([st.StructField(c, spark_type(c)) for c in columns])
        count = len(next(iter(columns.values()), []))
        data = [tuple(columns[c][i] for c in columns) for i in range(count)]
        frame = self.session.createDataFrame(data, schema)
        frame.createOrReplaceTempView(name)
        return frame

    def rows(self, sql: str) -> list[dict[str, Any]]:
        return [row.asDict() for row in self.session.sql(sql).collect()]

    def close(self) -> None:
        if self._owned:
            self.session.stop()
