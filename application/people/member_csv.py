"""A member list as CSV (``name,email[,language][,greeting_name]``) read into rows, each with its line: the one
parser ``raati member import`` and the members page's upload share."""

from __future__ import annotations

import csv
import io

from application.commands import MemberRow
from domain.errors import InvalidValue

# An uploaded member list is at most this large (thousands of members); a larger one is refused, naming the file.
MAX_CSV_BYTES = 256 * 1024


def member_rows(text: str) -> tuple[MemberRow, ...]:
    """The rows of a member list; ``InvalidValue("file", …)`` when its header lacks name or email, or it is no CSV."""
    try:
        reader = csv.DictReader(io.StringIO(text.removeprefix("\ufeff"), newline=""))
        columns = {c.strip().lower() for c in reader.fieldnames or []}
        if not {"name", "email"} <= columns:
            found = ", ".join(reader.fieldnames or []) or "nothing"
            raise InvalidValue("file", f"the header must name the columns name,email[,language]; found {found}")
        rows = []
        for record in reader:
            values = {(k or "").strip().lower(): (v or "").strip() for k, v in record.items() if k is not None}
            rows.append(
                MemberRow(
                    line=reader.line_num,
                    name=values.get("name", ""),
                    email=values.get("email", ""),
                    language=values.get("language") or None,
                    greeting_name=values.get("greeting_name") or None,
                )
            )
        return tuple(rows)
    except csv.Error as error:
        raise InvalidValue("file", f"cannot be read as CSV: {error}") from None


def member_rows_from_bytes(data: bytes) -> tuple[MemberRow, ...]:
    """An uploaded file's rows: UTF-8 text (with or without a byte-order mark) of at most ``MAX_CSV_BYTES``."""
    if len(data) > MAX_CSV_BYTES:
        raise InvalidValue("file", f"is larger than {MAX_CSV_BYTES // 1024} KiB")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidValue("file", "is not UTF-8 text") from None
    return member_rows(text)
