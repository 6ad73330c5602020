"""Production mode (``RAATI_ENV=production``): every setting with its value and where it came from, the problems
that make a production start unsafe, and the one guard every entry point calls before it starts.

In development (``RAATI_ENV`` unset or ``development``) the guard does nothing: the embedded defaults work as ever.
"""

from __future__ import annotations

from dataclasses import dataclass
from email.utils import parseaddr
from pathlib import Path
from typing import Any, Literal

from pydantic import AliasChoices, SecretStr, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from domain.errors import InvalidValue
from flows.settings import FlowSettings
from notifications.links import KEY_FILE
from notifications.settings import DeliverySettings, SmtpSettings, TlsMode
from persistence.settings import DatabaseSettings
from web.settings import SESSION_KEY_FILE, WebSettings

DEVELOPMENT, PRODUCTION = "development", "production"
ENVIRONMENTS = (DEVELOPMENT, PRODUCTION)
# Keys shorter than this can be guessed offline from a signed link or cookie; 32 bytes is what Raati generates.
MIN_SECRET_BYTES = 32
Source = Literal["environment", "default", "generated"]


class RuntimeSettings(BaseSettings):
    """``RAATI_ENV``: ``development`` (the default) or ``production``."""

    model_config = SettingsConfigDict(env_prefix="RAATI_", extra="ignore")

    env: str = DEVELOPMENT


@dataclass(frozen=True)
class Setting:
    name: str
    group: str
    value: str | None  # as shown: a secret is never here, only whether it is set and its length
    source: Source
    secret: bool


@dataclass(frozen=True)
class Problem:
    setting: str
    reason: str
    # A value no environment can use (not valid, an unknown RAATI_ENV), not only one production refuses.
    everywhere: bool = False


@dataclass(frozen=True)
class Report:
    environment: str
    settings: tuple[Setting, ...]
    problems: tuple[Problem, ...]  # what production refuses (in development: what it would refuse)

    @property
    def production(self) -> bool:
        return self.environment == PRODUCTION

    @property
    def refused(self) -> bool:
        """Whether this environment refuses to start: production on any problem, development on a broken value."""
        return any(p.everywhere or self.production for p in self.problems)


class ConfigurationRefused(Exception):
    """Production settings that are unsafe or missing; the message lists every problem, one a line."""

    def __init__(self, problems: tuple[Problem, ...], *, environment: str = PRODUCTION) -> None:
        self.problems = problems
        where = " in production" if environment == PRODUCTION else ""
        count = "1 problem" if len(problems) == 1 else f"{len(problems)} problems"
        lines = "\n".join(f"  {p.setting}: {p.reason}" for p in problems)
        super().__init__(
            f"Raati will not start{where}: {count} in its settings:\n{lines}\n"
            "Run 'raati config check' to see every setting and where it came from."
        )


def environment_name() -> str:
    return RuntimeSettings().env.strip().lower() or DEVELOPMENT


def require_production_ready() -> None:
    """Raise ``ConfigurationRefused`` in production when a setting is unsafe; in development do nothing at all."""
    name = environment_name()
    if name == DEVELOPMENT:
        return
    if name not in ENVIRONMENTS:
        raise ConfigurationRefused((_unknown_environment(name),), environment=name)
    problems = inspect_settings().problems
    if problems:
        raise ConfigurationRefused(problems)


def inspect_settings() -> Report:
    """Every setting from the environment, and the problems production would have with them."""
    runtime = RuntimeSettings()
    name = environment_name()
    source: Source = "environment" if "env" in runtime.model_fields_set else "default"
    loaded: dict[type[BaseSettings], BaseSettings | None] = {}
    rows: dict[str, Setting] = {"RAATI_ENV": Setting("RAATI_ENV", "Runtime", name, source, secret=False)}
    problems: list[Problem] = []
    if name not in ENVIRONMENTS:
        problems.append(_unknown_environment(name))
    # Single sign-on's checks import the access rules: loaded here, not when every command starts in development.
    from web.oidc_settings import OidcSettings, check

    # The order ``raati config check`` shows them in; a variable two classes read is shown once.
    groups: tuple[tuple[str, type[BaseSettings]], ...] = (
        ("Database", DatabaseSettings),
        ("Web", WebSettings),
        ("Mail", DeliverySettings),
        ("SMTP", SmtpSettings),
        ("Single sign-on", OidcSettings),
        ("Flows", FlowSettings),
    )
    for group, cls in groups:
        settings, invalid = _load(cls)
        loaded[cls] = settings
        problems.extend(invalid)
        bad = {p.setting for p in invalid}
        for row in _rows(group, cls, settings, bad):
            rows.setdefault(row.name, row)
    oidc = loaded[OidcSettings]
    if isinstance(oidc, OidcSettings):
        try:
            check(oidc)
        except InvalidValue as error:
            problems.append(Problem(error.field, error.reason, everywhere=True))
    database, web, delivery, smtp = (loaded[c] for c in (DatabaseSettings, WebSettings, DeliverySettings, SmtpSettings))
    if (
        isinstance(database, DatabaseSettings)
        and isinstance(web, WebSettings)
        and isinstance(delivery, DeliverySettings)
        and isinstance(smtp, SmtpSettings)
    ):
        problems.extend(production_problems(database=database, web=web, delivery=delivery, smtp=smtp))
    return Report(environment=name, settings=tuple(rows.values()), problems=tuple(problems))


def production_problems(
    *, database: DatabaseSettings, web: WebSettings, delivery: DeliverySettings, smtp: SmtpSettings
) -> list[Problem]:
    """What makes these settings unsafe in production (pure: reads only its arguments)."""
    problems = []
    if not database.database_url:
        problems.append(
            Problem(
                "RAATI_DATABASE_URL",
                f"is not set: without it Raati uses a SQLite file under {database.data_dir}, "
                "empty on a new machine; name the production database explicitly",
            )
        )
    for name, secret, what in (
        ("RAATI_SECRET_KEY", delivery.secret_key, "links signed on one machine would not open on another"),
        ("RAATI_SESSION_SECRET", web.session_secret, "a session cookie from one web machine fails on the next"),
    ):
        length = len(secret.get_secret_value().encode("utf-8")) if secret is not None else 0
        if not length:
            problems.append(Problem(name, f"is not set: each machine would generate its own key, and {what}"))
        elif length < MIN_SECRET_BYTES:
            problems.append(Problem(name, f"is {length} bytes long: it must be at least {MIN_SECRET_BYTES} bytes"))
    if not web.base_url.lower().startswith("https://"):
        problems.append(Problem("RAATI_BASE_URL", f"is {web.base_url}: it must be an https:// address"))
    if smtp.tls is TlsMode.NONE:
        problems.append(Problem("RAATI_SMTP_TLS", "is none: mail would travel unencrypted; set starttls or tls"))
    address = parseaddr(smtp.sender)[1]
    if _development_domain(address.partition("@")[2]):
        reason = "its domain is missing or a localhost one: mail needs a real address to come from"
        problems.append(Problem("RAATI_SMTP_SENDER", f"is {smtp.sender}: {reason}"))
    if _development_domain(delivery.mail_domain):
        reason = "a localhost domain: Message-IDs and the unsubscribe address need a real one"
        problems.append(Problem("RAATI_MAIL_DOMAIN", f"is {delivery.mail_domain}: {reason}"))
    return problems


def _development_domain(domain: str) -> bool:
    domain = domain.strip().lower().rstrip(".")
    return not domain or domain == "localhost" or domain.endswith(".localhost")


def _unknown_environment(name: str) -> Problem:
    return Problem("RAATI_ENV", f"is {name!r}: it must be {' or '.join(ENVIRONMENTS)}", everywhere=True)


def _env_names(cls: type[BaseSettings]) -> dict[str, str]:
    """Field name → the variable that sets it (the first one, where a field has an earlier name too)."""
    prefix = str(cls.model_config.get("env_prefix", ""))
    names = {}
    for field_name, field in cls.model_fields.items():
        alias = field.validation_alias
        if isinstance(alias, AliasChoices):
            alias = alias.choices[0]
        names[field_name] = alias if isinstance(alias, str) else prefix + field_name.upper()
    return names


def _load(cls: type[BaseSettings]) -> tuple[BaseSettings | None, list[Problem]]:
    try:
        return cls(), []
    except ValidationError as error:
        names = _env_names(cls)
        problems = []
        for found in error.errors():
            field = str(found["loc"][0]) if found["loc"] else ""
            problems.append(Problem(names.get(field, field), f"is not valid: {found['msg']}", everywhere=True))
        return None, problems


def _rows(group: str, cls: type[BaseSettings], settings: BaseSettings | None, bad: set[str]) -> list[Setting]:
    rows = []
    given = settings.model_fields_set if settings is not None else set()
    for field_name, name in _env_names(cls).items():
        secret = "SecretStr" in str(cls.model_fields[field_name].annotation)
        if name in bad or settings is None:
            unread = "(not valid)" if name in bad else "(not read: another setting here is not valid)"
            rows.append(Setting(name, group, unread, "environment" if name in bad else "default", secret))
            continue
        value = getattr(settings, field_name)
        source: Source = "environment" if field_name in given else "default"
        shown, source = _shown(settings, field_name, value, source)
        rows.append(Setting(name, group, shown, source, secret))
    return rows


def _shown(settings: BaseSettings, field_name: str, value: Any, source: Source) -> tuple[str | None, Source]:
    """The value as an operator may see it, and its source; secrets only as their length."""
    if isinstance(value, SecretStr) or (value is None and field_name in ("session_secret", "secret_key")):
        length = len(value.get_secret_value().encode("utf-8")) if isinstance(value, SecretStr) else 0
        if length:
            return f"•••• (set, {length} bytes)", source
        key_file = {"session_secret": SESSION_KEY_FILE, "secret_key": KEY_FILE}.get(field_name)
        if key_file is None or not isinstance(settings, WebSettings | DeliverySettings):
            return None, source
        path = Path(settings.data_dir) / key_file
        made = "kept in" if path.exists() else "made on first use in"
        return f"generated on this machine, {made} {path}", "generated"
    if isinstance(settings, DatabaseSettings) and field_name == "database_url":
        return mask_database_url(settings.url), source
    if value is None:
        return None, source
    if isinstance(value, bool):
        return ("true" if value else "false"), source
    return str(getattr(value, "value", value)), source


def mask_database_url(url: str) -> str:
    """A database URL with its password replaced by ``***``."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "(a URL that cannot be read)"
