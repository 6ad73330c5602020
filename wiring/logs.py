"""One logging setup for every Raati process (the web app, the dispatcher, the flows): plain text as before, or
one JSON object per line with ``RAATI_LOG_FORMAT=json``; the request id of the request being served, if any."""

from __future__ import annotations

import json
import logging
import sys
import traceback
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import IO, Literal

from pydantic_settings import BaseSettings, SettingsConfigDict

# The id of the request being served (set by web/observe.py); every log line written while serving it carries it.
REQUEST_ID: ContextVar[str | None] = ContextVar("raati_request_id", default=None)
# Loggers that write through the same handler: Raati's own packages and uvicorn's (its own setup is switched off).
RAATI_LOGGERS = ("domain", "application", "persistence", "notifications", "flows", "web", "cli", "wiring", "raati")
# Attributes every LogRecord has: anything else on a record is an ``extra`` and goes into the JSON object.
_STANDARD = frozenset(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime", "taskName"}
_HANDLER_NAME = "raati"


class LogSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="RAATI_", extra="ignore")

    # ``json``: one JSON object per line (for a log collector); ``text``: lines for a person at a terminal.
    log_format: Literal["text", "json"] = "text"
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"


class JsonFormatter(logging.Formatter):
    """time, level, logger, message, request_id (while serving a request), the record's extras, and a traceback as
    one string field: a log line never spans several lines."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = REQUEST_ID.get()
        if request_id:
            entry["request_id"] = request_id
        entry.update({k: v for k, v in vars(record).items() if k not in _STANDARD and k not in entry})
        if record.exc_info and record.exc_info[0] is not None:
            entry["exception"] = "".join(traceback.format_exception(*record.exc_info))
        if record.stack_info:
            entry["stack"] = record.stack_info
        return json.dumps(entry, ensure_ascii=False, default=str)


class _WithRequestId(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        request_id = REQUEST_ID.get()
        return f"{line} [request {request_id}]" if request_id else line


class _LoggedByRaati(logging.Filter):
    """Drops uvicorn's record of an unhandled error: web/observe.py has logged it already, with the request id."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("Exception in ASGI application")


def configure_logging(
    settings: LogSettings | None = None, *, stream: IO[str] | None = None, json_only: bool = False
) -> LogSettings:
    """Raati's loggers (and uvicorn's) write to stderr in the chosen format; called once by each entry point,
    again harmlessly (the handler is replaced, not added twice). ``json_only``: in text mode leave logging as it
    is (the command line and the flows, whose people-facing output and Prefect's run logs stay as they were)."""
    settings = settings or LogSettings()
    if json_only and settings.log_format != "json":
        return settings
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.set_name(_HANDLER_NAME)
    if settings.log_format == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(_WithRequestId("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    for name in (*RAATI_LOGGERS, "uvicorn", "uvicorn.error"):
        logger = logging.getLogger(name)
        for old in [h for h in logger.handlers if h.get_name() == _HANDLER_NAME]:
            logger.removeHandler(old)
        if name == "uvicorn.error":
            logger.filters = [f for f in logger.filters if not isinstance(f, _LoggedByRaati)] + [_LoggedByRaati()]
            continue  # it propagates to "uvicorn"
        logger.addHandler(handler)
        logger.setLevel(settings.log_level)
        logger.propagate = False  # one line per record, whatever the root logger (Prefect's, pytest's) does
    # Our access log (web/observe.py) replaces uvicorn's, which would also write the query string (tokens).
    logging.getLogger("uvicorn.access").disabled = True
    return settings
