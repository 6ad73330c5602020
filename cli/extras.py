"""The install's optional parts (pyproject's extras): a command that needs one that is not installed says which,
instead of failing on an import deep inside."""

from __future__ import annotations

import importlib.util
import re
from importlib import metadata
from pathlib import Path


class InstallProblem(Exception):
    """The installation lacks something a command needs, or is mixed up; the message says what to run."""


class MissingExtra(InstallProblem):
    """``what`` needs ``raati[extra]``; the message says how to install it."""

    def __init__(self, what: str, extra: str) -> None:
        self.extra = extra
        super().__init__(f"{what} needs the optional part raati[{extra}]: pip install 'raati[{extra}]'")


_VERSION_LINE = re.compile(r'^__version__ = "([^"]+)"$', re.MULTILINE)


def files_version(package_folder: Path) -> str | None:
    """The version written in the ``prefect`` package's own files (``_build_info.py``), read without importing it:
    the version of whichever of ``prefect`` and ``prefect-client`` (the same files) was installed last."""
    try:
        text = (package_folder / "_build_info.py").read_text(encoding="utf-8")
    except OSError:
        return None
    found = _VERSION_LINE.search(text)
    return found.group(1) if found else None


def check_prefect_files(installed: str, package_folder: Path) -> None:
    """Refuse a ``prefect`` whose shared files were overwritten by an older or newer ``prefect-client``."""
    written = files_version(package_folder)
    if written is not None and written != installed:
        raise InstallProblem(
            f"the prefect package's files are version {written} (prefect-client installed after prefect "
            f"{installed} overwrote them); put prefect's back: pip install --force-reinstall --no-deps "
            f"prefect=={installed}"
        )


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
    spec = importlib.util.find_spec("prefect")
    if spec is not None and spec.origin is not None:
        check_prefect_files(metadata.version("prefect"), Path(spec.origin).parent)


def require_mail_sink(what: str) -> None:
    """The development mail sink runs on aiosmtpd, part of ``raati[server]``."""
    if importlib.util.find_spec("aiosmtpd") is None:
        raise MissingExtra(what, "server")
