"""What changed between two frozen recognition portfolios (``PortfolioSnapshot.content``):
plain Python on the two JSON documents, nothing read from the database.

Each change is ``{"section", "key", "before", "after"}``: ``section`` is one of
``introduction``, ``index``, ``facilities``, ``participation``, ``actions``, ``criteria``;
``key`` names the item (an indicator, criterion, evidence or action code, or the text's
field); ``before``/``after`` are the compared values (None where the item did not exist).
"""

from __future__ import annotations

from typing import Any

TEXTS = (
    ("introduction", "introduction", ("introduction",)),
    ("index", "commentary", ("index", "commentary")),
    ("facilities", "improvement", ("facilities", "improvement")),
    ("facilities", "users_evaluation", ("facilities", "users_evaluation")),
    ("participation", "summary", ("participation", "summary")),
    ("actions", "summary", ("actions", "summary")),
)


def _get(content: dict[str, Any], path: tuple[str, ...]) -> Any:
    value: Any = content
    for part in path:
        value = value.get(part) if isinstance(value, dict) else None
    return value


def _by_code(items: Any) -> dict[str, dict[str, Any]]:
    return {str(item.get("code")): item for item in items or [] if isinstance(item, dict)}


def _compare(
    section: str, before: dict[str, dict[str, Any]], after: dict[str, dict[str, Any]],
    show: tuple[str, ...],
) -> list[dict[str, Any]]:  # fmt: skip
    changes = []
    for code in sorted(set(before) | set(after)):
        old, new = before.get(code), after.get(code)
        old_shown = {k: old.get(k) for k in show} if old is not None else None
        new_shown = {k: new.get(k) for k in show} if new is not None else None
        if old_shown != new_shown:
            changes.append(
                {"section": section, "key": code, "before": old_shown, "after": new_shown}
            )
    return changes


def portfolio_diff(previous: dict[str, Any], current: dict[str, Any]) -> list[dict[str, Any]]:
    """Every change from ``previous`` to ``current``, section by section."""
    changes: list[dict[str, Any]] = []
    for section, key, path in TEXTS:
        old, new = _get(previous, path) or "", _get(current, path) or ""
        if old != new:
            changes.append({"section": section, "key": key, "before": old, "after": new})
    changes += _compare(
        "index",
        _by_code(_get(previous, ("index", "indicators"))),
        _by_code(_get(current, ("index", "indicators"))),
        ("latest", "state", "trend"),
    )
    changes += _compare(
        "participation",
        _by_code(_get(previous, ("participation", "evidence"))),
        _by_code(_get(current, ("participation", "evidence"))),
        ("status", "text"),
    )
    changes += _compare(
        "actions",
        _by_code(_get(previous, ("actions", "items"))),
        _by_code(_get(current, ("actions", "items"))),
        ("status", "impact"),
    )
    changes += _compare(
        "criteria",
        _by_code(previous.get("criteria")),
        _by_code(current.get("criteria")),
        ("statement",),
    )
    old_facilities = {f.get("name"): f for f in _get(previous, ("facilities", "items")) or []}
    new_facilities = {f.get("name"): f for f in _get(current, ("facilities", "items")) or []}
    changes += _compare(
        "facilities",
        {str(k): v for k, v in old_facilities.items()},
        {str(k): v for k, v in new_facilities.items()},
        ("availability", "adult_rating", "children_rating"),
    )
    return changes
