"""The ``-sv`` and ``-en`` siblings of every option that takes a text members read (issue 13).

``raati idea raise --title T --title-sv T --title-en T``: each command declares the siblings it takes (the
aliases below), gathers them with ``texts(title=(title_sv, title_en))`` into the command's ``translations``, and
runs the use case inside ``options_named({"title": "--title"})``, so that a refused translation names its option
(``--title-sv: …``, exit 2) rather than the API's field (``translations.sv.title``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Annotated, Any

import typer

from domain.errors import HealthDetailsNeedAcknowledgement, InvalidValue, PrivacyBlocked
from domain.translations import given


def _one(option: str, language: str, what: str) -> Any:
    return typer.Option(option, help=f"{what} in {language}.", show_default=False)


def _many(option: str, language: str, what: str) -> Any:
    return typer.Option(option, help=f"{what} in {language}, by position; repeatable.", show_default=False)


Text = str | None
Texts = list[str] | None

NameSv = Annotated[Text, _one("--name-sv", "Swedish", "The name")]
NameEn = Annotated[Text, _one("--name-en", "English", "The name")]
TitleSv = Annotated[Text, _one("--title-sv", "Swedish", "The title")]
TitleEn = Annotated[Text, _one("--title-en", "English", "The title")]
TextSv = Annotated[Text, _one("--text-sv", "Swedish", "The text")]
TextEn = Annotated[Text, _one("--text-en", "English", "The text")]
NoteSv = Annotated[Text, _one("--note-sv", "Swedish", "The note")]
NoteEn = Annotated[Text, _one("--note-en", "English", "The note")]
PlaceSv = Annotated[Text, _one("--place-sv", "Swedish", "The place")]
PlaceEn = Annotated[Text, _one("--place-en", "English", "The place")]
TaskSv = Annotated[Texts, _many("--task-sv", "Swedish", "Each task")]
TaskEn = Annotated[Texts, _many("--task-en", "English", "Each task")]
AgendaSv = Annotated[Texts, _many("--agenda-sv", "Swedish", "Each agenda item")]
AgendaEn = Annotated[Texts, _many("--agenda-en", "English", "Each agenda item")]
MaterialSv = Annotated[Texts, _many("--material-sv", "Swedish", "Each material's title")]
MaterialEn = Annotated[Texts, _many("--material-en", "English", "Each material's title")]
NextStepSv = Annotated[Texts, _many("--next-step-sv", "Swedish", "Each next step")]
NextStepEn = Annotated[Texts, _many("--next-step-en", "English", "Each next step")]
StatementSv = Annotated[Texts, _many("--statement-sv", "Swedish", "Each statement")]
StatementEn = Annotated[Texts, _many("--statement-en", "English", "Each statement")]


def texts(**fields: tuple[Any, Any]) -> dict[str, Any] | None:
    """The command's ``translations`` from each field's (Swedish, English) options; None when none was given."""
    found = given(**fields)
    return found or None


_TRANSLATION = re.compile(r"^translations\.(sv|en)\.([a-z_]+)(\[\d+\])?$")


def option_for(field: str, options: Mapping[str, str]) -> str:
    """``translations.sv.note`` → ``--note-sv`` (``options`` maps a field to its Finnish option); else the field."""
    match = _TRANSLATION.match(field)
    if match is None or match.group(2) not in options:
        return field
    language, name, item = match.groups()
    return f"{options[name]}-{language}" + (f" (the {int(item[1:-1]) + 1}. one)" if item else "")


@contextmanager
def options_named(options: Mapping[str, str]) -> Iterator[None]:
    """Re-raise a refused translation (bad value or privacy finding) naming the command-line option."""
    try:
        yield
    except InvalidValue as error:
        option = option_for(error.field, options)
        if option == error.field:
            raise
        raise InvalidValue(option, error.reason) from None
    except (PrivacyBlocked, HealthDetailsNeedAcknowledgement) as error:
        option = option_for(error.field, options)
        if option == error.field:
            raise
        raise type(error)(option, error.findings) from None
