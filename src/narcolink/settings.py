"""One typed settings object, read from ``NARCOLINK_*`` environment variables.

Nothing is built at import time: callers ask for ``Settings()`` (or ``load_settings``)
and pass the object down, so tests construct their own without patching globals.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Every setting narcolink reads. Each field is documented in docs/deployment.md."""

    model_config = SettingsConfigDict(env_prefix="NARCOLINK_", extra="ignore")

    data_dir: Path = Field(
        default=Path("./var"),
        description="Directory holding the embedded SQLite store, uploads and keys.",
    )
    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy URL of the store; defaults to SQLite under data_dir. "
        "Use postgresql+psycopg://user@host/db for a multi-user deployment.",
    )
    secret_key: str | None = Field(
        default=None,
        description="Secret for signing session cookies and CSRF tokens; generated "
        "and kept in data_dir/secret.key when unset.",
    )
    session_hours: float = Field(
        default=8.0, gt=0, description="Lifetime of a login session or API token, in hours."
    )
    max_failed_logins: int = Field(
        default=5, ge=1, description="Failed logins in a row before an account is locked."
    )
    lockout_minutes: float = Field(
        default=15.0, gt=0, description="How long a locked account stays locked, in minutes."
    )
    host: str = Field(default="127.0.0.1", description="Address the web server binds to.")
    port: int = Field(default=8765, ge=1, le=65535, description="Port the web server binds to.")
    secure_cookies: bool = Field(
        default=False,
        description="Mark cookies Secure (set to true behind an HTTPS reverse proxy).",
    )
    max_upload_mb: int = Field(
        default=200, ge=1, description="Largest file accepted by the import page, in MiB."
    )
    max_field_chars: int = Field(
        default=100_000,
        ge=100,
        description="Longest single field value an import accepts; longer values are errors.",
    )

    @field_validator("data_dir")
    @classmethod
    def _expand(cls, value: Path) -> Path:
        return value.expanduser()

    @property
    def store_url(self) -> str:
        """The database URL actually used: the configured one or SQLite in data_dir."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'narcolink.sqlite3').resolve()}"


def load_settings(**overrides: object) -> Settings:
    """Read settings from the environment, with explicit overrides winning."""
    return Settings(**overrides)  # type: ignore[arg-type]
