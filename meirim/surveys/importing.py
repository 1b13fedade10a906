"""A KoBoToolbox / ODK Central CSV export → answers, checked row by row (all or nothing).

Columns are named by question (``q``), possibly behind KoBo's group prefixes (``group/q``);
a select_multiple answer is either its codes separated by spaces or KoBo's split columns
``q/code`` holding 1/0 (or True/False). Metadata columns (``_id``, ``_uuid``,
``_submission_time``, ``start``, ``end``, ``deviceid``, ``meta/instanceID``…) are ignored and
never stored.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from meirim.common.tabular import msg_file_too_large
from meirim.surveys import answers as answering

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20000
META_COLUMNS = {
    "start", "end", "today", "deviceid", "username", "simserial", "subscriberid",
    "phonenumber", "audit", "instanceid", "instancename", "formhub/uuid", "__version__",
}  # fmt: skip
_TRUE = {"1", "true", "yes"}
_FALSE = {"0", "false", "no", ""}


@dataclass(frozen=True)
class CellProblem:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return _("Row %(row)s, column “%(column)s”: %(message)s") % {
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


class ImportRefused(Exception):
    def __init__(self, problems: list[CellProblem]) -> None:
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


def _is_meta(column: str) -> bool:
    lowered = column.strip().lower()
    last = lowered.rsplit("/", 1)[-1]
    return (
        not lowered
        or lowered.startswith("_")
        or last.startswith("_")
        or lowered.startswith("meta/")
        or lowered in META_COLUMNS
        or last in META_COLUMNS
    )


def _decode(content: bytes) -> str:
    # Excel's "Unicode text" is UTF-16 with a byte order mark.
    utf16 = content.startswith((b"\xff\xfe", b"\xfe\xff"))
    for encoding in ("utf-16",) if utf16 else ("utf-8-sig", "cp1251"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportRefused([CellProblem(1, "", _("The file is not a UTF-8 CSV file."))])


def _columns(
    definition: dict[str, Any], header: list[str]
) -> tuple[dict[int, tuple[str, str | None]], list[CellProblem]]:
    """Column index → (question, choice code for a split column or None)."""
    asked = {q["name"]: q for q in answering.asked(definition)}
    mapping: dict[int, tuple[str, str | None]] = {}
    problems = []
    for index, column in enumerate(header):
        if _is_meta(column):
            continue
        parts = [part for part in column.strip().split("/") if part]
        target: tuple[str, str | None] | None = None
        if parts and parts[-1] in asked:
            target = (parts[-1], None)
        elif len(parts) >= 2 and parts[-2] in asked:
            item = asked[parts[-2]]
            if item["type"] == "select_multiple" and parts[-1] in answering.choice_codes(item):
                target = (parts[-2], parts[-1])
        if target is None:
            problems.append(CellProblem(1, column, _("No question of the survey has this name.")))
        elif target in mapping.values():
            problems.append(CellProblem(1, column, _("this column appears more than once")))
        else:
            mapping[index] = target
    return mapping, problems


def _rows(text: str, delimiter: str) -> list[list[str]]:
    """The records of the CSV text; a record it cannot read is refused by its row."""
    rows: list[list[str]] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        for cells in reader:
            rows.append(cells)
    except csv.Error as error:
        if "field larger" in str(error):
            message = _("a cell is longer than %(count)s characters") % {
                "count": csv.field_size_limit()
            }
        elif "end of data" in str(error):
            message = _("a quotation mark opened here is never closed")
        else:
            message = _(
                "a quoted text must end with a quotation mark followed by the separator; "
                'write a quotation mark inside a text as two ("")'
            )
        raise ImportRefused([CellProblem(len(rows) + 1, "", message)]) from None
    nul = _(
        "the text contains a NUL character; the file may be saved as UTF-16: "
        "save it as 'CSV UTF-8' and try again"
    )
    header = rows[0] if rows else []
    problems = [
        CellProblem(number, header[index] if index < len(header) else "", nul)
        for number, cells in enumerate(rows, start=1)
        for index, cell in enumerate(cells)
        if "\x00" in cell
    ]
    if problems:
        raise ImportRefused(problems[:100])
    return rows


def parse_csv(definition: dict[str, Any], content: bytes) -> list[dict[str, Any]]:
    """Every row's clean answers, or :class:`ImportRefused` listing every problem."""
    if not content:
        raise ImportRefused([CellProblem(1, "", _("The file is empty."))])
    if len(content) > MAX_BYTES:
        raise ImportRefused([CellProblem(1, "", msg_file_too_large(MAX_BYTES))])
    text = _decode(content)
    first = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first.count)
    rows = _rows(text, delimiter)
    if not rows:
        raise ImportRefused([CellProblem(1, "", _("The file is empty."))])
    header, body = rows[0], rows[1:]
    mapping, problems = _columns(definition, header)
    if problems:
        raise ImportRefused(problems)
    if len(body) > MAX_ROWS:
        raise ImportRefused(
            [CellProblem(1, "", _("The file has more than %(count)s rows.") % {"count": MAX_ROWS})]
        )
    result: list[dict[str, Any]] = []
    for number, values in enumerate(body, start=2):
        if not any(value.strip() for value in values):
            continue
        raw: dict[str, Any] = {}
        split: dict[str, list[str]] = {}
        where: dict[str, str] = {}
        for index, (name, code) in mapping.items():
            value = values[index].strip() if index < len(values) else ""
            if code is None:
                raw[name] = value
                where[name] = header[index]
                continue
            chosen = split.setdefault(name, [])
            where.setdefault(name, header[index])
            if value.lower() in _TRUE:
                chosen.append(code)
            elif value.lower() not in _FALSE:
                problems.append(
                    CellProblem(number, header[index], _("Write 1 or 0 in a choice column."))
                )
        for name, chosen in split.items():
            # The whole column, when filled, wins over KoBo's split columns.
            if not raw.get(name):
                raw[name] = chosen
        clean, row_problems = answering.clean_all(definition, raw)
        problems += [
            CellProblem(number, where.get(p.question, p.question), p.message) for p in row_problems
        ]
        if clean:
            result.append(clean)
    if problems:
        raise ImportRefused(problems)
    if not result:
        raise ImportRefused([CellProblem(2, "", _("The file holds no answers."))])
    return result
