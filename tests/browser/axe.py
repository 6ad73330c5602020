"""axe-core from the npm registry, pinned and checked, cached under build/ (``make browser`` fetches it)."""

from __future__ import annotations

import base64
import hashlib
import io
import tarfile
import urllib.request
from pathlib import Path

VERSION = "4.10.3"
TARBALL = f"https://registry.npmjs.org/axe-core/-/axe-core-{VERSION}.tgz"
# The registry's dist.integrity for this version: a changed tarball is refused.
INTEGRITY = "sha512-Xm7bpRXnDSX2YE2YFfBk2FnF0ep6tmG7xPh8iHee8MIcrgq762Nkce856dYtJYLkuIoYZvGfTs/PbZhideTcEg=="
BUILD = Path(__file__).resolve().parents[2] / "build"
CACHED = BUILD / f"axe-core-{VERSION}.min.js"


def axe_source() -> str:
    if not CACHED.exists():
        fetch()
    return CACHED.read_text(encoding="utf-8")


def fetch() -> Path:
    with urllib.request.urlopen(TARBALL, timeout=60) as response:
        data = response.read()
    digest = "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()
    if digest != INTEGRITY:
        raise RuntimeError(f"axe-core {VERSION} from {TARBALL} does not match its registry integrity")
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
        member = archive.extractfile("package/axe.min.js")
        assert member is not None
        source = member.read()
    BUILD.mkdir(exist_ok=True)
    CACHED.write_bytes(source)
    return CACHED


if __name__ == "__main__":
    print(CACHED if CACHED.exists() else fetch())
