"""What a catalogue version changes against another: the one definition of a *changed* item.

The cities record observations against three kinds of catalogue items: index indicators
(I-codes), baseline figures (B-codes) and denominator series (D-codes). When a new version is
published, the values of an item carry over to it only when the item still measures the same
thing. An item is **changed** when one of its :data:`MEASURED_FIELDS` differs:

* ``name_kk`` — the definition. The Kazakh text is the source the translations follow, so a
  new wording there is a new definition; a corrected Russian, English or Kyrgyz translation
  is not, and does not throw away years of data.
* ``unit`` (a percentage is not a rate or a count), ``denominator`` (the population a rate is
  taken of), ``factor`` (per 1,000 is not per 100,000) and ``data_type`` (a figure is not a
  description): the stored values would mean something else.
* An indicator whose denominator series changed definition is changed too
  (:data:`DENOMINATOR_DEFINITION`): its rates were taken of the old population.

Everything else does **not** change what is measured and keeps the data: the national target,
notes, the order, the sub-domain, the type, the sources, the direction and its basis. Results
are computed from the data when they are read, so a new target or direction simply shows in
the scores.

A code missing from the new version is *removed*; a code new to it is *added*. Codes are the
catalogue's natural keys: the same code in two versions is the same item.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from meirim.catalogue.models import (
    BaselineFigure,
    CatalogueEntry,
    CatalogueVersion,
    DenominatorSeries,
    Indicator,
)

INDICATOR = "indicator"
BASELINE_FIGURE = "baseline_figure"
DENOMINATOR_SERIES = "denominator_series"

#: Pseudo-field: the definition of the indicator's denominator series changed.
DENOMINATOR_DEFINITION = "denominator_definition"

#: Per kind of item: its model and the fields that decide what is measured.
MEASURED_FIELDS: Mapping[str, tuple[type[CatalogueEntry], tuple[str, ...]]] = {
    INDICATOR: (Indicator, ("name_kk", "unit", "denominator", "factor", "data_type")),
    BASELINE_FIGURE: (BaselineFigure, ("name_kk", "unit")),
    DENOMINATOR_SERIES: (DenominatorSeries, ("name_kk",)),
}

FIELD_LABELS: Mapping[str, Promise] = {
    "name_kk": _("definition (Kazakh source text)"),
    "unit": _("unit"),
    "denominator": _("denominator series"),
    "factor": _("factor"),
    "data_type": _("data type"),
    DENOMINATOR_DEFINITION: _("definition of its denominator series"),
}

KIND_LABELS: Mapping[str, Promise] = {
    INDICATOR: _("indicator"),
    BASELINE_FIGURE: _("baseline figure"),
    DENOMINATOR_SERIES: _("denominator series"),
}


@dataclass(frozen=True)
class ItemChange:
    """An added, removed or changed item; ``fields`` names what changed (changed items)."""

    kind: str
    entry: CatalogueEntry
    fields: tuple[str, ...] = ()

    @property
    def code(self) -> str:
        return self.entry.code

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS[self.kind])

    @property
    def field_labels(self) -> list[str]:
        return [str(FIELD_LABELS[name]) for name in self.fields]


@dataclass(frozen=True)
class VersionChanges:
    source: CatalogueVersion
    target: CatalogueVersion
    unchanged: frozenset[str]  # codes whose observations keep their meaning
    changed: tuple[ItemChange, ...]
    added: tuple[ItemChange, ...]
    removed: tuple[ItemChange, ...]

    @property
    def to_report(self) -> tuple[ItemChange, ...]:
        """Items the cities have to report anew under the target version."""
        return self.changed + self.added

    def as_audit(self) -> dict[str, Any]:
        return {
            "changed": {change.code: list(change.fields) for change in self.changed},
            "added": [change.code for change in self.added],
            "removed": [change.code for change in self.removed],
        }


def _entries(model: type[CatalogueEntry], version: CatalogueVersion) -> dict[str, Any]:
    entries = model._default_manager.filter(version=version).order_by("order", "code")
    return {entry.code: entry for entry in entries}


def version_changes(*, source: CatalogueVersion, target: CatalogueVersion) -> VersionChanges:
    """Item by item, what ``target`` changes against ``source`` (six small queries)."""
    unchanged: set[str] = set()
    changed: list[ItemChange] = []
    added: list[ItemChange] = []
    removed: list[ItemChange] = []
    before = {kind: _entries(model, source) for kind, (model, _f) in MEASURED_FIELDS.items()}
    after = {kind: _entries(model, target) for kind, (model, _f) in MEASURED_FIELDS.items()}
    changed_series: set[str] = set()
    # Denominator series first: an indicator over a redefined series is changed too.
    for kind in (DENOMINATOR_SERIES, BASELINE_FIGURE, INDICATOR):
        fields = MEASURED_FIELDS[kind][1]
        for code, entry in after[kind].items():
            old = before[kind].get(code)
            if old is None:
                added.append(ItemChange(kind, entry))
                continue
            differ = [name for name in fields if getattr(old, name) != getattr(entry, name)]
            if kind == INDICATOR and entry.denominator in changed_series:
                differ.append(DENOMINATOR_DEFINITION)
            if differ:
                changed.append(ItemChange(kind, entry, tuple(differ)))
                if kind == DENOMINATOR_SERIES:
                    changed_series.add(code)
            else:
                unchanged.add(code)
        removed.extend(
            ItemChange(kind, entry)
            for code, entry in before[kind].items()
            if code not in after[kind]
        )
    order = {INDICATOR: 0, BASELINE_FIGURE: 1, DENOMINATOR_SERIES: 2}

    def ordered(items: list[ItemChange]) -> tuple[ItemChange, ...]:
        return tuple(
            sorted(items, key=lambda item: (order[item.kind], item.entry.order, item.code))
        )

    return VersionChanges(
        source=source,
        target=target,
        unchanged=frozenset(unchanged),
        changed=ordered(changed),
        added=ordered(added),
        removed=ordered(removed),
    )
