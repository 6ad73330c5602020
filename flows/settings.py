"""Where the flows' Prefect server is: ``PREFECT_API_URL``, or the one ``raati serve`` started."""

from __future__ import annotations

from pathlib import Path

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class FlowSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="RAATI_", extra="ignore")

    data_dir: Path = Path("data")
    prefect_api_url: str | None = Field(default=None, validation_alias=AliasChoices("PREFECT_API_URL"))
    # How often `raati serve` polls for runs to start (Prefect's default, 10 s, makes events slow;
    # measured here: 1 s gives 3.6–6 s from event to flow start for ~0.5 % of a core idle).
    runner_poll_seconds: int = Field(default=1, ge=1)
    # An event-woken dispatch waits this long at most for rows about to become due …
    dispatch_linger_seconds: float = Field(default=30.0, ge=0)
    # … and exits only after the outbox has been quiet this long (longer than the trigger's window).
    dispatch_quiet_seconds: float = Field(default=12.0, ge=0)
    # The prune-prefect-history flow deletes the Prefect server's finished flow runs (with their task runs and
    # logs) older than this; the outbox and the audit trail are Raati's record, not these.
    prefect_keep_days: int = Field(default=14, ge=1)

    @property
    def prefect_home(self) -> Path:
        return self.data_dir / "prefect"

    @property
    def api_url_file(self) -> Path:
        """Written by ``raati serve`` while its local Prefect server runs."""
        return self.prefect_home / "api-url"

    def known_api_url(self) -> str | None:
        if self.prefect_api_url:
            return self.prefect_api_url
        try:
            return self.api_url_file.read_text(encoding="utf-8").strip() or None
        except OSError:
            return None
