"""Apache Spark through Splink's Spark API: the same spec, compiled for the Spark dialect.

Installed with ``pip install narcolink[spark]`` (pyspark 3.5 and a Java 17 runtime). The
compiled comparisons call ``jaro_winkler`` and ``damerau_levenshtein``, which Spark has
only as Scala UDFs from the jar inside the splink package: a session this engine builds
loads that jar; a session passed in must have been built with it (``session_builder``
gives a builder that does so). Splink breaks lineage by writing intermediate tables as
parquet under the SparkContext's checkpoint directory: an owned session gets a temporary
one, removed on ``close``; a session passed in without one persists them in memory
instead. ``tests/analysis/resolution/test_spark_engine.py`` runs it on ``local[1]`` against
DuckDB; see docs/resolution.md.
"""

from __future__ import annotations

import tempfile
from typing import Any

from narcolink.engines.base import Engine

# The Scala UDFs the compiled comparisons need (comparisons.DIALECTS["spark"]).
SPARK_UDFS = ("jaro_winkler", "damerau_levenshtein")


def _pyspark_missing() -> RuntimeError:
    return RuntimeError("the spark engine needs pyspark: pip install 'narcolink[spark]'")


def similarity_jar() -> str:
    """Path of Splink's similarity-UDF jar for the installed Spark's major version."""
    from splink.backends.spark import similarity_jar_location

    return str(similarity_jar_location())


def session_builder(
    master: str = "local[*]", app: str = "narcolink", shuffle_partitions: int = 8
) -> Any:
    """A ``SparkSession.Builder`` with Splink's UDF jar and small defaults; add your own
    ``.config(...)`` and call ``.getOrCreate()``."""
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise _pyspark_missing() from None
    return (
        SparkSession.builder.master(master)
        .appName(app)
        .config("spark.jars", similarity_jar())
        .config("spark.sql.shuffle.partitions", str(int(shuffle_partitions)))
        .config("spark.default.parallelism", str(int(shuffle_partitions)))
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
    )


class SparkEngine(Engine):
    name = "spark"
    dialect = "spark"

    def __init__(
        self,
        session: Any = None,
        master: str = "local[*]",
        app: str = "narcolink",
        shuffle_partitions: int = 8,
        checkpoint_dir: str | None = None,
    ) -> None:
        try:
            import pyspark  # noqa: F401
        except ImportError:
            raise _pyspark_missing() from None
        self._owned = session is None
        self._tmp: tempfile.TemporaryDirectory[str] | None = None
        if session is None:
            session = session_builder(master, app, shuffle_partitions).getOrCreate()
            session.sparkContext.setLogLevel("ERROR")
        self.session = session
        context = session.sparkContext
        if checkpoint_dir:
            context.setCheckpointDir(checkpoint_dir)
        elif self._owned and context._jsc.sc().getCheckpointDir().isEmpty():
            self._tmp = tempfile.TemporaryDirectory(prefix="narcolink-spark-")
            context.setCheckpointDir(self._tmp.name)
        has_dir = not context._jsc.sc().getCheckpointDir().isEmpty()
        self._lineage = "parquet" if has_dir else "persist"
        self._api: Any = None

    def splink_api(self) -> Any:
        if self._api is None:
            from splink import SparkAPI

            self._api = SparkAPI(spark_session=self.session, break_lineage_method=self._lineage)
            missing = [f for f in SPARK_UDFS if not self.session.catalog.functionExists(f)]
            if missing:
                raise RuntimeError(
                    f"the Spark session lacks Splink's similarity functions ({', '.join(missing)});"
                    f" build it with spark.jars={similarity_jar()} "
                    "(narcolink.engines.spark.session_builder does)"
                )
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
        self.session.createDataFrame(data, schema).createOrReplaceTempView(name)
        # The view's name, as DuckDB's engine returns its table's: Splink wraps a name as
        # it is, where a DataFrame would be registered again under a view name of its own
        # ("input_0") that a second run in the same session finds already taken.
        return name

    def rows(self, sql: str) -> list[dict[str, Any]]:
        return [row.asDict(recursive=True) for row in self.session.sql(sql).collect()]

    def close(self) -> None:
        if self._owned:
            self.session.stop()
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None
