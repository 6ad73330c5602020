"""``raati panel rules set|show|acks`` and ``raati member welcome``: the panel's ground rules (pelisäännöt)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from application.demo.participation_scene import ParticipationDemo
from application.participation import ground_rules as use_cases
from cli import context
from cli.options import AsOption, JsonOption
from cli.output import local, print_json, say, table
from domain.errors import InvalidValue
from domain.ground_rules import GroundRules
from domain.panels import Panel
from domain.values import Language
from domain.values import language as lang_value

rules_app = typer.Typer(help="The panel's ground rules: versions in fi, sv and en, and who has acknowledged them.")

PanelOption = Annotated[str, typer.Option("--panel", help="Panel id or name.")]


def read_rules(file: Path, *, field: str) -> list[str]:
    """One rule per line; blank lines and lines starting with # are skipped, a leading "- " or "* " is dropped."""
    try:
        text = file.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise InvalidValue(field, f"cannot read {file}: {error}") from None
    rules = []
    for line in text.splitlines():
        rule = line.strip()
        if not rule or rule.startswith("#"):
            continue
        if rule[:2] in ("- ", "* "):
            rule = rule[2:].strip()
        rules.append(rule)
    return rules


def rules_json(panel: Panel, rules: GroundRules) -> dict[str, object]:
    return {
        "panel": panel.id,
        "panel_name": panel.name,
        "version": rules.version,
        "published": rules.stored,
        "published_at": rules.published_at.isoformat() if rules.published_at else None,
        "published_by": rules.published_by or None,
        "rules": {lang.value: list(rules.rules.get(lang, ())) for lang in Language},
    }


@rules_app.command("set")
def rules_set(
    panel: PanelOption,
    fi: Annotated[
        Path | None, typer.Option("--fi", help="The rules in Finnish: a UTF-8 file, one rule a line.")
    ] = None,
    sv: Annotated[
        Path | None, typer.Option("--sv", help="The rules in Swedish: a UTF-8 file, one rule a line.")
    ] = None,
    en: Annotated[
        Path | None, typer.Option("--en", help="The rules in English: a UTF-8 file, one rule a line.")
    ] = None,
    default: Annotated[bool, typer.Option("--default", help="Publish the customer panel model's own rules.")] = False,
    actor: AsOption = None,
    as_json: JsonOption = False,
) -> None:
    """Publish a new version of the rules (members are asked to acknowledge the current version)."""
    files = {"fi": fi, "sv": sv, "en": en}
    given = {code: path for code, path in files.items() if path is not None}
    if default and given:
        raise InvalidValue("default", "give either --default or the rule files --fi, --sv and --en, not both")
    if not default:
        missing = [code for code, path in files.items() if path is None]
        if missing:
            listed = ", ".join(f"--{code}" for code in missing)
            raise InvalidValue(missing[0], f"missing {listed}: a version has its rules in fi, sv and en (or --default)")
    rules = None if default else {code: read_rules(path, field=code) for code, path in given.items()}
    published = use_cases.publish_ground_rules(
        use_cases.PublishGroundRules(panel=panel, rules=rules, actor=actor), uow=context.uow(), clock=context.clock()
    )
    found, _ = use_cases.show_ground_rules(str(published.panel_id), uow=context.uow())
    if as_json:
        print_json(rules_json(found, published))
    else:
        count = len(published.rules[Language.FI])
        say(f"Published version {published.version} of the ground rules of {found.name} ({count} rules).")


@rules_app.command("show")
def rules_show(
    panel: PanelOption,
    language: Annotated[str | None, typer.Option("--language", help="Only this language: fi, sv or en.")] = None,
    as_json: JsonOption = False,
) -> None:
    """Show the panel's current rules (the model's default until a version is published)."""
    found, rules = use_cases.show_ground_rules(panel, uow=context.uow())
    if as_json:
        print_json(rules_json(found, rules))
        return
    if rules.published_at:
        origin = f"published {local(rules.published_at)} by {rules.published_by}"
    else:
        origin = "the customer panel model's default, not yet published"
    say(f"Ground rules of {found.name}, version {rules.version} ({origin})")
    languages = [lang_value(language)] if language else list(Language)
    for lang in languages:
        say(f"[{lang.value}]")
        for number, rule in enumerate(rules.rules.get(lang, ()), start=1):
            say(f"  {number}. {rule}")


@rules_app.command("acks")
def rules_acks(panel: PanelOption, as_json: JsonOption = False) -> None:
    """Who of the active members has acknowledged the current version, and who has not."""
    report = use_cases.ground_rules_acks(panel, uow=context.uow())
    if as_json:
        print_json(
            {
                "panel": report.panel_id,
                "version": report.version,
                "acknowledged": [
                    {"member": s.member_id, "name": s.name, "acknowledged_at": s.acknowledged_at}
                    for s in report.acknowledged
                ],
                "not_acknowledged": [{"member": s.member_id, "name": s.name} for s in report.not_acknowledged],
            }
        )
        return
    total = len(report.acknowledged) + len(report.not_acknowledged)
    say(f"Version {report.version} of {report.panel_name}: {len(report.acknowledged)} of {total} acknowledged.")
    rows = [[s.member_id, s.name, local(s.acknowledged_at) if s.acknowledged_at else "not yet"] for s in
            report.acknowledged + report.not_acknowledged]  # fmt: skip
    table("Acknowledgements", ["member", "name", "acknowledged"], rows)


def member_welcome(
    panel: PanelOption,
    member: Annotated[
        list[int] | None, typer.Option("--member", help="A member id; repeatable (default: all).")
    ] = None,
    actor: AsOption = None,
    as_json: JsonOption = False,
) -> None:
    """Send the welcome email (the current ground rules and a link to acknowledge them); once per member."""
    queued = use_cases.send_welcome(
        use_cases.SendWelcome(panel=panel, member_ids=tuple(member or ()), actor=actor),
        uow=context.uow(),
        clock=context.clock(),
    )
    if as_json:
        print_json({"queued": queued})
    else:
        say(f"Queued {queued} welcome email(s); members welcomed before are not mailed again.")


def register(*, panel_app: typer.Typer, member_app: typer.Typer) -> None:
    """``raati panel rules …`` and ``raati member welcome``."""
    panel_app.add_typer(rules_app, name="rules")
    member_app.command("welcome")(member_welcome)


def say_participation_demo(panel_id: int, rights: ParticipationDemo, *, first_meeting: int) -> None:
    """What ``raati demo`` says about the panel's ground rules, attendance and the topic wish it took up."""
    say(
        f"Ground rules: version {rights.rules_version} (the customer panel model's own rules, fi/sv/en) went to "
        f"{rights.welcomed} members in their welcome email; {rights.acknowledged} of {rights.members} have "
        f"acknowledged them (raati panel rules acks --panel {panel_id})."
    )
    say(f"Attendance: {rights.attended} of {rights.members} members came to meeting {first_meeting}.")
    told = "she was told by email" if rights.wish_emailed else "nobody could be told by email"
    say(
        f"Topic wish {rights.wish_id} from {rights.wisher} was taken up onto the agenda of meeting "
        f"{rights.wish_meeting_id}; {told} (raati wish list --panel {panel_id}).\n"
    )
