"""Database settings from ``RAATI_*`` environment variables."""

from __future__ import annotations

from pathlib import Path

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

    @property
    def is_default(self) -> bool:
        return self.database_url is None

    @property
    def url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'raati.sqlite3').as_posix()}"
