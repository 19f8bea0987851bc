"""Ingest: input files (CSV, JSON lines, FtM entity JSON, mapped CSV) -> validated records.

Readers stream the file and report every problem (file, row, field, reason) to a
``ValidationReport``; nothing here touches the store. References to records outside the
file are checked through a callback the service supplies (``references.Exists``).
"""

from narcolink.ingest.builder import IngestContext
from narcolink.ingest.mapping import MappingSpec, load_mapping
from narcolink.ingest.pipeline import (
    FORMATS,
    Ingest,
    Validation,
    detect_format,
    validate,
)

__all__ = [
    "FORMATS",
    "Ingest",
    "IngestContext",
    "MappingSpec",
    "Validation",
    "detect_format",
    "load_mapping",
    "validate",
]
