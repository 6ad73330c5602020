"""A browser for the single sign-on tests: the app through FastAPI's TestClient (its cookie jar is the browser's),
the loopback provider over real HTTP, following each redirect to whichever of the two it points at."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import requests
from fastapi.testclient import TestClient

from tests.oidc.conftest import APP_BASE
from tests.oidc.provider import Provider

REDIRECTS = (301, 302, 303, 307, 308)


@dataclass(frozen=True)
class Visit:
    status: int
    url: str  # where the browser ended up
    text: str
    visited: tuple[str, ...]  # every address on the way, the first one included


class Browser:
    def __init__(self, app: TestClient, provider: Provider) -> None:
        self.app = app
        self.provider = provider

    def get(self, url: str, *, stop_at: str | None = None) -> Visit:
        """Open ``url`` and follow redirects; ``stop_at``: stop before opening an address that starts with it."""
        visited = []
        for _ in range(10):
            url = urljoin(APP_BASE + "/", url)
            if stop_at is not None and url.startswith(stop_at):
                return Visit(0, url, "", tuple(visited))
            visited.append(url)
            if url.startswith(self.provider.issuer):
                response = requests.get(url, allow_redirects=False, timeout=5)
                status, text, location = response.status_code, response.text, response.headers.get("location")
            else:
                parts = urlsplit(url)
                answer = self.app.get(parts.path + (f"?{parts.query}" if parts.query else ""), follow_redirects=False)
                status, text, location = answer.status_code, answer.text, answer.headers.get("location")
            if status not in REDIRECTS or location is None:
                return Visit(status, url, text, tuple(visited))
            url = urljoin(url, location)
        raise AssertionError(f"too many redirects: {visited}")

    def sign_in(self, next_path: str = "") -> Visit:
        return self.get("/sign-in/oidc" + (f"?next={next_path}" if next_path else ""))

    def signed_in(self) -> bool:
        """Whether a staff page opens (rather than sending the browser to sign in)."""
        response = self.app.get("/queue", follow_redirects=False)
        return response.status_code == 200
