"""What every compute engine offers the analyses: tables in, SQL, Splink's database API."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any


class Engine(ABC):
    """One engine session. Use as a context manager, or call ``close``."""

    name: str = ""
    dialect: str = ""

    @abstractmethod
    def splink_api(self) -> Any:
        """Splink's database API object bound to this engine's session."""

    @abstractmethod
    def table(self, name: str, columns: dict[str, list[Any]], types: dict[str, str]) -> Any:
        """Register column data (``types``: column -> "text" | "bool" | "text[]") as a table;
        return what Splink accepts as input for it."""

    @abstractmethod
    def rows(self, sql: str) -> list[dict[str, Any]]:
        """Run a query and return its rows (small results only)."""

    @abstractmethod
    def close(self) -> None: ...

    def __enter__(self) -> Engine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
