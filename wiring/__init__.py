"""Composition: builds engines, queues, transports and composers from settings, lazily.

Every entry point (the command line, the web app, the flows) gets its adapters here, so
they are wired the same way everywhere; nothing connects at import time.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from datetime import timedelta
from functools import cache
from typing import TYPE_CHECKING

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from application.clock import SystemClock
from domain.delivery import RetryRules
from domain.events import Event
from notifications.links import LinkSigner, load_or_create_key
from notifications.settings import DeliverySettings, SmtpSettings
from persistence.engine import make_engine, make_session_factory
from persistence.migrate import ensure_schema
from persistence.settings import DatabaseSettings
from persistence.unit_of_work import SqlAlchemyUnitOfWork

if TYPE_CHECKING:  # rendering and SMTP load only when mail is sent: most commands never do
    from application.delivery import DispatchRules
    from notifications.composer import MailComposer
    from notifications.render import Renderer
    from notifications.smtp import SmtpTransport
    from persistence.data_rights import SqlAlchemyDataRightsUnitOfWork
    from persistence.delivery_queue import SqlAlchemyDeliveryQueue
    from persistence.readiness import DatabaseReadiness


def require_production_ready() -> None:
    """In production (``RAATI_ENV=production``) refuse unsafe settings, listing every problem; in development
    nothing. The command line and the web app call it before they start; the builders below call it too, so a flow
    run (which builds its adapters here) refuses before it touches the database or the mail relay."""
    from wiring.config_check import require_production_ready as check

    check()


@cache
def engine() -> Engine:
    require_production_ready()
    settings = DatabaseSettings()
    if settings.url.startswith("sqlite"):
        return make_engine(settings.url)
    return make_engine(settings.url, pool_size=settings.database_pool_size, max_overflow=settings.database_max_overflow)


@cache
def sessions() -> sessionmaker[Session]:
    """Sessions on a database whose schema is current (a fresh, empty one is migrated)."""
    built = engine()
    # The embedded default database is the developer's own: bring it up to date silently.
    ensure_schema(built, upgrade_existing=DatabaseSettings().is_default)
    return make_session_factory(built)


def uow() -> SqlAlchemyUnitOfWork:
    return SqlAlchemyUnitOfWork(sessions(), on_commit=publisher())


@cache
def publisher() -> Callable[[Sequence[Event]], None] | None:
    """Emits Prefect events after each commit, when a Prefect server is known (else nothing)."""
    from flows.settings import FlowSettings

    api_url = FlowSettings().known_api_url()
    if not api_url:
        return None
    from flows.publisher import PrefectEventPublisher

    return PrefectEventPublisher(api_url)


def data_rights_uow() -> SqlAlchemyDataRightsUnitOfWork:
    """A unit of work that also reaches every table a member's data may be in (export, erasure, retention)."""
    from persistence.data_rights import SqlAlchemyDataRightsUnitOfWork

    return SqlAlchemyDataRightsUnitOfWork(sessions(), on_commit=publisher())


def clock() -> SystemClock:
    return SystemClock()


@cache
def delivery_settings() -> DeliverySettings:
    require_production_ready()
    return DeliverySettings()


@cache
def smtp_settings() -> SmtpSettings:
    require_production_ready()
    return SmtpSettings()


@cache
def readiness_engine() -> Engine:
    """The /readyz check's own engine: one connection, a short connect timeout (persistence/readiness.py)."""
    from persistence.readiness import readiness_engine as build

    return build(DatabaseSettings().url)


def readiness() -> DatabaseReadiness:
    """Whether the database answers and its schema is the code's; never migrates, never creates a file."""
    from persistence.readiness import database_readiness

    return database_readiness(readiness_engine())


@cache
def signer() -> LinkSigner:
    return LinkSigner(load_or_create_key(delivery_settings()))


def queue() -> SqlAlchemyDeliveryQueue:
    from persistence.delivery_queue import SqlAlchemyDeliveryQueue

    return SqlAlchemyDeliveryQueue(sessions())


def transport() -> SmtpTransport:
    from notifications.smtp import SmtpTransport

    return SmtpTransport(smtp_settings())


@cache
def renderer() -> Renderer:
    """One renderer per process: its Jinja environment compiles each template once, not once per dispatch."""
    from notifications.render import Renderer

    return Renderer(base_url=delivery_settings().base_url)


def composer() -> MailComposer:
    from notifications.composer import MailComposer

    settings = delivery_settings()
    return MailComposer(
        renderer=renderer(),
        signer=signer(),
        sender=smtp_settings().sender,
        base_url=settings.base_url,
        mail_domain=settings.mail_domain,
        clock=clock(),
    )


def dispatch_rules() -> DispatchRules:
    from application.delivery import DispatchRules

    settings = delivery_settings()
    return DispatchRules(
        batch_size=settings.batch_size,
        lease=timedelta(seconds=settings.lease_seconds),
        coalesce=timedelta(seconds=settings.coalesce_seconds),
        digest=timedelta(days=settings.digest_days),
        retry=RetryRules(
            base=timedelta(seconds=settings.retry_base_seconds),
            cap=timedelta(seconds=settings.retry_max_seconds),
            max_attempts=settings.max_attempts,
            max_age=timedelta(hours=settings.max_age_hours),
        ),
    )


def jitter() -> float:
    return random.random()


def reset() -> None:
    """Forget everything built (tests point the entry points at other settings between runs)."""
    if engine.cache_info().currsize:
        engine().dispose()
    if readiness_engine.cache_info().currsize:
        readiness_engine().dispose()
    for cached in (engine, readiness_engine, sessions, delivery_settings, smtp_settings, signer, publisher, renderer):
        cached.cache_clear()
