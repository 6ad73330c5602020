"""The sign-in mail: a one-time link derived from the payload and the key, how long it works in Helsinki time,
what to do with a link one did not ask for, and none of member mail's unsubscribe machinery."""

from __future__ import annotations

from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import pytest

from application.delivery import COALESCING_KINDS
from notifications import kinds
from notifications.composer import MailComposer
from notifications.links import LinkSigner, sign_in_token, sign_in_url
from notifications.outbox import OutboxMessage, RecipientKind
from notifications.queue import plan_emails
from notifications.render import Renderer
from tests.notifications.samples import BASE_URL, SIGN_IN_ID, SIGN_IN_NONCE, idea_change

KEY = b"sign-in-mail-test-key-0123456789"
REQUESTED = datetime(2026, 3, 12, 12, 0, tzinfo=UTC)
SUBJECTS = {
    "fi": "Kirjautumislinkkisi Raatiin",
    "sv": "Din inloggningslänk till Raati",
    "en": "Your sign-in link to Raati",
}
# 12:15 UTC in March is 14.15 in Helsinki (UTC+2); in June 12:15 UTC is 15.15 (summer time, UTC+3).
VALIDITY = {
    "fi": "Linkki toimii vain kerran ja 15 minuutin ajan, 12.3.2026 klo 14.15 asti.",
    "sv": "Länken fungerar bara en gång och i 15 minuter, fram till 12.3.2026 kl. 14.15.",
    "en": "The link works only once and for 15 minutes, until 12 March 2026 at 14:15.",
}
NOT_ASKED = {
    "fi": "Jos et pyytänyt linkkiä, voit jättää tämän viestin huomiotta",
    "sv": "Om du inte bad om länken kan du bortse från det här meddelandet",
    "en": "If you did not ask for this link, you can ignore this email",
}
NEVER_ASKED_FOR = {
    "fi": "Raatista ei koskaan pyydetä sinulta tätä linkkiä.",
    "sv": "Ingen från Raati kommer någonsin att be dig om den här länken.",
    "en": "No one from Raati will ever ask you for this link.",
}


class _Clock:
    def now(self) -> datetime:
        return datetime(2026, 3, 12, 12, 0, 5, tzinfo=UTC)


def composer() -> MailComposer:
    return MailComposer(
        renderer=Renderer(BASE_URL),
        signer=LinkSigner(KEY),
        sender="Raati <raati@raati.example.fi>",
        base_url=BASE_URL,
        mail_domain="raati.example.fi",
        clock=_Clock(),
    )


def row(language: str = "fi", **payload: Any) -> OutboxMessage:
    return OutboxMessage(
        id="sign-in-row",
        kind=kinds.SIGN_IN_LINK,
        recipient_kind=RecipientKind.STAFF,
        recipient_id=4,
        email="pekka.palvelu@hel.example",
        language=language,
        payload={
            "sign_in_id": SIGN_IN_ID,
            "nonce": SIGN_IN_NONCE,
            "expires_at": "2026-03-12T12:15:00+00:00",
            "next": "/ideas/7",
            "greeting_name": "Pekka",
            **payload,
        },
        created_at=REQUESTED,
        panel_id=1,
    )


def received(message: EmailMessage) -> tuple[EmailMessage, str, str]:
    parsed = message_from_bytes(message.as_bytes(), policy=policy.default)
    assert isinstance(parsed, EmailMessage)
    text, html = parsed.get_body(("plain",)), parsed.get_body(("html",))
    assert text is not None
    assert html is not None
    return parsed, text.get_content(), html.get_content()


def expected_link() -> str:
    return sign_in_url(BASE_URL, sign_in_token(LinkSigner(KEY), SIGN_IN_ID, SIGN_IN_NONCE))


@pytest.mark.parametrize("language", sorted(SUBJECTS))
def test_the_sign_in_mail_links_the_token_derived_from_its_payload_and_says_until_when_in_helsinki_time(
    language: str,
) -> None:
    message, text, html = received(composer().compose(kinds.SIGN_IN_LINK, [row(language)], key="sign-in-row"))

    assert message["Subject"] == SUBJECTS[language]
    assert message["Content-Language"] == language
    link = expected_link()
    assert link.startswith(f"{BASE_URL}/sign-in/link/")
    assert link in text
    assert f'href="{link}"' in html
    assert VALIDITY[language] in text
    assert VALIDITY[language] in html
    for words in (NOT_ASKED, NEVER_ASKED_FOR):
        assert words[language] in text
        assert words[language] in html
    assert "Hei Pekka," in text if language == "fi" else "Pekka" in text


def test_the_mail_holds_no_secret_of_its_own_the_link_needs_the_key() -> None:
    _, text, _ = received(composer().compose(kinds.SIGN_IN_LINK, [row()], key="sign-in-row"))
    other_key = sign_in_url(
        BASE_URL, sign_in_token(LinkSigner(b"another-key-0123456789abcdef"), SIGN_IN_ID, SIGN_IN_NONCE)
    )

    assert other_key not in text
    assert SIGN_IN_NONCE not in text


def test_summer_time_is_shown_as_the_reader_sees_it_on_the_wall() -> None:
    summer = row("fi", expires_at="2026-06-01T12:15:00+00:00")
    summer = OutboxMessage(**{**summer.__dict__, "created_at": datetime(2026, 6, 1, 12, 0, tzinfo=UTC)})

    _, text, _ = received(composer().compose(kinds.SIGN_IN_LINK, [summer], key="sign-in-row"))

    assert "Linkki toimii vain kerran ja 15 minuutin ajan, 1.6.2026 klo 15.15 asti." in text


def test_staff_mail_has_no_unsubscribe_and_no_member_links() -> None:
    message, text, html = received(composer().compose(kinds.SIGN_IN_LINK, [row()], key="sign-in-row"))

    assert message["List-Unsubscribe"] is None
    assert message["List-Unsubscribe-Post"] is None
    assert message["Reply-To"] is None
    assert "/unsubscribe" not in text + html
    assert "/preferences" not in text + html
    assert "vastuuhenkilönä tai palvelun edustajana" in text


def test_a_repeat_of_the_mail_is_the_same_mail_with_the_same_message_id() -> None:
    first = composer().compose(kinds.SIGN_IN_LINK, [row()], key="sign-in-row", date=REQUESTED)
    again = composer().compose(kinds.SIGN_IN_LINK, [row()], key="sign-in-row", date=REQUESTED)

    assert first["Message-ID"] == again["Message-ID"]
    assert first.as_bytes() == again.as_bytes()


def test_a_link_to_the_start_page_does_not_promise_another_page() -> None:
    _, deep, _ = received(composer().compose(kinds.SIGN_IN_LINK, [row("en")], key="a"))
    _, start, _ = received(composer().compose(kinds.SIGN_IN_LINK, [row("en", next=None)], key="b"))

    assert "you go straight to the page you were opening" in deep
    assert "you go straight to the page" not in start


def test_without_the_moment_it_was_asked_for_the_mail_still_says_until_when() -> None:
    rendered = Renderer(BASE_URL).render(kinds.SIGN_IN_LINK, "fi", [row().payload], links={"sign_in": expected_link()})

    assert "Linkki toimii vain kerran, 12.3.2026 klo 14.15 asti." in rendered.text


def test_the_renderer_refuses_a_sign_in_mail_without_its_link() -> None:
    with pytest.raises(ValueError, match="sign_in"):
        Renderer(BASE_URL).render(kinds.SIGN_IN_LINK, "fi", [row().payload], links={})


def test_a_sign_in_link_is_an_email_of_its_own_never_coalesced_with_other_mail() -> None:
    sign_in = row()
    update = OutboxMessage(
        id="update-row",
        kind=kinds.IDEA_UPDATE,
        recipient_kind=RecipientKind.STAFF,
        recipient_id=4,
        email="pekka.palvelu@hel.example",
        language="fi",
        payload=idea_change(),
        created_at=REQUESTED,
        panel_id=1,
    )

    emails = plan_emails(
        [sign_in, update],
        digest_recipients=frozenset({4}),
        coalescing_kinds=COALESCING_KINDS,
        now=REQUESTED,
    )

    assert kinds.SIGN_IN_LINK not in COALESCING_KINDS
    (alone,) = [email for email in emails if sign_in in email.rows]
    assert alone.kind == kinds.SIGN_IN_LINK
    assert alone.rows == (sign_in,)
