"""Delivery settings from ``RAATI_*`` environment variables: the SMTP relay and the outbox rules."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class TlsMode(StrEnum):
    NONE = "none"
    STARTTLS = "starttls"
    TLS = "tls"  # implicit TLS, usually port 465


class SmtpSettings(BaseSettings):
    """Where mail goes. The embedded default is the development mail sink on 127.0.0.1:8025."""

    model_config = SettingsConfigDict(env_prefix="RAATI_SMTP_", extra="ignore")

    host: str = "127.0.0.1"
    port: int = Field(default=8025, ge=1, le=65535)
    tls: TlsMode = TlsMode.NONE
    username: str | None = None
    password: SecretStr | None = None
    timeout: float = Field(default=30.0, gt=0)
    sender: str = "Raati <raati@raati.localhost>"
    # How many connections a dispatcher keeps open at once; each reuses its connection.
    connections: int = Field(default=4, ge=1, le=32)
    # Name sent in EHLO; set explicitly so no DNS lookup happens.
    local_hostname: str = "raati.localhost"
    # A file of trusted CA certificates (PEM) for a relay with a private CA.
    ca_file: Path | None = None


class DeliverySettings(BaseSettings):
    """How the outbox is drained: batching, coalescing, retries and links in the mail."""

    model_config = SettingsConfigDict(env_prefix="RAATI_", extra="ignore")

    data_dir: Path = Path("data")
    # Idea updates to one member within this window go out as one email.
    coalesce_seconds: int = Field(default=600, ge=0)
    # Members who chose the digest get their idea updates at most this often.
    digest_days: int = Field(default=7, ge=1)
    batch_size: int = Field(default=200, ge=1, le=5000)
    # A claim holds this long unless renewed; a dispatcher renews it three times a lease while it sends
    # (application/delivery.py), so a short lease only shortens how long a crashed run's rows wait.
    lease_seconds: int = Field(default=60, ge=1)
    max_attempts: int = Field(default=8, ge=1)
    max_age_hours: int = Field(default=48, ge=1)
    retry_base_seconds: float = Field(default=30.0, gt=0)
    retry_max_seconds: float = Field(default=3600.0, gt=0)
    # Public address of the web app, for links in mail (unsubscribe, preferences).
    base_url: str = "http://127.0.0.1:8000"
    # Domain part of Message-IDs and of the mailto unsubscribe address.
    mail_domain: str = "raati.localhost"
    # Key for signed links; rotate it to revoke every link. Without one, a key is
    # generated once into the data folder (embedded default).
    secret_key: SecretStr | None = None
    mailsink_dir: Path | None = None
    # Sent mail keeps its body this long (data minimisation); the purge-sent-mail flow removes it after.
    mail_retention_days: int = Field(default=180, ge=1)

    @property
    def sink_dir(self) -> Path:
        return self.mailsink_dir or self.data_dir / "mail"
