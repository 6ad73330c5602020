"""``raati survey``: evaluation surveys (create, open, remind, close, list) and the report (text, JSON, CSV, chart)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Annotated

import typer

from application import surveys
from cli import context
from cli.options import AsOption, JsonOption
from cli.output import HELSINKI, local, print_json, say, table
from cli.survey_exports import chart_problem, report_text, write_chart, write_csv
from cli.translations import StatementEn, StatementSv, TitleEn, TitleSv, options_named, texts
from domain.errors import InvalidValue
from domain.surveys import Survey

app = typer.Typer(help="Evaluation surveys: one-time links to members, anonymous answers, the report.")

IdArgument = Annotated[int, typer.Argument(metavar="ID", help="The survey id.", min=1)]


def parse_closing(value: str) -> datetime:
    """An ISO date (the survey closes at the end of that day, Helsinki time) or date and time."""
    text = value.strip()
    try:
        if len(text) == 10:
            day = date.fromisoformat(text)
            return datetime.combine(day + timedelta(days=1), time(0), tzinfo=HELSINKI)
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise InvalidValue("closes", f"{value!r} is not an ISO 8601 date (2026-12-10) or date and time") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=HELSINKI)


def survey_json(survey: Survey, *, invited: int | None = None, answered: int | None = None) -> dict[str, object]:
    def when(moment: datetime | None) -> str | None:
        return moment.astimezone(HELSINKI).isoformat() if moment else None

    data: dict[str, object] = {
        "id": survey.id,
        "panel": survey.panel_id,
        "title": survey.title,
        "status": survey.status.value,
        "statements": list(survey.statements),
        "created_at": when(survey.created_at),
        "opened_at": when(survey.opened_at),
        "closes_at": when(survey.closes_at),
        "closed_at": when(survey.closed_at),
        "translations": survey.translations.as_json(),
        "statement_translations": [t.as_json() for t in survey.statement_translations],
    }
    if invited is not None:
        data |= {"invited": invited, "answered": answered}
    return data


@app.command("create")
def create(
    panel: Annotated[str, typer.Option("--panel", help="Panel id or name.")],
    title: Annotated[str, typer.Option("--title", help="The survey's title, as members see it.")],
    statement: Annotated[
        list[str] | None, typer.Option("--statement", help="A statement on the 4-point agreement scale; repeatable.")
    ] = None,
    actor: AsOption = None,
    as_json: JsonOption = False,
    title_sv: TitleSv = None,
    title_en: TitleEn = None,
    statement_sv: StatementSv = None,
    statement_en: StatementEn = None,
) -> None:
    """Create a survey (a draft). The 1–10 recommendation and a free-text question are always included.

    --title-sv/--title-en and --statement-sv/--statement-en (in the order of --statement) translate it.
    """
    with options_named({"title": "--title", "statement": "--statement"}):
        survey = surveys.create_survey(
            surveys.CreateSurvey(
                panel=panel,
                title=title,
                statements=tuple(statement or ()),
                actor=actor,
                translations=texts(title=(title_sv, title_en), statement=(statement_sv, statement_en)),
            ),
            uow=context.uow(),
            clock=context.clock(),
        )
    if as_json:
        print_json(survey_json(survey))
    else:
        say(f"Created survey {survey.id} ({len(survey.statements)} statements) as a draft.")
        say(f"Open it with: raati survey open {survey.id}")


@app.command("add-statement")
def add_statement(
    survey_id: IdArgument,
    statement: Annotated[list[str], typer.Option("--statement", help="A statement; repeatable.")],
    actor: AsOption = None,
    as_json: JsonOption = False,
    statement_sv: StatementSv = None,
    statement_en: StatementEn = None,
) -> None:
    """Add statements to a draft survey (--statement-sv and --statement-en translate them, in order)."""
    with options_named({"statement": "--statement"}):
        survey = surveys.add_statements(
            survey_id,
            statement,
            uow=context.uow(),
            clock=context.clock(),
            actor=actor,
            translations=texts(statement=(statement_sv, statement_en)),
        )
    if as_json:
        print_json(survey_json(survey))
    else:
        say(f"Survey {survey.id} now has {len(survey.statements)} statements.")


@app.command("open")
def open_(
    survey_id: IdArgument,
    closes: Annotated[
        str | None, typer.Option("--closes", help="Closing date (end of day) or moment; default in 14 days.")
    ] = None,
    actor: AsOption = None,
    as_json: JsonOption = False,
) -> None:
    """Open the survey: every active member gets a one-time link by email (queued in the outbox)."""
    run = surveys.open_survey(
        surveys.OpenSurvey(survey_id, closes_at=parse_closing(closes) if closes else None, actor=actor),
        uow=context.uow(),
        clock=context.clock(),
        base_url=context.delivery_settings().base_url,
    )
    if as_json:
        print_json({"survey_id": run.survey_id, "invited": run.mailed, "queued": run.queued})
    else:
        say(f"Opened survey {run.survey_id}: {run.mailed} members invited, {run.queued} emails queued.")


@app.command("remind")
def remind(
    survey_id: IdArgument,
    every_days: Annotated[int, typer.Option("--every-days", help="Length of a reminder round.", min=1)] = 7,
    as_json: JsonOption = False,
) -> None:
    """Remind members who have not answered; at most once per round (default a week), so safe to repeat."""
    run = surveys.remind_survey(
        survey_id,
        uow=context.uow(),
        clock=context.clock(),
        base_url=context.delivery_settings().base_url,
        every_days=every_days,
    )
    if as_json:
        print_json({"survey_id": run.survey_id, "round": run.round, "reminded": run.mailed, "queued": run.queued})
    elif run.round == 0:
        say(f"No reminders yet: the first round starts {every_days} days after the survey opened.")
    else:
        say(f"Reminder round {run.round}: {run.mailed} members reminded, {run.queued} emails queued.")


@app.command("close")
def close(survey_id: IdArgument, actor: AsOption = None, as_json: JsonOption = False) -> None:
    """Close the survey: its links stop working."""
    survey = surveys.close_survey(survey_id, uow=context.uow(), clock=context.clock(), actor=actor)
    if as_json:
        print_json(survey_json(survey))
    else:
        say(f"Closed survey {survey.id}.")


@app.command("list")
def list_(
    panel: Annotated[str | None, typer.Option("--panel", help="Only this panel's surveys.")] = None,
    as_json: JsonOption = False,
) -> None:
    """List surveys with how many were invited and how many answered."""
    found = surveys.list_surveys(panel, uow=context.uow())
    if as_json:
        print_json([survey_json(f.survey, invited=f.invited, answered=f.answered) for f in found])
        return
    table(
        "Surveys",
        ["id", "panel", "title", "status", "closes (Helsinki)", "invited", "answered"],
        [
            [
                f.survey.id,
                f.survey.panel_id,
                f.survey.title,
                f.survey.status.value,
                local(f.survey.closes_at) if f.survey.closes_at else "",
                f.invited,
                f.answered,
            ]
            for f in found
        ],
    )


@app.command("report")
def report(
    survey_id: IdArgument,
    as_json: JsonOption = False,
    csv_file: Annotated[
        Path | None, typer.Option("--csv", metavar="FILE", help="Also write the report as CSV.")
    ] = None,
    chart: Annotated[
        Path | None,
        typer.Option(
            "--chart",
            metavar="FILE.svg",
            # Escaped: Typer reads help as Rich markup, where a bare [charts] is a style tag and vanishes.
            help="Also draw the report as an SVG chart (FILE.png: a PNG, needs pip install 'raati\\[charts]').",
        ),
    ] = None,
    language: Annotated[str, typer.Option("--language", help="fi, sv or en (text and chart).")] = "en",
) -> None:
    """The report: each statement's shares (adding up to 100 %), the recommendation bands and NPS; n shown,
    groups under 5 answers suppressed."""
    if language not in ("fi", "sv", "en"):
        raise InvalidValue("language", f"{language!r} is not one of fi, sv, en")
    if chart is not None and (problem := chart_problem(chart)):
        raise InvalidValue("chart", problem)
    for field, path in (("csv", csv_file), ("chart", chart)):
        if path is not None and not path.parent.is_dir():
            raise InvalidValue(field, f"the folder {str(path.parent)!r} does not exist")
        if path is not None and path.is_dir():
            raise InvalidValue(field, f"{str(path)!r} is a folder; give a file name")
    result = surveys.survey_report(survey_id, uow=context.uow())
    try:
        if csv_file is not None:
            write_csv(result, csv_file)
        if chart is not None:
            write_chart(result, chart, language=language)
    except OSError as error:
        field = "csv" if csv_file is not None and error.filename == str(csv_file) else "chart"
        raise InvalidValue(field, f"cannot write {error.filename!r}: {error.strerror}") from None
    if as_json:
        print_json(result.as_dict())
        return
    typer.echo(report_text(result, language=language), nl=False)
    for label, path in (("CSV", csv_file), ("Chart", chart)):
        if path is not None:
            say(f"{label}: {path}")


def say_survey_demo(survey_id: int) -> None:
    """What ``raati demo`` shows of its closed survey: the report, and where its chart and CSV are."""
    result = surveys.survey_report(survey_id, uow=context.uow())
    folder = context.delivery_settings().data_dir
    folder.mkdir(parents=True, exist_ok=True)
    chart, csv_file = folder / f"survey-{survey_id}.svg", folder / f"survey-{survey_id}.csv"
    write_chart(result, chart, language="fi")
    write_csv(result, csv_file)
    say(f"Evaluation survey {survey_id}, closed (report in Finnish; --language sv|en for the others):")
    typer.echo(report_text(result, language="fi"))
    say(f"Chart: {chart}\nCSV:   {csv_file}\nAgain: raati survey report {survey_id} [--json] [--chart FILE.svg]\n")
