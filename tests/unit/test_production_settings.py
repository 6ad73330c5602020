"""What production (``RAATI_ENV=production``) refuses, as a pure function of the settings; and the guard every entry
point calls, which does nothing in development."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import SecretStr

import wiring
from notifications.settings import DeliverySettings, SmtpSettings, TlsMode
from persistence.settings import DatabaseSettings
from web.settings import WebSettings
from wiring.config_check import (
    ConfigurationRefused,
    inspect_settings,
    mask_database_url,
    production_problems,
    require_production_ready,
)

KEY = "k" * 48


def good() -> dict[str, object]:
    return {
        "database": DatabaseSettings(database_url="postgresql://raati:pw@db.example.fi/raati"),
        "web": WebSettings(session_secret=SecretStr(KEY), base_url="https://raati.example.fi"),
        "delivery": DeliverySettings(
            secret_key=SecretStr(KEY), base_url="https://raati.example.fi", mail_domain="raati.example.fi"
        ),
        "smtp": SmtpSettings(tls=TlsMode.STARTTLS, sender="Raati <raati@example.fi>"),
    }


def settings_names(**changes: object) -> list[str]:
    return [p.setting for p in production_problems(**{**good(), **changes})]  # type: ignore[arg-type]


def test_good_production_settings_have_no_problems() -> None:
    assert settings_names() == []


def test_the_embedded_defaults_name_every_unsafe_setting() -> None:
    defaults = {
        "database": DatabaseSettings(database_url=None),
        "web": WebSettings(session_secret=None, base_url="http://127.0.0.1:8000"),
        "delivery": DeliverySettings(secret_key=None, mail_domain="raati.localhost"),
        "smtp": SmtpSettings(tls=TlsMode.NONE, sender="Raati <raati@raati.localhost>"),
    }
    problems = production_problems(**defaults)  # type: ignore[arg-type]
    assert [p.setting for p in problems] == [
        "RAATI_DATABASE_URL",
        "RAATI_SECRET_KEY",
        "RAATI_SESSION_SECRET",
        "RAATI_BASE_URL",
        "RAATI_SMTP_TLS",
        "RAATI_SMTP_SENDER",
        "RAATI_MAIL_DOMAIN",
    ]
    assert all(p.reason and p.setting not in p.reason for p in problems)


def test_a_key_shorter_than_32_bytes_is_refused_with_its_length() -> None:
    web = WebSettings(session_secret=SecretStr("s" * 31), base_url="https://raati.example.fi")
    (problem,) = production_problems(**{**good(), "web": web})  # type: ignore[arg-type]
    assert problem.setting == "RAATI_SESSION_SECRET"
    assert "31 bytes" in problem.reason
    assert "32" in problem.reason
    assert "s" * 31 not in problem.reason
    long_enough = WebSettings(session_secret=SecretStr("s" * 32), base_url="https://raati.example.fi")
    assert settings_names(web=long_enough) == []


@pytest.mark.parametrize("sender", ["raati@localhost", "Raati <noreply@mail.localhost>", "raati"])
def test_a_development_sender_is_refused(sender: str) -> None:
    assert settings_names(smtp=SmtpSettings(tls=TlsMode.TLS, sender=sender)) == ["RAATI_SMTP_SENDER"]


def test_implicit_tls_is_accepted_and_no_tls_is_not() -> None:
    assert settings_names(smtp=SmtpSettings(tls=TlsMode.TLS, sender="raati@example.fi")) == []
    assert settings_names(smtp=SmtpSettings(tls=TlsMode.NONE, sender="raati@example.fi")) == ["RAATI_SMTP_TLS"]


def test_database_passwords_are_masked() -> None:
    masked = mask_database_url("postgresql+psycopg://raati:hunter2secret@db.example.fi:5432/raati")
    assert "hunter2secret" not in masked
    assert masked == "postgresql+psycopg://raati:***@db.example.fi:5432/raati"


@pytest.fixture
def environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[pytest.MonkeyPatch]:
    """A clean RAATI_* environment in an empty folder (a generated key would land there, not in the checkout)."""
    monkeypatch.chdir(tmp_path)
    for name in ("RAATI_ENV", "RAATI_DATABASE_URL", "RAATI_SECRET_KEY", "RAATI_SESSION_SECRET", "RAATI_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    wiring.reset()
    yield monkeypatch
    wiring.reset()


def test_development_changes_nothing(environment: pytest.MonkeyPatch) -> None:
    require_production_ready()
    environment.setenv("RAATI_ENV", "development")
    require_production_ready()
    report = inspect_settings()
    assert not report.refused
    assert "RAATI_DATABASE_URL" in {p.setting for p in report.problems}  # what production would refuse, shown


def test_production_refuses_listing_every_problem(environment: pytest.MonkeyPatch) -> None:
    environment.setenv("RAATI_ENV", "production")
    environment.setenv("RAATI_SESSION_SECRET", "short")
    with pytest.raises(ConfigurationRefused) as refused:
        require_production_ready()
    message = str(refused.value)
    for name in ("RAATI_DATABASE_URL", "RAATI_SECRET_KEY", "RAATI_SESSION_SECRET", "RAATI_BASE_URL", "RAATI_SMTP_TLS"):
        assert name in message
    assert "5 bytes" in message
    assert "short" not in message


@pytest.mark.slow  # importing a flow imports Prefect
def test_a_flow_building_its_adapters_is_refused_before_touching_the_database(
    environment: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from flows.send_prebriefs import queue_prebriefs

    environment.setenv("RAATI_ENV", "production")
    with pytest.raises(ConfigurationRefused, match="RAATI_DATABASE_URL"):
        queue_prebriefs.fn()
    assert not (tmp_path / "data").exists()  # no empty SQLite file made under ./data


def test_an_unknown_environment_is_refused_by_name(environment: pytest.MonkeyPatch) -> None:
    environment.setenv("RAATI_ENV", "prod")
    with pytest.raises(ConfigurationRefused) as refused:
        require_production_ready()
    assert [p.setting for p in refused.value.problems] == ["RAATI_ENV"]
    assert "'prod'" in str(refused.value)
    assert "production" in str(refused.value)


def test_a_value_that_is_not_valid_is_a_problem_in_every_environment(environment: pytest.MonkeyPatch) -> None:
    environment.setenv("RAATI_SMTP_PORT", "twenty-five")
    report = inspect_settings()
    assert report.refused
    assert [p.setting for p in report.problems if p.everywhere] == ["RAATI_SMTP_PORT"]
