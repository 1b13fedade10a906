"""Reading a definition: texts in the reader's language, relevance, and checking answers
(one question on the answer page, a whole set from the API or an imported row)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from meirim.surveys import expressions

TEXT_MAX = 2000


def text_in(texts: Mapping[str, str], definition: Mapping[str, Any], lang: str = "") -> str:
    """A label/hint in ``lang`` (default: the active language), else the form's default
    language, else a plain column, else any."""
    if not texts:
        return ""
    lang = (lang or get_language() or "").split("-")[0]
    for key in (lang, definition.get("default_language", ""), "default", "en"):
        if key and texts.get(key):
            return texts[key]
    return next(iter(texts.values()), "")


def questions(definition: Mapping[str, Any]) -> list[dict[str, Any]]:
    return list(definition.get("questions", []))


def asked(definition: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The questions that take an answer (not notes)."""
    return [q for q in questions(definition) if q["type"] != "note"]


def question(definition: Mapping[str, Any], name: str) -> dict[str, Any] | None:
    return next((q for q in questions(definition) if q["name"] == name), None)


def is_relevant(item: Mapping[str, Any], answers: Mapping[str, Any]) -> bool:
    return expressions.holds(item.get("relevant", ""), answers)


def choice_codes(item: Mapping[str, Any]) -> list[str]:
    return [choice["name"] for choice in item.get("choices", [])]


def is_empty(value: Any) -> bool:
    return value is None or value == "" or value == []


@dataclass(frozen=True)
class AnswerProblem:
    question: str
    message: str


def clean_one(item: Mapping[str, Any], raw: Any, answers: Mapping[str, Any]) -> Any:
    """One answer in its stored form (str, list of codes, int) or ValueError with a
    translated sentence. ``raw`` may be a string (form, CSV) or JSON."""
    kind = item["type"]
    if isinstance(raw, str):
        raw = raw.strip()
    if kind == "select_multiple" and isinstance(raw, str):
        raw = raw.split()
    if is_empty(raw):
        if item.get("required"):
            raise ValueError(_("An answer is needed."))
        return None
    if kind == "integer":
        if isinstance(raw, bool):
            raise ValueError(_("Write a whole number."))
        try:
            value: Any = int(str(raw).strip())
        except ValueError:
            raise ValueError(_("Write a whole number.")) from None
    elif kind == "select_one":
        value = str(raw)
        if value not in choice_codes(item):
            raise ValueError(_("“%(value)s” is not one of the choices.") % {"value": value})
    elif kind == "select_multiple":
        if not isinstance(raw, list | tuple):
            raise ValueError(_("Give a list of choices."))
        value = [str(code) for code in raw]
        unknown = [code for code in value if code not in choice_codes(item)]
        if unknown:
            raise ValueError(
                _("“%(value)s” is not one of the choices.") % {"value": " ".join(unknown)}
            )
        value = [code for code in choice_codes(item) if code in value]  # the form's order
    elif kind == "text":
        if not isinstance(raw, str | int | float):
            raise ValueError(_("Write the answer as text."))
        value = str(raw)
        if len(value) > TEXT_MAX:
            raise ValueError(_("Write at most %(count)s characters.") % {"count": TEXT_MAX})
    else:
        raise ValueError(_("This is not a question."))
    constraint = item.get("constraint", "")
    if constraint and not expressions.holds(constraint, answers, current=value):
        message = text_in(item.get("constraint_message", {}), {})
        raise ValueError(message or _("This answer is not accepted."))
    return value


def clean_all(
    definition: Mapping[str, Any], raw: Mapping[str, Any]
) -> tuple[dict[str, Any], list[AnswerProblem]]:
    """A whole set of answers checked in the form's order, relevance included: a question
    that is not relevant must be left empty; unknown names are refused."""
    problems: list[AnswerProblem] = []
    known = {q["name"]: q for q in asked(definition)}
    for name in raw:
        if name not in known:
            problems.append(AnswerProblem(name, _("There is no such question.")))
    clean: dict[str, Any] = {}
    for item in asked(definition):
        value = raw.get(item["name"])
        if not is_relevant(item, clean):
            if not is_empty(value.strip() if isinstance(value, str) else value):
                problems.append(
                    AnswerProblem(
                        item["name"], _("This question is not asked after those answers.")
                    )
                )
            continue
        try:
            answer = clean_one(item, value, clean)
        except ValueError as error:
            problems.append(AnswerProblem(item["name"], str(error)))
            continue
        if answer is not None:
            clean[item["name"]] = answer
    return clean, problems


def next_step(definition: Mapping[str, Any], answers: Mapping[str, Any], after: int) -> int | None:
    """The index (among :func:`asked`) of the first relevant question after ``after``."""
    items = asked(definition)
    for index in range(after + 1, len(items)):
        if is_relevant(items[index], answers):
            return index
    return None


def previous_step(definition: Mapping[str, Any], answers: Mapping[str, Any], before: int) -> int:
    items = asked(definition)
    for index in range(min(before, len(items)) - 1, -1, -1):
        if is_relevant(items[index], answers):
            return index
    return -1


def notes_before(
    definition: Mapping[str, Any], answers: Mapping[str, Any], index: int
) -> list[dict[str, Any]]:
    """The relevant notes between the previous question and question ``index`` (all the
    trailing notes when ``index`` is past the last question)."""
    every = questions(definition)
    items = asked(definition)
    stop = every.index(items[index]) if index < len(items) else len(every)
    start = every.index(items[index - 1]) + 1 if 0 < index <= len(items) else 0
    return [q for q in every[start:stop] if q["type"] == "note" and is_relevant(q, answers)]


def relevant_only(definition: Mapping[str, Any], answers: Mapping[str, Any]) -> dict[str, Any]:
    """The answers, without those a later change made irrelevant."""
    kept: dict[str, Any] = {}
    for item in asked(definition):
        if item["name"] in answers and is_relevant(item, kept):
            kept[item["name"]] = answers[item["name"]]
    return kept
