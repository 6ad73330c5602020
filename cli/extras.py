"""The install's optional parts (pyproject's extras): a command that needs one that is not installed says which,
instead of failing on an import deep inside."""

from __future__ import annotations

import importlib.util
from importlib import metadata


class MissingExtra(Exception):
    """``what`` needs ``raati[extra]``; the message says how to install it."""

    def __init__(self, what: str, extra: str) -> None:
        self.extra = extra
        super().__init__(f"{what} needs the optional part raati[{extra}]: pip install 'raati[{extra}]'")


def _installed(distribution: str) -> bool:
    try:
        metadata.distribution(distribution)
    except metadata.PackageNotFoundError:
        return False
    return True


def require_prefect_server(what: str) -> None:
    """The Prefect server (``prefect server start``) comes with the full ``prefect`` distribution, which
    ``raati[server]`` adds to the default ``prefect-client``."""
    if not _installed("prefect"):
        raise MissingExtra(what, "server")


def require_mail_sink(what: str) -> None:
    """The development mail sink runs on aiosmtpd, part of ``raati[server]``."""
    if importlib.util.find_spec("aiosmtpd") is None:
        raise MissingExtra(what, "server")
