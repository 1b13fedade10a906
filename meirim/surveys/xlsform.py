"""An uploaded XLSForm (.xlsx) → the survey's definition (``Survey.definition``).

The file is checked twice: first by this module, which reads the sheets itself to refuse,
in the reader's language and by sheet, row and column, what the platform cannot ask (a type
other than select_one, select_multiple, integer, text, note; a ``relevant`` or ``constraint``
outside the supported XPath subset); then by pyxform, which builds the form as ODK would and
refuses what ODK would (its message is kept, framed by the sheet, row and column it names).

The definition (schema 1)::

    {"schema": 1, "title": str, "form_id": str, "languages": ["kk", "ru", ...],
     "default_language": "ru" | "default",
     "questions": [{"name", "type": "select_one|select_multiple|integer|text|note",
                    "label": {lang: str}, "hint": {lang: str}, "required": bool,
                    "relevant": str, "constraint": str, "constraint_message": {lang: str},
                    "choices": [{"name", "label": {lang: str}}], "group": str}],
     "period": {"question": name, "before": code, "after": code} | null}

Groups are flattened: a question in a group carries the group's name and its relevance
joined to the group's. ``lang`` is the code in the column's brackets (``label::Kazakh (kk)``
→ ``kk``), or ``default`` for a plain ``label``.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from typing import Any

import openpyxl
from django.utils.translation import gettext as _
from pyxform.builder import create_survey_element_from_dict
from pyxform.errors import PyXFormError
from pyxform.xls2json import workbook_to_json
from pyxform.xls2json_backends import get_xlsform

from meirim.common.tabular import msg_file_too_large
from meirim.surveys import expressions

SCHEMA = 1
MAX_BYTES = 2 * 1024 * 1024
SUPPORTED = ("select_one", "select_multiple", "integer", "text", "note")
# Rows that only structure the form, and ODK's metadata the platform never records.
STRUCTURE = {"begin_group", "end_group", "begin group", "end group"}
IGNORED_META = {"start", "end", "today", "deviceid", "username", "audit", "phonenumber"}
# pyxform's names for the supported types.
_PYXFORM_TYPES = {
    "select one": "select_one",
    "select all that apply": "select_multiple",
    "integer": "integer",
    "text": "text",
    "note": "note",
}
PERIOD_QUESTION = "period"
PERIOD_CODES = ("before", "after")


@dataclass(frozen=True)
class Problem:
    sheet: str
    row: int | None
    column: str
    message: str

    def __str__(self) -> str:
        where = []
        if self.sheet:
            where.append(_("sheet “%(sheet)s”") % {"sheet": self.sheet})
        if self.row:
            where.append(_("row %(row)s") % {"row": self.row})
        if self.column:
            where.append(_("column “%(column)s”") % {"column": self.column})
        return f"{', '.join(where)}: {self.message}" if where else self.message


class XLSFormRejected(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


def language_code(name: str) -> str:
    """``Kazakh (kk)`` → ``kk``; a name without brackets is kept, lower-cased."""
    match = re.search(r"\(([A-Za-z\-]+)\)\s*$", name)
    return (match.group(1) if match else name.strip() or "default").lower()


def _texts(value: Any) -> dict[str, str]:
    if value is None:
        return {}
    if isinstance(value, dict):
        return {language_code(lang): str(text) for lang, text in value.items()}
    return {"default": str(value)}


def _cell(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _sheet_rows(book: Any, name: str) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """The header (lower-cased) and the non-empty rows with their sheet row numbers."""
    sheet = next((s for s in book.worksheets if s.title.strip().lower() == name), None)
    if sheet is None:
        return [], []
    rows = sheet.iter_rows(values_only=True)
    header = [_cell(value).lower() for value in next(rows, ())]
    found = []
    for number, values in enumerate(rows, start=2):
        row = {header[i]: _cell(v) for i, v in enumerate(values) if i < len(header) and header[i]}
        if any(row.values()):
            found.append((number, row))
    return header, found


def _precheck(content: bytes) -> None:
    """Our own checks, translated, before pyxform sees the file."""
    try:
        book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        # The sheets are read as they are walked: a damaged sheet fails here too.
        header, rows = _sheet_rows(book, "survey")
        _choice_header, choice_rows = _sheet_rows(book, "choices")
    except Exception as error:  # openpyxl raises many types for a damaged file
        raise XLSFormRejected(
            [Problem("", None, "", _("The file is not an .xlsx workbook (%(error)s).") % {
                "error": type(error).__name__})]
        ) from None  # fmt: skip
    if not header:
        raise XLSFormRejected([Problem("survey", None, "", _("The file has no “survey” sheet."))])
    problems: list[Problem] = []
    for column in ("type", "name"):
        if column not in header:
            problems.append(Problem("survey", 1, column, _("This column is missing.")))
    if problems:
        raise XLSFormRejected(problems)
    lists = {row.get("list_name", "") for _number, row in choice_rows}
    for number, row in rows:
        kind = re.sub(r"\s+", " ", row.get("type", "")).strip()
        base, _space, rest = kind.partition(" ")
        if not kind or kind in STRUCTURE or kind in IGNORED_META:
            pass
        elif base not in SUPPORTED:
            problems.append(
                Problem("survey", number, "type", _(
                    "The type “%(type)s” is not supported here; use one of: %(supported)s."
                ) % {"type": kind, "supported": ", ".join(SUPPORTED)})
            )  # fmt: skip
        elif base in ("select_one", "select_multiple"):
            list_name = rest.strip().split(" ")[0] if rest.strip() else ""
            if not list_name:
                problems.append(
                    Problem("survey", number, "type", _("Name the list of choices after the type."))
                )
            elif " or_other" in f" {rest}":
                problems.append(
                    Problem("survey", number, "type", _("“or_other” is not supported."))
                )
            elif list_name not in lists:
                problems.append(
                    Problem("survey", number, "type", _(
                        "The list of choices “%(list)s” is not on the “choices” sheet."
                    ) % {"list": list_name})
                )  # fmt: skip
        for column in ("relevant", "constraint"):
            text = row.get(column, "")
            if text:
                try:
                    expressions.parse(text)
                except expressions.ExpressionError:
                    problems.append(
                        Problem("survey", number, column, _(
                            "“%(expression)s” is not an expression this platform can evaluate "
                            "(use ${question}, = != < > <= >=, and, or, not(), selected(), "
                            "count-selected(), numbers and quoted text)."
                        ) % {"expression": text})
                    )  # fmt: skip
    if problems:
        raise XLSFormRejected(problems)


_ROW = re.compile(r"\[row\s*:\s*(\d+)\]")
_SHEET = re.compile(r"On the '([^']+)' sheet")
_COLUMN = re.compile(r"the '([^']+)' value")


def _pyxform_problem(error: PyXFormError) -> Problem:
    message = str(error)
    context = getattr(error, "context", None) or {}
    row = context.get("row")
    if row is None and (match := _ROW.search(message)):
        row = int(match.group(1))
    sheet = context.get("sheet") or ((m := _SHEET.search(message)) and m.group(1)) or ""
    column = context.get("column") or ((m := _COLUMN.search(message)) and m.group(1)) or ""
    if row and not sheet:
        sheet = "survey"
    text = _ROW.sub("", message).strip()
    return Problem(str(sheet), int(row) if row else None, str(column), text)


def _flatten(
    children: list[dict[str, Any]], questions: list[dict[str, Any]], relevant: str, group: str
) -> None:
    for child in children:
        kind = child.get("type", "")
        bind = child.get("bind") or {}
        own = str(bind.get("relevant", "") or "").strip()
        joined = f"({relevant}) and ({own})" if relevant and own else (relevant or own)
        if kind == "group":
            if child.get("name") == "meta":
                continue
            _flatten(child.get("children", []), questions, joined, child.get("name", ""))
            continue
        if kind not in _PYXFORM_TYPES:
            continue  # metadata (start, end…): never recorded
        questions.append(
            {
                "name": child["name"],
                "type": _PYXFORM_TYPES[kind],
                "label": _texts(child.get("label")),
                "hint": _texts(child.get("hint")),
                "required": str(bind.get("required", "")).strip().lower()
                in ("yes", "true", "true()", "1"),
                "relevant": joined,
                "constraint": str(bind.get("constraint", "") or "").strip(),
                "constraint_message": _texts(bind.get("jr:constraintMsg")),
                "choices": [
                    {"name": str(choice["name"]), "label": _texts(choice.get("label"))}
                    for choice in child.get("choices", [])
                ],
                "group": group,
            }
        )


def _raw_texts(row: dict[str, Any], column: str) -> dict[str, str]:
    """A row's texts of ``column`` in every language, read from the sheet itself (pyxform
    keeps only the plain column when both a plain and translated ones are present)."""
    texts: dict[str, str] = {}
    for key, value in row.items():
        head, _sep, lang = str(key).partition("::")
        if head.strip().lower() == column and _cell(value):
            texts[language_code(lang) if lang.strip() else "default"] = _cell(value)
    return texts


def _merge_sheet_texts(workbook: Any, questions: list[dict[str, Any]]) -> None:
    rows = {_cell(row.get("name")): row for row in (workbook.survey or [])}
    choices: dict[tuple[str, str], dict[str, Any]] = {
        (_cell(row.get("list_name")), _cell(row.get("name"))): row
        for row in (workbook.choices or [])
    }
    for question in questions:
        row = rows.get(question["name"])
        if row is None:
            continue
        for column in ("label", "hint"):
            question[column] = {**question[column], **_raw_texts(row, column)}
        question["constraint_message"] = {
            **question["constraint_message"],
            **_raw_texts(row, "constraint_message"),
        }
        list_name = re.sub(r"\s+", " ", _cell(row.get("type"))).partition(" ")[2].split(" ")[0]
        for choice in question["choices"]:
            source = choices.get((list_name, choice["name"]))
            if source is not None:
                choice["label"] = {**choice["label"], **_raw_texts(source, "label")}


def _period(questions: list[dict[str, Any]]) -> dict[str, str] | None:
    for question in questions:
        codes = [choice["name"] for choice in question["choices"]]
        if (
            question["name"] == PERIOD_QUESTION
            and question["type"] == "select_one"
            and all(code in codes for code in PERIOD_CODES)
        ):
            return {"question": question["name"], "before": "before", "after": "after"}
    return None


def parse_xlsform(content: bytes) -> dict[str, Any]:
    """The definition of an XLSForm file's bytes, or :class:`XLSFormRejected`."""
    if len(content) > MAX_BYTES:
        raise XLSFormRejected([Problem("", None, "", msg_file_too_large(MAX_BYTES))])
    if not content:
        raise XLSFormRejected([Problem("", None, "", _("The file is empty."))])
    _precheck(content)
    try:
        workbook = get_xlsform(content, file_type=".xlsx")
        data = workbook_to_json(
            workbook_dict=workbook, fallback_form_name=workbook.fallback_form_name, warnings=[]
        )
        create_survey_element_from_dict(data).to_xml(validate=False, warnings=[])
    except PyXFormError as error:
        raise XLSFormRejected([_pyxform_problem(error)]) from None
    except Exception as error:  # a file pyxform cannot read at all
        raise XLSFormRejected(
            [Problem("", None, "", _("The file could not be read as an XLSForm (%(error)s).") % {
                "error": type(error).__name__})]
        ) from None  # fmt: skip
    questions: list[dict[str, Any]] = []
    _flatten(data.get("children", []), questions, "", "")
    _merge_sheet_texts(workbook, questions)
    if not any(q["type"] != "note" for q in questions):
        raise XLSFormRejected([Problem("survey", None, "", _("The survey asks no question."))])
    languages: list[str] = []
    for question in questions:
        for lang in question["label"]:
            if lang not in languages:
                languages.append(lang)
    default = data.get("default_language") or "default"
    title = data.get("title") or data.get("id_string") or ""
    return {
        "schema": SCHEMA,
        "title": str(title) if title != "data" else "",
        "form_id": str(data.get("id_string") or ""),
        "languages": languages,
        "default_language": language_code(default) if default != "default" else "default",
        "questions": questions,
        "period": _period(questions),
    }
