"""A tiny iCalendar reader for the tests: CRLF lines, unfolding, property split and TEXT unescaping."""

from __future__ import annotations


def physical_lines(text: str) -> list[str]:
    assert text.endswith("\r\n")
    body = text[: -len("\r\n")]
    assert "\n" not in body.replace("\r\n", "")
    assert "\r" not in body.replace("\r\n", "")
    return body.split("\r\n")


def unfold(text: str) -> list[str]:
    """Content lines: a physical line starting with a space continues the one before (RFC 5545 3.1)."""
    lines: list[str] = []
    for line in physical_lines(text):
        if line.startswith(" "):
            lines[-1] += line[1:]
        else:
            lines.append(line)
    return lines


def unescape(value: str) -> str:
    out, chars = [], iter(value)
    for ch in chars:
        if ch == "\\":
            nxt = next(chars)
            out.append("\n" if nxt in "nN" else nxt)
        else:
            out.append(ch)
    return "".join(out)


def properties(text: str) -> list[tuple[str, str]]:
    """(name, raw value) of each content line; no parameters are used, so the first colon splits."""
    return [tuple(line.split(":", 1)) for line in unfold(text)]  # type: ignore[misc]


def event(text: str) -> dict[str, str]:
    props = properties(text)
    begin, end = props.index(("BEGIN", "VEVENT")), props.index(("END", "VEVENT"))
    found = dict(props[begin + 1 : end])
    assert len(found) == end - begin - 1, "a property appears twice in the VEVENT"
    return found
