"""``raati panel|service|member|user``: panels and the people and services around them."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer

from application.access import accounts, tokens
from application.commands import (
    AddMember,
    AddService,
    AddUser,
    CreatePanel,
    ImportMembers,
    MemberRow,
    UpdatePanel,
    UpdateUser,
)
from application.people import preferences
from application.people.member_csv import member_rows
from application.people.public_page import SetPublicPage, set_public_page
from application.people.roster import (
    add_member,
    add_service,
    create_panel,
    import_members,
    update_panel,
    update_user,
)
from application.reads import views
from cli import context
from cli.options import AsOption, JsonOption
from cli.output import print_json, say, table
from cli.translations import NameEn, NameSv, options_named, texts
from domain.errors import InvalidValue
from domain.panels import Member, Panel, Service, StaffUser
from domain.values import Role
from notifications.links import member_links

panel_app = typer.Typer(help="Customer panels.", no_args_is_help=True)
service_app = typer.Typer(help="Services taking part in a panel.", no_args_is_help=True)
member_app = typer.Typer(help="Panel members (raatilaiset).", no_args_is_help=True)
user_app = typer.Typer(help="Staff: coordinators, service owners, managers.", no_args_is_help=True)

PanelOption = Annotated[str, typer.Option("--panel", help="Panel id or name.")]
GreetingNameOption = Annotated[
    str | None,
    typer.Option("--greeting-name", help="The name mail greets them by; default: the first word of the name."),
]


def panel_json(panel: Panel) -> dict[str, object]:
    return {
        "id": panel.id,
        "name": panel.name,
        "lead_days": panel.lead_days,
        "summary_due_days": panel.summary_due_days,
        "stale_days": panel.stale_days,
        "progress_note_days": panel.progress_note_days,
        "translations": panel.translations.as_json(),
        "contact": panel.contact.as_json() if panel.contact else None,
        "public_page": panel.public_page,
        "public_slug": panel.public_slug,
    }


ContactNameOption = Annotated[
    str | None, typer.Option("--contact-name", help="The panel's contact person, named in every member mail.")
]
ContactEmailOption = Annotated[str | None, typer.Option("--contact-email", help="The contact person's email.")]
ContactPhoneOption = Annotated[
    str | None, typer.Option("--contact-phone", help='The contact person\'s phone (optional; "" removes it).')
]


def service_json(service: Service, owners: list[StaffUser]) -> dict[str, object]:
    return {
        "id": service.id,
        "panel": service.panel_id,
        "name": service.name,
        "owners": [o.email for o in owners],
    }


def member_json(member: Member) -> dict[str, object]:
    return {
        "id": member.id,
        "panel": member.panel_id,
        "name": member.name,
        "email": member.email,
        "language": member.language.value,
        "delivery": member.delivery.value,
        "active": member.active,
        "greeting_name": member.greeting,
    }


def user_json(user: StaffUser) -> dict[str, object]:
    return {
        "id": user.id,
        "email": user.email,
        "role": user.role.value,
        "panels": sorted(user.panel_ids),
        "service": user.service_id,
        "language": user.language.value if user.language else None,
        "greeting_name": user.greeting_name,
        "active": user.active,
    }


@panel_app.command("create")
def panel_create(
    name: str,
    lead_days: Annotated[int, typer.Option(help="Days before a meeting the pre-brief goes out (>= 3).")] = 7,
    summary_due_days: Annotated[int, typer.Option(help="Days after a meeting the summary is due.")] = 7,
    as_json: JsonOption = False,
    name_sv: NameSv = None,
    name_en: NameEn = None,
    contact_name: ContactNameOption = None,
    contact_email: ContactEmailOption = None,
    contact_phone: ContactPhoneOption = None,
    actor: AsOption = None,
) -> None:
    """Create a panel, with its name in Swedish and English and its contact person if given. A coordinator who
    creates one (``--as``) coordinates it."""
    with options_named({"name": "--name"}), fields_as_options({**CONTACT_OPTIONS, **DAY_OPTIONS}):
        panel = create_panel(
            CreatePanel(
                name=name,
                lead_days=lead_days,
                summary_due_days=summary_due_days,
                translations=texts(name=(name_sv, name_en)),
                contact_name=contact_name,
                contact_email=contact_email,
                contact_phone=contact_phone,
                actor=actor,
            ),
            uow=context.uow(),
            clock=context.clock(),
        )
    if as_json:
        print_json(panel_json(panel))
    else:
        say(f"Created panel {panel.id}: {panel.name} (pre-brief {panel.lead_days} days ahead).")


@panel_app.command("update")
def panel_update(
    panel: Annotated[str, typer.Argument(help="Panel id or name.")],
    name: Annotated[str | None, typer.Option("--name", help="A new name (Finnish).")] = None,
    name_sv: NameSv = None,
    name_en: NameEn = None,
    contact_name: ContactNameOption = None,
    contact_email: ContactEmailOption = None,
    contact_phone: ContactPhoneOption = None,
    lead_days: Annotated[int | None, typer.Option(help="Days before a meeting the pre-brief goes out (>= 3).")] = None,
    summary_due_days: Annotated[int | None, typer.Option(help="Days after a meeting the summary is due.")] = None,
    stale_days: Annotated[int | None, typer.Option(help="Days an idea waits before its service is reminded.")] = None,
    progress_note_days: Annotated[
        int | None, typer.Option(help="Days between the progress notes asked of a service.")
    ] = None,
    public_page: Annotated[
        str | None, typer.Option("--public-page", help="on: anyone may read the panel's page /p/SLUG; off: nobody.")
    ] = None,
    public_slug: Annotated[
        str | None,
        typer.Option("--public-slug", help="The public page's address /p/SLUG (a-z, 0-9, hyphens; 3-60 characters)."),
    ] = None,
    actor: AsOption = None,
    as_json: JsonOption = False,
) -> None:
    """Change a panel's name, its Swedish or English name ("" removes one), its contact person, its timing or its
    public page."""
    if public_page is not None and public_page.strip().lower() not in ("on", "off"):
        raise InvalidValue("--public-page", f"is {public_page!r}; write on or off")
    publishing = public_page is not None or public_slug is not None
    others = (name, name_sv, name_en, contact_name, contact_email, contact_phone, lead_days, summary_due_days)
    if publishing and any(v is not None for v in (*others, stale_days, progress_note_days)):
        # Two use cases, two transactions: one command changes one of them, so a refusal leaves nothing half-done.
        raise InvalidValue(
            "--public-page" if public_page is not None else "--public-slug",
            "change the public page in a command of its own, without the panel's other settings",
        )
    if publishing:
        with fields_as_options(PUBLIC_OPTIONS):
            set_public_page(
                SetPublicPage(
                    panel=panel,
                    public_page=None if public_page is None else public_page.strip().lower() == "on",
                    public_slug=public_slug,
                    actor=actor,
                ),
                uow=context.uow(),
                clock=context.clock(),
            )
    with options_named({"name": "--name"}), fields_as_options({**CONTACT_OPTIONS, **DAY_OPTIONS}):
        updated = update_panel(
            UpdatePanel(
                panel=panel,
                name=name,
                translations=texts(name=(name_sv, name_en)),
                contact_name=contact_name,
                contact_email=contact_email,
                contact_phone=contact_phone,
                lead_days=lead_days,
                summary_due_days=summary_due_days,
                stale_days=stale_days,
                progress_note_days=progress_note_days,
                actor=actor,
            ),
            uow=context.uow(),
            clock=context.clock(),
        )
    if as_json:
        print_json(panel_json(updated))
        return
    contact = updated.contact
    reach = (
        f"; contact {contact.name} <{contact.email}>" + (f" {contact.phone}" if contact.phone else "")
        if contact
        else ""
    )
    public = f" Public page: /p/{updated.public_slug}." if updated.public_page else ""
    say(f"Panel {updated.id}: {updated.name}{reach}.{public}")


CONTACT_OPTIONS = {
    "contact.name": "--contact-name",
    "contact.email": "--contact-email",
    "contact.phone": "--contact-phone",
}
PUBLIC_OPTIONS = {"public_slug": "--public-slug", "public_page": "--public-page"}
DAY_OPTIONS = {
    "lead_days": "--lead-days",
    "summary_due_days": "--summary-due-days",
    "stale_days": "--stale-days",
    "progress_note_days": "--progress-note-days",
}


@contextmanager
def fields_as_options(options: Mapping[str, str] = CONTACT_OPTIONS) -> Iterator[None]:
    """A refused value names its option (``--contact-email``, ``--lead-days``), not the field (``contact.email``)."""
    try:
        yield
    except InvalidValue as error:
        if error.field not in options:
            raise
        raise InvalidValue(options[error.field], error.reason) from None


@panel_app.command("list")
def panel_list(as_json: JsonOption = False) -> None:
    """List panels."""
    panels = views.list_panels(actor=context.operator(), uow=context.uow())
    if as_json:
        print_json([panel_json(p) for p in panels])
    else:
        table(
            "Panels",
            ["id", "name", "lead days", "summary due days"],
            [[p.id, p.name, p.lead_days, p.summary_due_days] for p in panels],
        )


@service_app.command("add")
def service_add(
    name: str,
    panel: PanelOption,
    owner: Annotated[list[str] | None, typer.Option("--owner", help="Email of an owner; repeatable.")] = None,
    actor: AsOption = None,
    as_json: JsonOption = False,
) -> None:
    """Add a service to a panel, optionally with its owners."""
    service, owners = add_service(
        AddService(name=name, panel=panel, owners=tuple(owner or ()), actor=actor),
        uow=context.uow(),
        clock=context.clock(),
    )
    if as_json:
        print_json(service_json(service, owners))
    else:
        owned = f", owners: {', '.join(o.email for o in owners)}" if owners else ""
        say(f"Added service {service.id}: {service.name} to panel {service.panel_id}{owned}.")


@service_app.command("list")
def service_list(panel: PanelOption, as_json: JsonOption = False) -> None:
    """List the services taking part in a panel."""
    services = views.list_services(panel, actor=context.operator(), uow=context.uow())
    if as_json:
        print_json([service_json(s, owners) for s, owners in services])
    else:
        table(
            "Services",
            ["id", "name", "owners"],
            [[s.id, s.name, ", ".join(o.email for o in owners)] for s, owners in services],
        )


@member_app.command("add")
def member_add(
    panel: PanelOption,
    name: Annotated[str, typer.Option("--name")],
    email: Annotated[str, typer.Option("--email")],
    language: Annotated[str | None, typer.Option("--language", help="fi (default), sv or en.")] = None,
    greeting_name: GreetingNameOption = None,
    actor: AsOption = None,
    as_json: JsonOption = False,
) -> None:
    """Add one member to a panel."""
    member = add_member(
        AddMember(panel=panel, name=name, email=email, language=language, actor=actor, greeting_name=greeting_name),
        uow=context.uow(),
        clock=context.clock(),
    )
    if as_json:
        print_json(member_json(member))
    else:
        say(f"Added member {member.id}: {member.name} <{member.email}> ({member.language.value}).")


@member_app.command("import")
def member_import(
    file: Annotated[Path, typer.Argument(help="CSV file with the columns name,email[,language][,greeting_name].")],
    panel: PanelOption,
    skip_invalid: Annotated[bool, typer.Option(help="Import the good rows and report the bad ones.")] = False,
    actor: AsOption = None,
    as_json: JsonOption = False,
) -> None:
    """Import members from a CSV file: all rows or none (unless --skip-invalid)."""
    result = import_members(
        ImportMembers(panel=panel, rows=read_member_csv(file), skip_invalid=skip_invalid, actor=actor),
        uow=context.uow(),
        clock=context.clock(),
    )
    if as_json:
        print_json(
            {
                "imported": [member_json(m) for m in result.imported],
                "skipped": [{"line": e.line, "field": e.field, "reason": e.reason} for e in result.skipped],
            }
        )
        return
    say(f"Imported {len(result.imported)} member(s).")
    for error in result.skipped:
        say(f"Skipped {error}")


def read_member_csv(file: Path) -> tuple[MemberRow, ...]:
    """The file's rows by the parser the members page uses too (``application.people.member_csv``)."""
    try:
        with file.open(newline="", encoding="utf-8-sig") as handle:
            text = handle.read()
    except FileNotFoundError:
        raise InvalidValue("file", f"{file} does not exist") from None
    except UnicodeDecodeError:
        raise InvalidValue("file", f"{file} is not UTF-8 text") from None
    except (IsADirectoryError, PermissionError) as error:
        raise InvalidValue("file", f"{file} cannot be read as CSV: {error}") from None
    return member_rows(text)


@member_app.command("list")
def member_list(panel: PanelOption, as_json: JsonOption = False) -> None:
    """List a panel's members."""
    members = views.list_members(panel, actor=context.operator(), uow=context.uow())
    if as_json:
        print_json([member_json(m) for m in members])
    else:
        table(
            "Members",
            ["id", "name", "email", "language", "delivery", "active"],
            [[m.id, m.name, m.email, m.language.value, m.delivery.value, "yes" if m.active else "no"] for m in members],
        )


@user_app.command("add")
def user_add(
    email: str,
    role: Annotated[Role, typer.Option("--role", help="coordinator, service_owner or manager.")],
    panel: Annotated[str | None, typer.Option("--panel", help="Panel id or name.")] = None,
    service: Annotated[str | None, typer.Option("--service", help="Service id or name (service owners).")] = None,
    language: Annotated[str | None, typer.Option("--language", help="The web pages' language: fi, sv or en.")] = None,
    greeting_name: GreetingNameOption = None,
    welcome: Annotated[
        bool, typer.Option("--welcome", help="Mail them what they do in Raati and how to sign in.")
    ] = False,
    actor: AsOption = None,
    as_json: JsonOption = False,
) -> None:
    """Add a staff user with an API token, printed once (or give a coordinator another panel)."""
    issued = tokens.add_user_with_token(
        AddUser(
            email=email,
            role=role,
            panel=panel,
            service=service,
            actor=actor,
            language=language,
            greeting_name=greeting_name,
            welcome=welcome,
        ),
        uow=context.uow(),
        clock=context.clock(),
    )
    user = issued.user
    if as_json:
        print_json({**user_json(user), "token": issued.token})
        return
    say(f"User {user.id}: {user.email} is a {user.role.value}.")
    _say_token(issued.token)


@user_app.command("update")
def user_update(
    email: str,
    language: Annotated[
        str | None, typer.Option("--language", help='The web pages\' language: fi, sv or en ("" forgets it).')
    ] = None,
    greeting_name: GreetingNameOption = None,
    actor: AsOption = None,
    as_json: JsonOption = False,
) -> None:
    """Change a staff user's saved language or greeting name (the operator, or the user with --as)."""
    user = update_user(
        UpdateUser(email=email, language=language, greeting_name=greeting_name, actor=actor),
        uow=context.uow(),
        clock=context.clock(),
    )
    if as_json:
        print_json(user_json(user))
    else:
        chosen = user.language.value if user.language else "not chosen"
        say(f"User {user.id}: {user.email}, language {chosen}, greeted as {user.greeting_name or '(no name)'}.")


@user_app.command("token")
def user_token(
    email: str,
    actor: AsOption = None,
    as_json: JsonOption = False,
) -> None:
    """Issue a new API token for a staff user; the old one stops working. Printed once."""
    issued = tokens.issue_token(tokens.IssueToken(email=email, actor=actor), uow=context.uow(), clock=context.clock())
    if as_json:
        print_json({**user_json(issued.user), "token": issued.token, "revoked": issued.revoked})
        return
    say(f"User {issued.user.id}: {issued.user.email}; {issued.revoked} earlier token(s) revoked.")
    _say_token(issued.token)


@user_app.command("deactivate")
def user_deactivate(email: str, actor: AsOption = None, as_json: JsonOption = False) -> None:
    """Deactivate a staff user: they sign in no more; their sessions and API tokens end at once."""
    _set_active(email, active=False, actor=actor, as_json=as_json)


@user_app.command("activate")
def user_activate(email: str, actor: AsOption = None, as_json: JsonOption = False) -> None:
    """Let a deactivated staff user sign in again (an API token for them: `raati user token EMAIL`)."""
    _set_active(email, active=True, actor=actor, as_json=as_json)


def _set_active(email: str, *, active: bool, actor: str | None, as_json: bool) -> None:
    change = accounts.set_user_active(
        accounts.SetUserActive(email=email, active=active, actor=actor), uow=context.uow(), clock=context.clock()
    )
    user = change.user
    if as_json:
        print_json(
            {
                **user_json(user),
                "changed": change.changed,
                "sessions_ended": change.sessions_ended,
                "tokens_revoked": change.tokens_revoked,
            }
        )
    elif not change.changed:
        say(f"User {user.id}: {user.email} is already {'active' if active else 'deactivated'}.")
    elif active:
        say(f"User {user.id}: {user.email} is active again and may sign in.")
    else:
        say(
            f"User {user.id}: {user.email} is deactivated; {change.sessions_ended} session(s) ended, "
            f"{change.tokens_revoked} API token(s) revoked."
        )


def _say_token(token: str | None) -> None:
    if token is None:
        say("The user already has an API token; `raati user token EMAIL` replaces it.")
        return
    say(f"API token (shown only now; keep it secret): {token}")


@member_app.command("prefs")
def member_prefs(
    member: Annotated[int, typer.Argument(help="The member id.")],
    language: Annotated[str | None, typer.Option("--language", help="fi, sv or en.")] = None,
    delivery: Annotated[str | None, typer.Option("--delivery", help="immediate or digest.")] = None,
    greeting_name: GreetingNameOption = None,
    actor: AsOption = None,
    as_json: JsonOption = False,
) -> None:
    """Change a member's language, delivery or greeting name (on the member's behalf)."""
    changed = preferences.change_preferences(
        preferences.ChangePreferences(
            member_id=member, language=language, delivery=delivery, actor=actor, greeting_name=greeting_name
        ),
        uow=context.uow(),
        clock=context.clock(),
    )
    if as_json:
        print_json(member_json(changed))
    else:
        say(f"Member {changed.id}: language {changed.language.value}, delivery {changed.delivery.value}.")


@member_app.command("unsubscribe")
def member_unsubscribe(
    member: Annotated[int, typer.Argument(help="The member id.")],
    actor: AsOption = None,
    as_json: JsonOption = False,
) -> None:
    """Stop all member mail to a member (for example at their request by phone)."""
    changed, cancelled = preferences.unsubscribe(
        preferences.Unsubscribe(member_id=member, via="staff", actor=actor or "operator"),
        uow=context.uow(),
        clock=context.clock(),
    )
    if as_json:
        print_json({**member_json(changed), "cancelled": cancelled})
    else:
        say(f"Member {changed.id} unsubscribed; {cancelled} pending notification(s) cancelled.")


@member_app.command("links")
def member_links_command(
    member: Annotated[int, typer.Argument(help="The member id.")],
    as_json: JsonOption = False,
) -> None:
    """Print a member's signed links (the ones in their emails)."""
    settings = context.delivery_settings()
    found = views.get_member(member, actor=context.operator(), uow=context.uow())
    links = member_links(context.signer(), settings.base_url, settings.mail_domain, found.id or member)
    if as_json:
        print_json(links)
    else:
        for name, url in links.items():
            say(f"{name}: {url}")
