"""The scoring method of a catalogue version: its defaults, and the national council's edits.

A new version starts with the defaults below; the national council changes them in a draft
(weights, goalposts, aggregation, tolerances) and publishing freezes them with the version.
:mod:`meirim.reports.adapter` hands them to the engine unchanged.

Every write here runs in one transaction that locks the version's row (so a concurrent
publish cannot slip between the check and the write), refuses a published version with
:class:`~meirim.catalogue.errors.CatalogueLocked`, checks the values (the ``*_problems``
functions, which the forms show on their fields too) and writes an audit row with the diff.

``allow_published=True`` lets a set-up command (``manage.py demo_setup``) give a version that
it has just loaded and published its initial goalposts. It is never used by a page or the API;
the audit row says that it was used.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from meirim.catalogue.errors import CatalogueLocked
from meirim.catalogue.models import (
    CatalogueVersion,
    Category,
    Indicator,
    PostsBasis,
    ScoringMethod,
    SubDomain,
    Unit,
)
from meirim.common import audit

#: Posts of indicators measured on their own closed scale.
SCALE_POSTS: dict[str, tuple[Decimal, Decimal, str]] = {
    Unit.PERCENT: (Decimal(0), Decimal(100), PostsBasis.SCALE),
    Unit.YESNO: (Decimal(0), Decimal(1), PostsBasis.YESNO),
}

#: The version-wide fields of :class:`ScoringMethod` the council sets.
METHOD_FIELDS = (
    "aggregation",
    "min_coverage",
    "indicator_tolerance_relative",
    "indicator_tolerance_absolute",
    "score_tolerance_absolute",
)


def default_posts(unit: str, direction: int) -> tuple[Decimal | None, Decimal | None, str]:
    """(lower, upper, basis) for a new indicator: its own scale's ends for percentages and
    yes/no answers; none for the rest (and for contextual indicators, which are not scored)
    until the council sets them, e.g. from the national distribution."""
    if direction == 0 or unit not in SCALE_POSTS:
        return None, None, ""
    return SCALE_POSTS[unit]


def is_scorable(indicator: Indicator) -> bool:
    """Whether the indicator can have goalposts: it has a direction and is not a description."""
    return indicator.direction != 0 and indicator.unit != Unit.TEXT


class ScoringInvalid(ValueError):
    """Values the scoring method cannot take; ``errors`` maps each field to why."""

    def __init__(self, errors: Mapping[str, str]) -> None:
        self.errors = dict(errors)
        super().__init__("; ".join(self.errors.values()))


# --- Checks ------------------------------------------------------------------------------


def _field_problem(model: type[models.Model], name: str, value: Any) -> str:
    """What the model field says about ``value`` (digits, choices), or ''."""
    try:
        model._meta.get_field(name).clean(value, None)  # type: ignore[union-attr]
    except ValidationError as error:
        return " ".join(error.messages)
    return ""


def weight_problem(weight: Decimal | None) -> str:
    if weight is None:
        return _("Give a weight (0 leaves the entry out).")
    if weight < 0:
        return _("The weight must be 0 or more.")
    return _field_problem(Indicator, "weight", weight)


def method_problems(
    *,
    aggregation: str,
    min_coverage: Decimal | None,
    indicator_tolerance_relative: Decimal | None,
    indicator_tolerance_absolute: Decimal | None,
    score_tolerance_absolute: Decimal | None,
) -> dict[str, str]:
    """Why the version-wide values cannot be used, by field (empty: they can)."""
    problems: dict[str, str] = {}
    if aggregation not in ScoringMethod.Aggregation.values:
        problems["aggregation"] = _("Choose the arithmetic or the geometric mean.")
    if min_coverage is None or not Decimal(0) < min_coverage <= Decimal(1):
        problems["min_coverage"] = _("The minimum coverage is a share above 0 and at most 1.")
    tolerances = {
        "indicator_tolerance_relative": indicator_tolerance_relative,
        "indicator_tolerance_absolute": indicator_tolerance_absolute,
        "score_tolerance_absolute": score_tolerance_absolute,
    }
    for name, value in tolerances.items():
        if value is None or value < 0:
            problems[name] = _("A no-change band must be 0 or more.")
    relative, score = indicator_tolerance_relative, score_tolerance_absolute
    if "indicator_tolerance_relative" not in problems and relative is not None and relative >= 1:
        problems["indicator_tolerance_relative"] = _(
            "The no-change band of an indicator is a share of its baseline below 1."
        )
    if "score_tolerance_absolute" not in problems and score is not None and score > 100:
        problems["score_tolerance_absolute"] = _(
            "The no-change band of a score is at most 100 points."
        )
    values: dict[str, Any] = {"aggregation": aggregation, "min_coverage": min_coverage}
    for name, value in {**values, **tolerances}.items():
        if name not in problems:
            problem = _field_problem(ScoringMethod, name, value)
            if problem:
                problems[name] = problem
    return problems


def posts_problems(
    indicator: Indicator, lower_post: Decimal | None, upper_post: Decimal | None
) -> dict[str, str]:
    """Why ``indicator`` cannot have these goalposts, by field (empty: it can)."""
    if lower_post is None and upper_post is None:
        return {}
    if indicator.unit == Unit.TEXT:
        return {"lower_post": _("A description is not scored, so it has no goalposts.")}
    if indicator.direction == 0:
        return {
            "lower_post": _(
                "A contextual indicator (no direction) is not scored, so it has no goalposts."
            )
        }
    if lower_post is None:
        return {"lower_post": _("Give both goalposts, or neither.")}
    if upper_post is None:
        return {"upper_post": _("Give both goalposts, or neither.")}
    problems: dict[str, str] = {}
    for name, value in (("lower_post", lower_post), ("upper_post", upper_post)):
        problem = _field_problem(Indicator, name, value)
        if problem:
            problems[name] = problem
    if not problems and lower_post >= upper_post:
        problems["upper_post"] = _("The upper goalpost must be above the lower one.")
    return problems


def indicator_scoring_problems(
    indicator: Indicator,
    weight: Decimal | None,
    lower_post: Decimal | None,
    upper_post: Decimal | None,
) -> dict[str, str]:
    problems = posts_problems(indicator, lower_post, upper_post)
    problem = weight_problem(weight)
    if problem:
        problems["weight"] = problem
    return problems


# --- Writes ------------------------------------------------------------------------------


def version_lock(version_id: int, *, allow_published: bool = False) -> CatalogueVersion:
    """The version's row, locked until the transaction ends; a published one is refused."""
    version = CatalogueVersion.objects.select_for_update().get(pk=version_id)
    if version.is_published and not allow_published:
        raise CatalogueLocked(
            _("A published catalogue version cannot change; copy it to a new version first.")
        )
    return version


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def _scoring_state(entry: Any, fields: tuple[str, ...]) -> dict[str, str | None]:
    return {name: _text(getattr(entry, name)) for name in fields}


def _published_note(version: CatalogueVersion) -> dict[str, Any]:
    return {"set_up_of_published_version": True} if version.is_published else {}


@transaction.atomic
def scoring_method_set(
    *,
    version: CatalogueVersion,
    aggregation: str,
    min_coverage: Decimal,
    indicator_tolerance_relative: Decimal,
    indicator_tolerance_absolute: Decimal,
    score_tolerance_absolute: Decimal,
    actor: Any,
    allow_published: bool = False,
) -> ScoringMethod:
    """Set the version-wide choices of the version's scoring method."""
    version = version_lock(version.pk, allow_published=allow_published)
    values: dict[str, Any] = {
        "aggregation": aggregation,
        "min_coverage": min_coverage,
        "indicator_tolerance_relative": indicator_tolerance_relative,
        "indicator_tolerance_absolute": indicator_tolerance_absolute,
        "score_tolerance_absolute": score_tolerance_absolute,
    }
    problems = method_problems(**values)
    if problems:
        raise ScoringInvalid(problems)
    method, _created = ScoringMethod.objects.get_or_create(version=version)
    before = _scoring_state(method, METHOD_FIELDS)
    for name, value in values.items():
        setattr(method, name, value)
    method.save()
    method.refresh_from_db()
    changes = audit.diff(before, _scoring_state(method, METHOD_FIELDS))
    if changes:
        audit.record(
            actor=actor,
            action="catalogue.set_scoring_method",
            obj=version,
            changes={**changes, **_published_note(version)},
        )
    return method


INDICATOR_SCORING_FIELDS = ("weight", "lower_post", "upper_post", "posts_basis")


@transaction.atomic
def indicator_scoring_set(
    *,
    indicator: Indicator,
    weight: Decimal,
    lower_post: Decimal | None,
    upper_post: Decimal | None,
    actor: Any,
    allow_published: bool = False,
) -> Indicator:
    """Set an indicator's weight and goalposts (both or none).

    Goalposts the council changes are marked as set by the council; unchanged ones keep the
    basis they had (the scale's ends of a percentage stay "the ends of the scale").
    """
    version = version_lock(indicator.version_id, allow_published=allow_published)
    indicator = Indicator.objects.get(pk=indicator.pk)
    problems = indicator_scoring_problems(indicator, weight, lower_post, upper_post)
    if problems:
        raise ScoringInvalid(problems)
    before = _scoring_state(indicator, INDICATOR_SCORING_FIELDS)
    if lower_post is None:
        basis = ""
    elif (indicator.lower_post, indicator.upper_post) == (lower_post, upper_post) and (
        indicator.posts_basis
    ):
        basis = indicator.posts_basis
    else:
        basis = PostsBasis.COUNCIL
    indicator.weight = weight
    indicator.lower_post = lower_post
    indicator.upper_post = upper_post
    indicator.posts_basis = basis
    indicator.save(update_fields=list(INDICATOR_SCORING_FIELDS))
    indicator.refresh_from_db(fields=list(INDICATOR_SCORING_FIELDS))
    changes = audit.diff(before, _scoring_state(indicator, INDICATOR_SCORING_FIELDS))
    if changes:
        audit.record(
            actor=actor,
            action="catalogue.set_indicator_scoring",
            obj=indicator,
            changes={**changes, **_published_note(version)},
        )
    return indicator


@transaction.atomic
def node_weight_set(
    *, node: Category | SubDomain, weight: Decimal, actor: Any, allow_published: bool = False
) -> Category | SubDomain:
    """Set the weight of a category or a sub-domain within its parent."""
    version = version_lock(node.version_id, allow_published=allow_published)
    problem = weight_problem(weight)
    if problem:
        raise ScoringInvalid({"weight": problem})
    node = type(node).objects.get(pk=node.pk)
    before = _scoring_state(node, ("weight",))
    node.weight = weight
    node.save(update_fields=["weight"])
    node.refresh_from_db(fields=["weight"])
    changes = audit.diff(before, _scoring_state(node, ("weight",)))
    if changes:
        audit.record(
            actor=actor,
            action="catalogue.set_weight",
            obj=node,
            changes={**changes, **_published_note(version)},
        )
    return node


@dataclass(frozen=True)
class IndicatorScoring:
    """One row of the council's table: an indicator's weight and goalposts."""

    weight: Decimal
    lower_post: Decimal | None
    upper_post: Decimal | None


@transaction.atomic
def scoring_table_set(
    *,
    version: CatalogueVersion,
    category_weights: Mapping[str, Decimal],
    subdomain_weights: Mapping[str, Decimal],
    indicators: Mapping[str, IndicatorScoring],
    actor: Any,
) -> int:
    """Set the weights and goalposts of the whole table at once, or nothing.

    Every row is checked before anything is written; :class:`ScoringInvalid` then carries
    every problem, keyed ``"<code>.<field>"``. Returns how many entries changed.
    """
    version = version_lock(version.pk)
    problems: dict[str, str] = {}
    categories = {c.code: c for c in Category.objects.filter(version=version)}
    subdomains = {s.code: s for s in SubDomain.objects.filter(version=version)}
    rows = {i.code: i for i in Indicator.objects.filter(version=version)}
    for entries, weights in ((categories, category_weights), (subdomains, subdomain_weights)):
        for code, weight in weights.items():
            if code not in entries:
                problems[f"{code}.weight"] = _("There is no such entry in this version.")
            elif problem := weight_problem(weight):
                problems[f"{code}.weight"] = problem
    for code, row in indicators.items():
        if code not in rows:
            problems[f"{code}.weight"] = _("There is no such entry in this version.")
            continue
        found = indicator_scoring_problems(rows[code], row.weight, row.lower_post, row.upper_post)
        problems.update({f"{code}.{name}": text for name, text in found.items()})
    if problems:
        raise ScoringInvalid(problems)
    changed = 0
    for entries, weights in ((categories, category_weights), (subdomains, subdomain_weights)):
        for code, weight in weights.items():
            node = entries[code]
            if node.weight != weight:
                node_weight_set(node=node, weight=weight, actor=actor)
                changed += 1
    for code, row in indicators.items():
        current = rows[code]
        if (current.weight, current.lower_post, current.upper_post) != (
            row.weight,
            row.lower_post,
            row.upper_post,
        ):
            indicator_scoring_set(
                indicator=current,
                weight=row.weight,
                lower_post=row.lower_post,
                upper_post=row.upper_post,
                actor=actor,
            )
            changed += 1
    return changed


@transaction.atomic
def indicator_posts_national_set(
    *,
    version: CatalogueVersion,
    posts: Mapping[str, tuple[Decimal, Decimal]],
    actor: Any,
    allow_published: bool = False,
) -> list[str]:
    """Set goalposts taken from the national distribution (basis ``national``).

    Called by the derivation from the cities' data (``meirim.data.services.scoring``), which
    reads what the catalogue may not. Returns the codes whose goalposts changed.
    """
    version = version_lock(version.pk, allow_published=allow_published)
    rows = {i.code: i for i in Indicator.objects.filter(version=version, code__in=list(posts))}
    problems: dict[str, str] = {}
    for code, (lower, upper) in posts.items():
        if code not in rows:
            problems[f"{code}.lower_post"] = _("There is no such entry in this version.")
            continue
        found = posts_problems(rows[code], lower, upper)
        problems.update({f"{code}.{name}": text for name, text in found.items()})
    if problems:
        raise ScoringInvalid(problems)
    changed = []
    fields = ["lower_post", "upper_post", "posts_basis"]
    for code, (lower, upper) in posts.items():
        indicator = rows[code]
        before = _scoring_state(indicator, tuple(fields))
        indicator.lower_post, indicator.upper_post = lower, upper
        indicator.posts_basis = PostsBasis.NATIONAL
        indicator.save(update_fields=fields)
        indicator.refresh_from_db(fields=fields)
        changes = audit.diff(before, _scoring_state(indicator, tuple(fields)))
        if changes:
            changed.append(code)
            audit.record(
                actor=actor,
                action="catalogue.set_indicator_scoring",
                obj=indicator,
                changes={**changes, **_published_note(version)},
            )
    return changed
