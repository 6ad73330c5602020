"""``raati mailsink`` and ``raati mail list|show``: the development mail sink and reading what it caught."""

from __future__ import annotations

import signal
import threading
from typing import Annotated

import typer

from cli import context
from cli.devtools.mailbox import MailNotFound, list_messages, read_message
from cli.extras import require_mail_sink
from cli.options import JsonOption
from cli.output import local, print_json, say
from domain.errors import InvalidValue

app = typer.Typer(help="Mail caught by the development mail sink.", no_args_is_help=True)


def mailsink(
    host: Annotated[str, typer.Option(help="Address to listen on (loopback only by default).")] = "127.0.0.1",
    port: Annotated[int | None, typer.Option(help="Port; default RAATI_SMTP_PORT (8025).")] = None,
) -> None:
    """Run a local SMTP server that stores every message as an .eml file (RAATI_MAILSINK_DIR)."""
    require_mail_sink("raati mailsink")
    from cli.devtools.mailsink import MailSink

    folder = context.delivery_settings().sink_dir
    sink = MailSink(folder, host=host, port=port if port is not None else context.smtp_settings().port)
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    with sink:
        say(f"Mail sink listening on {host}:{sink.port}; messages go to {folder}. Ctrl-C stops it.")
        stop.wait()
    say("Mail sink stopped.")


@app.command("list")
def list_(as_json: JsonOption = False) -> None:
    """List the caught messages, oldest first."""
    mails = list_messages(context.delivery_settings().sink_dir)
    if as_json:
        print_json(
            [
                {
                    "n": m.number,
                    "from": m.sender,
                    "to": m.to,
                    "subject": m.subject,
                    "date": m.date.isoformat() if m.date else None,
                    "message_id": m.message_id,
                    "language": m.language,
                    "path": str(m.path),
                }
                for m in mails
            ]
        )
        return
    say(f"{len(mails)} message(s) in {context.delivery_settings().sink_dir}")
    for m in mails:
        when = local(m.date) if m.date else "?"
        say(f"  {m.number:>4}  {when}  {m.language or '--':<2}  {m.to:<36}  {m.subject}")


@app.command("show")
def show(
    number: Annotated[int, typer.Argument(help="The message number from 'raati mail list'.")],
    html: Annotated[bool, typer.Option("--html", help="Show the HTML part instead of the text.")] = False,
    raw: Annotated[bool, typer.Option("--raw", help="Show the whole message as it arrived.")] = False,
) -> None:
    """Show one caught message: its headers and its text (or HTML) part."""
    try:
        opened = read_message(context.delivery_settings().sink_dir, number)
    except MailNotFound as error:
        raise InvalidValue("number", str(error)) from None
    if raw:
        print(opened.mail.path.read_text(encoding="utf-8", errors="replace"))
        return
    shown = ("From", "To", "Reply-To", "Subject", "Date", "Message-ID", "List-Unsubscribe", "List-Unsubscribe-Post")
    headers = dict(opened.headers)
    for name in shown:
        if headers.get(name):
            say(f"{name}: {headers[name]}")
    say("")
    print((opened.html if html else opened.text) or "(no such part)")
