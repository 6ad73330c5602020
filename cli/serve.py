"""``raati serve``: the web app, every deployment, and on embedded defaults the mail sink and a
local Prefect server — one command, stopped cleanly with Ctrl-C."""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Sequence
from contextlib import ExitStack, suppress
from typing import TYPE_CHECKING, Annotated

import typer

import wiring
from cli import context
from cli.extras import require_mail_sink, require_prefect_server
from cli.output import say

if TYPE_CHECKING:
    from flows.deployment_specs import DeploymentSpec


def serve(
    host: Annotated[str, typer.Option(help="Address of the web app.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port of the web app.")] = 8000,
    prefect_port: Annotated[int, typer.Option(help="Port of the local Prefect server (embedded default).")] = 4200,
) -> None:
    """Run everything: web app, flows (schedules and event triggers), mail sink, Prefect server."""
    _stop_on_signals()
    from flows.settings import FlowSettings

    flow_settings = FlowSettings()
    smtp = context.smtp_settings()
    embedded_mail = smtp.host == "127.0.0.1" and smtp.username is None and smtp.tls.value == "none"
    if embedded_mail and "RAATI_COALESCE_SECONDS" not in os.environ:
        # Development: show an idea's update within seconds; production keeps the 10-minute window.
        os.environ["RAATI_COALESCE_SECONDS"] = "5"
    # The links in mail lead to this web app unless the address people reach it by is configured.
    os.environ.setdefault("RAATI_BASE_URL", f"http://{host}:{port}")
    os.environ.setdefault("PREFECT_RUNNER_POLL_FREQUENCY", str(flow_settings.runner_poll_seconds))
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    context.reset()

    with ExitStack() as stack:
        api_url = flow_settings.prefect_api_url
        ui = None
        if not api_url:
            require_prefect_server("raati serve without PREFECT_API_URL (it starts a local Prefect server)")
            from cli.devtools.prefect_server import LocalPrefectServer

            server = LocalPrefectServer(flow_settings.prefect_home, port=prefect_port)
            say(f"Starting a local Prefect server (SQLite in {flow_settings.prefect_home}) …")
            stack.callback(server.stop)
            api_url = server.start()
            ui = server.ui_url
            flow_settings.api_url_file.write_text(api_url, encoding="utf-8")
            stack.callback(flow_settings.api_url_file.unlink, missing_ok=True)
        os.environ["PREFECT_API_URL"] = api_url
        context.reset()

        if embedded_mail:
            require_mail_sink("raati serve without RAATI_SMTP_HOST (it starts a local mail sink)")
            from cli.devtools.mailsink import MailSink

            sink = stack.enter_context(MailSink(context.delivery_settings().sink_dir, port=smtp.port))
            say(f"Mail sink on 127.0.0.1:{sink.port}: {context.delivery_settings().sink_dir}")

        demo_staff = _load_demo_if_empty()
        web = _start_web(host, port)
        stack.callback(web.stop)

        from prefect import serve as prefect_serve

        from flows.deployment_specs import load_deployment_specs
        from flows.deployments import deployments

        specs = load_deployment_specs()
        served = deployments(specs)
        if ui is not None:  # our own server: runs left over from a stopped serve are dead
            import asyncio

            from cli.devtools.prefect_server import crash_orphaned_runs

            asyncio.run(crash_orphaned_runs([d.name for d in served]))

        say(f"Web app: http://{host}:{port}")
        say(f"Prefect UI: {ui or api_url.removesuffix('/api')}")
        say(f"Flows (prefect.yaml): {_flow_list(specs)}.")
        from cli.demo import say_sign_in

        say_sign_in(demo_staff)
        say("Ctrl-C stops everything.")
        with suppress(KeyboardInterrupt):
            prefect_serve(*served, print_starting_message=False, pause_on_shutdown=False)
    say("Stopped.")


def _flow_list(specs: Sequence[DeploymentSpec]) -> str:
    """``dispatch-notifications (events, */5 * * * *), send-prebriefs (*/15 * * * *), …``"""
    described = []
    for spec in specs:
        when = ["events"] if spec.triggers else []
        when += [cron.expression for cron in spec.schedules]
        described.append(f"{spec.name} ({', '.join(when)})")
    return ", ".join(described)


def _load_demo_if_empty() -> tuple[str, ...]:
    """The demo's staff addresses when the demo was loaded now; none when the database already held panels."""
    from application.reads import views

    if views.list_panels(actor=context.operator(), uow=context.uow()):
        return ()
    from cli.demo import run_demo

    say("The database is empty: loading the demo panel.")
    return run_demo(tell_sign_in=False)


class _WebServer:
    def __init__(self, host: str, port: int) -> None:
        import uvicorn

        from web.app import create_app

        app = create_app(
            uow_factory=context.uow, clock=context.clock(), signer=context.signer, readiness=wiring.readiness
        )
        self.server = uvicorn.Server(uvicorn.Config(app, host=host, port=port, log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, name="raati-web", daemon=True)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


def _start_web(host: str, port: int) -> _WebServer:
    web = _WebServer(host, port)
    web.thread.start()
    return web


def _stop_on_signals() -> None:
    """Ctrl-C and SIGTERM both stop everything through the same clean-up path.

    A process started in the background by a script inherits SIGINT ignored; restore it.
    """

    def interrupt(_signum: int, _frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGINT, interrupt)
    signal.signal(signal.SIGTERM, interrupt)
