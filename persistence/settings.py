"""Database settings from ``RAATI_*`` environment variables."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class DatabaseSettings(BaseSettings):
    """``RAATI_DATABASE_URL`` wins; otherwise a SQLite file in ``RAATI_DATA_DIR``."""

    model_config = SettingsConfigDict(env_prefix="RAATI_", extra="ignore")

    data_dir: Path = Path("data")
    database_url: str | None = None
    # Connections each process keeps open (and may add under load) on a server database; above what the pool
    # keeps, a connection is opened and closed per use, which costs the server a new backend each time.
    database_pool_size: int = 10
    database_max_overflow: int = 10
    # The staff's audit trail (sign-ins, sign-outs, tokens, ended sessions) keeps an event this long; then the
    # purge-sent-mail flow deletes it.
    audit_retention_days: int = Field(default=365, ge=1)

    @property
    def is_default(self) -> bool:
        return self.database_url is None

    @property
    def url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'raati.sqlite3').as_posix()}"
