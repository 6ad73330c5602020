"""Web settings from ``RAATI_*`` variables: the session cookie's secret, whether it needs HTTPS, how long a
session lasts, whether staff may sign in by email link, and how many requests a process runs at once."""

from __future__ import annotations

import contextlib
import os
import secrets
from datetime import timedelta
from pathlib import Path

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from domain.sign_in import SessionRules

SESSION_KEY_FILE = "session.key"


class WebSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="RAATI_", extra="ignore", populate_by_name=True)

    data_dir: Path = Path("data")
    # Signs the staff session cookie; without it a key is made once in the data folder.
    session_secret: SecretStr | None = None
    # Send the session cookie over HTTPS only; also whenever ``base_url`` is https.
    secure_cookies: bool = False
    # The web app's public address (as for links in mail).
    base_url: str = "http://127.0.0.1:8000"
    # A session ends after this long without a request, and this long after signing in at the latest
    # (``RAATI_SESSION_HOURS``, the earlier name, still sets the absolute one).
    session_idle_minutes: float = Field(default=60, gt=0)
    session_absolute_hours: float = Field(
        default=12, gt=0, validation_alias=AliasChoices("RAATI_SESSION_ABSOLUTE_HOURS", "RAATI_SESSION_HOURS")
    )
    # Staff may ask for a one-time sign-in link by email (switch off where single sign-on is the only way in).
    email_sign_in: bool = True
    # Requests a process runs at once in its threads (routes and use cases are synchronous); the rest wait their
    # turn. A few, not anyio's 40: ten threads contending for one interpreter lock cost the API load benchmark
    # a third of its throughput and tripled its p95 (bench/api_load.py, README "API load").
    web_threads: int = Field(3, ge=1, le=200)
    # The largest material file a coordinator may upload to a meeting (``RAATI_MATERIAL_MAX_MB``), in MiB.
    material_max_mb: float = Field(10, gt=0, le=100)
    # If set, /metrics answers only a request with ``Authorization: Bearer <this>`` (Prometheus' ``authorization``).
    metrics_token: SecretStr | None = None

    @property
    def https_only(self) -> bool:
        """The session cookie is ``Secure`` when the app is served over HTTPS (or told so)."""
        return self.secure_cookies or self.base_url.lower().startswith("https://")

    def session_rules(self) -> SessionRules:
        return SessionRules(
            idle=timedelta(minutes=self.session_idle_minutes), absolute=timedelta(hours=self.session_absolute_hours)
        )

    def session_key(self) -> str:
        if self.session_secret is not None and self.session_secret.get_secret_value():
            return self.session_secret.get_secret_value()
        path = self.data_dir / SESSION_KEY_FILE
        if not path.exists():
            _create(path)
        return path.read_text(encoding="ascii").strip()


def _create(path: Path) -> None:
    """Write under a temporary name and link into place, so two processes agree on one key."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(secrets.token_urlsafe(32))
        with contextlib.suppress(FileExistsError):
            os.link(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
