"""The API's body schemas state the domain's rules for texts (web.api.schemas): whatever the schema lets through,
the domain accepts, so a request the OpenAPI document calls valid is not refused for its texts."""

from __future__ import annotations

import re
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import TypeAdapter, ValidationError

from domain.errors import InvalidValue
from domain.ideas import REQUIRED_TEXT, IdeaState
from domain.values import MAX_TEXT, MAX_TITLE, bounded_text, single_line
from web.api.schemas import SPACE, RequiredText, Text, Title, TransitionIn

# Whitespace of every kind, line breaks, NUL and ordinary letters, so that the edges come up often.
EDGES = st.sampled_from(list(" \t\n\r\x0b\x0c\x1c\x1f\x85\xa0\u1680\u2000\u2028\u202f\u3000\x00aÄ"))
TEXTS = st.text(alphabet=EDGES | st.characters(codec="utf-8"), max_size=30) | st.text(EDGES, min_size=190, max_size=210)


def accepts(adapter: TypeAdapter, value: str) -> bool:
    try:
        adapter.validate_python(value)
    except ValidationError:
        return False
    return True


def domain_accepts(check, value: str) -> bool:
    try:
        check(value)
    except InvalidValue:
        return False
    return True


def test_the_space_class_is_what_str_strip_removes() -> None:
    space = re.compile(f"[{SPACE}]")
    everything = (chr(code) for code in range(sys.maxunicode + 1))
    assert [c for c in everything if bool(space.fullmatch(c)) != c.isspace()] == []


@given(TEXTS)
def test_a_title_the_schema_accepts_the_domain_accepts(value: str) -> None:
    if accepts(TypeAdapter(Title), value):
        assert domain_accepts(lambda v: single_line(v, field="title", maximum=MAX_TITLE), value), repr(value)


@given(TEXTS)
def test_a_required_text_the_schema_accepts_the_domain_accepts(value: str) -> None:
    if accepts(TypeAdapter(RequiredText), value):
        assert domain_accepts(lambda v: bounded_text(v, field="text", maximum=MAX_TEXT), value), repr(value)
    if accepts(TypeAdapter(Text), value):
        assert domain_accepts(lambda v: bounded_text(v, field="text", required=False), value), repr(value)


@pytest.mark.parametrize("value", ["", " ", "\u3000\x1c", "kaksi\nriviä", "nul\x00", "x" * (MAX_TITLE + 1)])
def test_titles_the_domain_refuses_are_refused_by_the_schema(value: str) -> None:
    assert not accepts(TypeAdapter(Title), value)


@pytest.mark.parametrize("to", list(REQUIRED_TEXT))
@pytest.mark.parametrize("note", [None, "", " \n\u00a0"])
def test_a_closing_move_without_a_note_is_refused_with_the_domains_reason(to: IdeaState, note: str | None) -> None:
    with pytest.raises(ValidationError) as refused:
        TransitionIn.model_validate({"to": to.value, "note": note, "expected_version": 1})
    [error] = refused.value.errors()
    assert (error["loc"], error["msg"]) == (("note",), REQUIRED_TEXT[to])
    assert TransitionIn.model_validate({"to": to.value, "note": " Syy. ", "expected_version": 1}).note == " Syy. "
    assert TransitionIn.model_validate({"to": "in_progress", "expected_version": 1}).note is None


def test_the_document_states_the_closing_rule() -> None:
    schema = TransitionIn.model_json_schema()
    assert schema["if"]["properties"]["to"]["enum"] == [state.value for state in REQUIRED_TEXT]
    assert schema["then"]["required"] == ["note"]
    assert schema["then"]["properties"]["note"] == TypeAdapter(RequiredText).json_schema()
