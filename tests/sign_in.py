"""Signing staff in as people do, fast: the email form at /sign-in, the link the sign-in mail would carry (its token
derived from the outbox row's payload and the app's link key, exactly as the mail's composer derives it), and the
link page's button. No token is pasted and nothing of Raati's own is bypassed."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from typing import Any, Protocol

from application.ports.unit_of_work import UnitOfWork
from notifications import kinds
from notifications.links import LinkSigner, sign_in_token, sign_in_url
from notifications.outbox import OutboxMessage

_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


class Client(Protocol):
    """FastAPI's TestClient or an httpx.Client on a served app (redirects not followed)."""

    def get(self, url: str, **kwargs: Any) -> Any: ...
    def post(self, url: str, **kwargs: Any) -> Any: ...


def csrf_of(page: str) -> str:
    found = _CSRF.search(page)
    assert found, f"no CSRF field on the page:\n{page[:2000]}"
    return found.group(1)


def links_queued(uow_factory: Callable[[], UnitOfWork], email: str) -> list[OutboxMessage]:
    """The sign-in mails queued for ``email`` so far, oldest first."""
    with uow_factory() as uow:
        rows = [m for m in uow.outbox.list() if m.kind == kinds.SIGN_IN_LINK and m.email.lower() == email.lower()]
    return sorted(rows, key=lambda m: (m.created_at, int(m.payload["sign_in_id"])))


def newest_link_token(
    uow_factory: Callable[[], UnitOfWork], signer: LinkSigner, email: str, *, after: int = 0, wait: float = 10.0
) -> str:
    """The token of the newest sign-in link queued for ``email`` (from its outbox row, never from the link's row),
    once more than ``after`` have been queued: the app queues the link just after its answer, as a mail arrives a
    moment after the page says it was sent."""
    deadline = time.monotonic() + wait
    while len(rows := links_queued(uow_factory, email)) <= after:
        assert time.monotonic() < deadline, f"no sign-in mail was queued for {email}"
        time.sleep(0.02)
    newest = rows[-1]
    return sign_in_token(signer, int(newest.payload["sign_in_id"]), str(newest.payload["nonce"]))


def newest_link(
    uow_factory: Callable[[], UnitOfWork], signer: LinkSigner, email: str, base_url: str, *, after: int = 0
) -> str:
    """The newest sign-in link for ``email`` as its mail carries it (once more than ``after`` were queued)."""
    return sign_in_url(base_url, newest_link_token(uow_factory, signer, email, after=after))


def ask_for_link(client: Client, email: str, *, next: str = "") -> Any:
    """Type the address into /sign-in and send the form; the answer page."""
    form = client.get("/sign-in", params={"next": next} if next else None)
    return client.post("/sign-in", data={"email": email, "next": next, "csrf_token": csrf_of(form.text)})


def follow_link(client: Client, token: str) -> Any:
    """Open the mailed link and press its button; the answer (303 to the page, or a page saying why not)."""
    page = client.get(f"/sign-in/link/{token}")
    if page.status_code != 200:
        return page
    return client.post(f"/sign-in/link/{token}", data={"csrf_token": csrf_of(page.text)})


def sign_in(
    client: Client, email: str, *, uow_factory: Callable[[], UnitOfWork], signer: LinkSigner, next: str = ""
) -> Any:
    """Sign ``client`` in as the staff user ``email`` by a link by email; the link's answer (a 303 when it worked)."""
    before = len(links_queued(uow_factory, email))
    asked = ask_for_link(client, email, next=next)
    assert asked.status_code == 200, asked.text
    return follow_link(client, newest_link_token(uow_factory, signer, email, after=before))
