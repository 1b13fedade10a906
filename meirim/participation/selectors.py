"""Reading the participation log: the list, its summary and the evidence P1–P9.

Counts of children under ``SMALL_GROUP_THRESHOLD`` are never shown publicly: every selector
meant for public use (``public=True``, the default) passes a lone count through
:func:`public_count` and a table with its total through
:func:`meirim.common.suppression.suppress_table`, so that no hidden count can be worked out
from the total and the other parts. Pages for the city's own people ask for exact counts
(``public=False``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from meirim.catalogue.models import CatalogueItem
from meirim.catalogue.selectors import published_version
from meirim.common import suppression
from meirim.common.programme import SMALL_GROUP_THRESHOLD, AgeBand, ChildSex
from meirim.geography.models import Municipality
from meirim.participation.models import Activity, EvidenceStatement, ParticipantCount
from meirim.planning.models import Action
from meirim.voice.selectors import portfolio_summary as suggestions_summary

#: Rungs of Hart's ladder that are not participation (manipulation, decoration, tokenism).
NON_PARTICIPATION = frozenset({"H1", "H2", "H3"})
RUNGS = tuple(f"H{n}" for n in range(1, 9))
TYPES = tuple(f"T{n}" for n in range(1, 6))
QUALITY = tuple(f"Q{n}" for n in range(1, 10))
EVIDENCE_CODES = tuple(f"P{n}" for n in range(1, 10))
#: Participation evidence that the log cannot show: the city states it.
ENTERED_CODES = ("P5", "P6", "P7")


class HardToReach(models.TextChoices):
    """Groups of hard-to-reach or marginalised children counted per activity (P3)."""

    DISABILITY = "disability", gettext_lazy("Children with disabilities or special needs")
    RURAL = "rural", gettext_lazy("Children in rural areas")
    MINORITY_LANGUAGE = "minority_language", gettext_lazy("Children of minority-language families")
    IN_CARE = "in_care", gettext_lazy("Children in care or social orphans")
    POVERTY = "poverty", gettext_lazy("Children living in poverty")
    YOUNG = "young", gettext_lazy("Infants and pre-school children")
    OTHER = "other", gettext_lazy("Other hard-to-reach children")


def suppressed_label() -> str:
    return _("fewer than %(n)s") % {"n": SMALL_GROUP_THRESHOLD}


def public_count(count: int) -> str:
    """A count as it may be shown publicly: under the threshold it reads "fewer than 5"."""
    return str(count) if count >= SMALL_GROUP_THRESHOLD else suppressed_label()


def public_counts(counts: Mapping[Any, int]) -> dict[Any, str]:
    """The same counts with every count under ``SMALL_GROUP_THRESHOLD`` suppressed."""
    return {key: public_count(value) for key, value in counts.items()}


def _shown(count: int, public: bool) -> int | str:
    return public_count(count) if public else count


def _public(value: int | None) -> str:
    """A figure already passed through suppression, as :func:`public_count` writes it."""
    return suppression.label(value)


def _grid_suppressed(
    rows: Mapping[str, Mapping[str, int]],
) -> tuple[dict[str, dict[str, int | None]], dict[str, int | None], int | None]:
    """A table of rows (age bands) of cells (sexes) with row totals and a grand total,
    suppressed so that no hidden figure follows from the others: each row as a table, the row
    totals as a table of the grand total; a row whose total is hidden hides all its cells."""
    outer = suppression.suppress_table({key: sum(row.values()) for key, row in rows.items()})
    inner = {key: suppression.suppress_table(row) for key, row in rows.items()}
    grand = outer.total
    # A row the inner suppression could not protect without hiding its total: hide it, and
    # the grand total with it, so that it cannot be worked out from the other rows.
    forced = {key for key, table in inner.items() if table.total is None and outer.cells[key]}
    if forced:
        grand = None
    cells: dict[str, dict[str, int | None]] = {}
    totals: dict[str, int | None] = {}
    for key, row in rows.items():
        if outer.cells[key] is None or key in forced:
            cells[key] = dict.fromkeys(row)
            totals[key] = None
        else:
            cells[key] = dict(inner[key].cells)
            totals[key] = outer.cells[key]
    return cells, totals, grand


def _marginals_suppressed(
    total: int, tables: Mapping[str, Mapping[str, int]]
) -> tuple[int | None, dict[str, dict[str, int | None]]]:
    """Several breakdowns of one total (by age band, by sex), each suppressed with the total;
    if any of them must hide the total, every breakdown is hidden with it."""
    done = {name: suppression.suppress_table(part, total=total) for name, part in tables.items()}
    if any(table.total is None for table in done.values()):
        return None, {name: dict.fromkeys(counts) for name, counts in tables.items()}
    return total, {name: dict(table.cells) for name, table in done.items()}


def catalogue_list(code: str) -> list[CatalogueItem]:
    """The items of one catalogue list (H, T, Q, P) of the published version, in order."""
    version = published_version()
    if version is None:
        return []
    return list(CatalogueItem.objects.filter(version=version, list=code).order_by("order", "code"))


def catalogue_names(code: str) -> dict[str, CatalogueItem]:
    return {item.code: item for item in catalogue_list(code)}


def _name(items: Mapping[str, CatalogueItem], code: str) -> str:
    item = items.get(code)
    return item.name if item is not None else ""


def is_participation(rung: str) -> bool:
    return rung not in NON_PARTICIPATION


def activities(municipality: Municipality) -> QuerySet[Activity]:
    """The city's activities, newest first, with their counts and linked action."""
    return (
        Activity.objects.filter(municipality=municipality)
        .select_related("action")
        .prefetch_related(Prefetch("participants", queryset=ParticipantCount.objects.all()))
        .order_by("-held_on", "-id")
    )


def activity_get(municipality: Municipality, pk: int) -> Activity | None:
    return activities(municipality).filter(pk=pk).first()


def city_actions(municipality: Municipality) -> QuerySet[Action]:
    return Action.objects.filter(municipality=municipality).order_by("code")


def children_reached(activity: Activity) -> int:
    return sum(p.count for p in activity.participants.all())


@dataclass
class Summary:
    activities: int = 0
    participation_activities: int = 0
    # (code, name, activities, is participation)
    by_rung: list[tuple[str, str, int, bool]] = field(default_factory=list)
    by_type: list[tuple[str, str, int]] = field(default_factory=list)
    children: int | str = 0
    # rows: (age band label, [(sex label, count)…], row total)
    grid: list[tuple[str, list[int | str], int | str]] = field(default_factory=list)
    sexes: list[str] = field(default_factory=list)
    hard_to_reach: list[tuple[str, int | str]] = field(default_factory=list)


def participation_summary(municipality: Municipality, *, public: bool = True) -> Summary:
    """Activities by rung (H1–H3 marked as non-participation) and type, children reached by
    age band and sex, and hard-to-reach groups. ``public`` suppresses counts under 5."""
    rows = list(activities(municipality))
    rungs = Counter(a.rung for a in rows)
    kinds = Counter(a.kind for a in rows)
    cells: Counter[tuple[str, str]] = Counter()
    groups: Counter[str] = Counter()
    for activity in rows:
        for p in activity.participants.all():
            cells[(p.age_band, p.sex)] += p.count
        for key, value in (activity.hard_to_reach or {}).items():
            if isinstance(value, int) and value > 0:
                groups[key] += value
    summary = Summary(
        activities=len(rows),
        participation_activities=sum(1 for a in rows if is_participation(a.rung)),
        children=sum(cells.values()),
        sexes=[str(label) for label in ChildSex.labels],
    )
    # Activity counts are not counts of children: they are shown as they are.
    rung_names, type_names = catalogue_names("H"), catalogue_names("T")
    summary.by_rung = [
        (code, _name(rung_names, code), rungs.get(code, 0), is_participation(code))
        for code in reversed(RUNGS)
    ]
    summary.by_type = [(code, _name(type_names, code), kinds.get(code, 0)) for code in TYPES]
    grid = {
        band.value: {sex.value: cells.get((band.value, sex.value), 0) for sex in ChildSex}
        for band in AgeBand
    }
    if public:
        hidden_cells, row_totals, grand = _grid_suppressed(grid)
        summary.children = _public(grand)
        for band in AgeBand:
            summary.grid.append(
                (
                    str(band.label),
                    [_public(value) for value in hidden_cells[band.value].values()],
                    _public(row_totals[band.value]),
                )
            )
    else:
        for band in AgeBand:
            counts = list(grid[band.value].values())
            summary.grid.append((str(band.label), list(counts), sum(counts)))
    summary.hard_to_reach = [
        (str(group.label), _shown(groups.get(group.value, 0), public)) for group in HardToReach
    ]
    return summary


@dataclass
class EvidenceItem:
    code: str
    item: CatalogueItem | None
    status: str  # "derived", "entered" or "missing"
    text: str = ""
    figures: dict[str, Any] = field(default_factory=dict)
    statement: EvidenceStatement | None = None

    @property
    def name(self) -> str:
        return self.item.name if self.item is not None else self.code


#: What each derived code counts, in words (shown beside the figures).
DERIVATION = {
    "P1": gettext_lazy(
        "Consultations with children: logged activities at rungs H4–H8 of Hart's ladder."
    ),
    "P2": gettext_lazy(
        "Children who took part in those consultations, by age band and sex; diversity is "
        "the number of age bands and of sexes reached."
    ),
    "P3": gettext_lazy(
        "Consultations that reached hard-to-reach children, and how many kinds of "
        "hard-to-reach groups took part."
    ),
    "P4": gettext_lazy(
        "Frequency: recurring consultations against one-off events, and consultations per year."
    ),
    "P8": gettext_lazy(
        "Consultations in which children evaluated services and their contribution changed "
        "something (the activity records what changed as a result)."
    ),
    "P9": gettext_lazy(
        "Consultations on the planned actions of the children's strategy (activities linked "
        "to an action of the plan)."
    ),
}


def participation_evidence(
    municipality: Municipality, *, public: bool = True
) -> list[EvidenceItem]:
    """P1–P9, each with its status: derived from the log (P1–P4, P8, P9), entered by the city
    (P5–P7), or missing. Children's counts are suppressed under 5 when ``public``."""
    names = catalogue_names("P")
    rows = [a for a in activities(municipality) if is_participation(a.rung)]
    statements = {s.code: s for s in EvidenceStatement.objects.filter(municipality=municipality)}
    result: list[EvidenceItem] = []

    def derived(code: str, count: int, figures: dict[str, Any]) -> EvidenceItem:
        return EvidenceItem(
            code,
            names.get(code),
            "derived" if count else "missing",
            str(DERIVATION[code]),
            figures,
        )

    by_year = Counter(a.held_on.year for a in rows)
    per_year = {str(year): by_year[year] for year in sorted(by_year)}
    cells: Counter[tuple[str, str]] = Counter()
    for activity in rows:
        for p in activity.participants.all():
            cells[(p.age_band, p.sex)] += p.count
    bands = Counter[str]()
    sexes = Counter[str]()
    for (band, sex), n in cells.items():
        bands[band] += n
        sexes[sex] += n
    reaching = [a for a in rows if any(v for v in (a.hard_to_reach or {}).values())]
    groups: Counter[str] = Counter()
    for activity in reaching:
        for key, value in (activity.hard_to_reach or {}).items():
            if isinstance(value, int) and value > 0:
                groups[key] += value
    recurring = sum(1 for a in rows if a.recurrence == Activity.Recurrence.RECURRING)
    changed = [a for a in rows if a.what_changed.strip()]
    linked = [a for a in rows if a.action_id]
    # Children's suggestions answered ("you said, we did") and actions planned from them.
    suggestions = suggestions_summary(municipality)

    for code in EVIDENCE_CODES:
        if code in ENTERED_CODES:
            statement = statements.get(code)
            if statement is not None and statement.text.strip():
                result.append(
                    EvidenceItem(code, names.get(code), "entered", statement.text, {}, statement)
                )
            else:
                result.append(EvidenceItem(code, names.get(code), "missing"))
        elif code == "P1":
            result.append(
                derived(code, len(rows), {"consultations": len(rows), "per_year": per_year})
            )
        elif code == "P2":
            total = sum(cells.values())
            by_band: dict[str, int | str] = {b.value: bands.get(b.value, 0) for b in AgeBand}
            by_sex: dict[str, int | str] = {s.value: sexes.get(s.value, 0) for s in ChildSex}
            shown_total: int | str = total
            if public:
                kept, parts = _marginals_suppressed(
                    total,
                    {
                        "band": {b.value: bands.get(b.value, 0) for b in AgeBand},
                        "sex": {s.value: sexes.get(s.value, 0) for s in ChildSex},
                    },
                )
                shown_total = _public(kept)
                by_band = {k: _public(v) for k, v in parts["band"].items()}
                by_sex = {k: _public(v) for k, v in parts["sex"].items()}
            result.append(
                derived(
                    code,
                    total,
                    {
                        "children": shown_total,
                        "by_age_band": by_band,
                        "by_sex": by_sex,
                        "age_bands_reached": sum(1 for n in bands.values() if n),
                        "sexes_reached": sum(
                            1 for s, n in sexes.items() if n and s != ChildSex.NOT_STATED
                        ),
                    },
                )
            )
        elif code == "P3":
            result.append(
                derived(
                    code,
                    len(reaching),
                    {
                        "consultations": len(reaching),
                        "groups_reached": len(groups),
                        "children": {key: _shown(n, public) for key, n in sorted(groups.items())},
                    },
                )
            )
        elif code == "P4":
            result.append(
                derived(
                    code,
                    len(rows),
                    {
                        "recurring": recurring,
                        "one_off": len(rows) - recurring,
                        "per_year": per_year,
                        "increasing": _increasing(by_year),
                    },
                )
            )
        elif code == "P8":
            result.append(
                derived(
                    code,
                    len(changed) + int(suggestions["any_answered"]),
                    {
                        "consultations": len(changed),
                        "topics": [a.topic for a in changed],
                        "suggestions": suggestions,
                    },
                )
            )
        elif code == "P9":
            result.append(
                derived(
                    code,
                    len(linked) + int(suggestions["any_planned"]),
                    {
                        "consultations": len(linked),
                        "actions": sorted({a.action.code for a in linked if a.action}),
                        "suggestions": suggestions,
                    },
                )
            )
    return result


def _increasing(by_year: Mapping[int, int]) -> bool | None:
    """Whether consultations per year grew from the first logged year to the last."""
    if len(by_year) < 2:
        return None
    years = sorted(by_year)
    return by_year[years[-1]] > by_year[years[0]]


def evidence_statement(municipality: Municipality, code: str) -> EvidenceStatement | None:
    return EvidenceStatement.objects.filter(municipality=municipality, code=code).first()
