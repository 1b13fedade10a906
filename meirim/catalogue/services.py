"""Writes for the national index catalogue: load, copy, edit a draft, publish."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from meirim.catalogue.errors import CatalogueLocked as CatalogueLocked  # re-exported
from meirim.catalogue.loader import CatalogueFiles, read_catalogue_files
from meirim.catalogue.models import (
    BaselineFigure,
    BaselineSection,
    CatalogueItem,
    CatalogueVersion,
    Category,
    DenominatorSeries,
    GovernanceQuestion,
    GovernanceSection,
    Indicator,
    ScoringMethod,
    SubDomain,
    Unit,
)
from meirim.catalogue.scoring import METHOD_FIELDS, default_posts
from meirim.common import audit

NAME_LANGS = ("kk", "ru", "en", "ky")


class TargetInvalid(ValueError):
    """A target outside what the indicator's unit allows (the message says why)."""


# Units whose figures, and so targets, are never negative.
_NON_NEGATIVE_UNITS = frozenset({Unit.RATE, Unit.COUNT, Unit.RATIO, Unit.CURRENCY})


def target_problem(unit: str, target: Decimal | None) -> str:
    """Why ``target`` cannot be the target of an indicator in ``unit``, or ''."""
    if target is None:
        return ""
    if unit == Unit.PERCENT and not 0 <= target <= 100:
        return _("a target in percent must be between 0 and 100")
    if unit in _NON_NEGATIVE_UNITS and target < 0:
        return _("the target must be 0 or more")
    if unit == Unit.YESNO and target not in (0, 1):
        return _("the target of a yes/no indicator is 1 (yes) or 0 (no)")
    return ""


def _names(row: dict[str, str], prefix: str = "name") -> dict[str, str]:
    return {f"{prefix}_{lang}": row.get(f"{prefix}_{lang}", "") or "" for lang in NAME_LANGS}


def _decimal(raw: str) -> Decimal | None:
    return Decimal(raw) if raw not in ("", None) else None


def _weight(row: dict[str, str]) -> dict[str, Decimal]:
    """The row's weight (a copied version; 0 stays 0), or the default 1 (the shipped files)."""
    weight = _decimal(row.get("weight", ""))
    return {"weight": Decimal(1) if weight is None else weight}


def _scoring_fields(row: dict[str, str]) -> dict[str, Any]:
    """Weight and goalposts of an indicator row: the row's own (a copied version) or the
    defaults of its unit (the shipped files)."""
    if "lower_post" in row:
        return {
            **_weight(row),
            "lower_post": _decimal(row["lower_post"]),
            "upper_post": _decimal(row.get("upper_post", "")),
            "posts_basis": row.get("posts_basis", ""),
        }
    lower, upper, basis = default_posts(row["unit"], int(row["direction"]))
    return {**_weight(row), "lower_post": lower, "upper_post": upper, "posts_basis": basis}


def _scoring_method(files: CatalogueFiles) -> dict[str, Any]:
    """The version-wide method of a copied version (one row), or the model's defaults."""
    rows = files.rows("scoring_method")
    if not rows:
        return {}
    row = rows[0]
    fields: dict[str, Any] = {"aggregation": row["aggregation"]}
    for name in METHOD_FIELDS[1:]:
        fields[name] = Decimal(row[name])
    return fields


def _extra(raw: str) -> dict[str, Any]:
    """``rung=8;class=participation`` → ``{"rung": 8, "class": "participation"}``."""
    result: dict[str, Any] = {}
    for part in filter(None, (raw or "").split(";")):
        key, _sep, value = part.partition("=")
        result[key.strip()] = int(value) if value.strip().isdigit() else value.strip()
    return result


@transaction.atomic
def catalogue_load_version(
    *, code: str, actor: Any, publish: bool = True, files: CatalogueFiles | None = None
) -> CatalogueVersion:
    """Create a catalogue version from the shipped data files (idempotent by ``code``)."""
    existing = CatalogueVersion.objects.filter(code=code).first()
    if existing:
        return existing
    files = files or read_catalogue_files()
    version = CatalogueVersion.objects.create(
        code=code,
        title=_("National Child-Friendly City Index"),
        created_by=audit.acting_user(actor),
    )
    categories = {}
    for row in files.rows("categories"):
        categories[row["code"]] = Category.objects.create(
            version=version,
            code=row["code"],
            order=int(row["order"]),
            **_weight(row),
            **_names(row),
        )
    subdomains = {}
    for row in files.rows("subdomains"):
        subdomains[row["code"]] = SubDomain.objects.create(
            version=version,
            code=row["code"],
            order=int(row["order"]),
            category=categories[row["category"]],
            **_weight(row),
            **_names(row),
        )
    ScoringMethod.objects.create(version=version, **_scoring_method(files))
    Indicator.objects.bulk_create(
        Indicator(
            version=version,
            code=row["code"],
            order=int(row["order"]),
            subdomain=subdomains[row["subdomain"]],
            type=row["type"],
            source_mdg=row["mdg"] == "1",
            source_mtsp=row["mtsp"] == "1",
            source_gci=row["gci"] == "1",
            source_kaz=row["kaz"] == "1",
            unit=row["unit"],
            denominator=row["denominator"],
            factor=_decimal(row["factor"]),
            direction=int(row["direction"]),
            direction_basis=row["direction_basis"],
            data_type=row["data_type"],
            target=_decimal(row["target"]),
            note_en=row.get("note_en", ""),
            note_kk=row.get("note_kk", ""),
            note_ru=row.get("note_ru", ""),
            note_ky=row.get("note_ky", ""),
            **_scoring_fields(row),
            **_names(row),
        )
        for row in files.rows("indicators")
    )
    DenominatorSeries.objects.bulk_create(
        DenominatorSeries(version=version, code=row["code"], order=index, **_names(row))
        for index, row in enumerate(files.rows("denominator_series"), start=1)
    )
    sections = {}
    for row in files.rows("baseline_sections"):
        sections[row["code"]] = BaselineSection.objects.create(
            version=version, code=row["code"], order=int(row["order"]), **_names(row)
        )
    BaselineFigure.objects.bulk_create(
        BaselineFigure(
            version=version,
            code=row["code"],
            order=int(row["order"]),
            section=sections[row["section"]],
            unit=row["unit"],
            note_en=row.get("note_en", ""),
            **_names(row),
        )
        for row in files.rows("baseline_figures")
    )
    governance_sections: dict[str, GovernanceSection] = {}
    for row in files.rows("governance_sections"):
        governance_sections[row["code"]] = GovernanceSection.objects.create(
            version=version,
            code=row["code"],
            order=int(row["order"]),
            parent=governance_sections.get(row["parent"]) if row["parent"] else None,
            **_names(row),
        )
    GovernanceQuestion.objects.bulk_create(
        GovernanceQuestion(
            version=version,
            code=row["code"],
            order=int(row["order"]),
            section=governance_sections[row["section"]],
            subsection=governance_sections.get(row["subsection"]) if row["subsection"] else None,
            **_names(row),
        )
        for row in files.rows("governance_questions")
    )
    CatalogueItem.objects.bulk_create(
        CatalogueItem(
            version=version,
            list=row["list"],
            code=row["code"],
            order=int(row["order"]),
            extra=_extra(row.get("extra", "")),
            **_names(row),
            **_names(row, "description"),
        )
        for row in files.rows("items")
    )
    audit.record(actor=actor, action="catalogue.load", obj=version, changes={"code": code})
    if publish:
        catalogue_publish(version=version, actor=actor)
    return version


@transaction.atomic
def catalogue_publish(*, version: CatalogueVersion, actor: Any) -> CatalogueVersion:
    """Make ``version`` final: the catalogue's part of publishing.

    Once a version is published every page reads it, so replacing a version the cities have
    data under goes through ``meirim.data.services.publish.catalogue_version_publish``, which
    calls this and carries their data over in the same transaction.
    """
    version = CatalogueVersion.objects.select_for_update().get(pk=version.pk)
    if version.is_published:
        raise CatalogueLocked(_("This catalogue version is already published."))
    version.status = CatalogueVersion.Status.PUBLISHED
    version.published_at = timezone.now()
    version.save(update_fields=["status", "published_at"])
    audit.record(actor=actor, action="catalogue.publish", obj=version)
    return version


@transaction.atomic
def catalogue_copy_version(*, source: CatalogueVersion, code: str, actor: Any) -> CatalogueVersion:
    """A new draft with every entry of ``source``, ready for changed targets or indicators."""
    if CatalogueVersion.objects.filter(code=code).exists():
        raise ValueError(_("A catalogue version with this code already exists."))
    files = _files_from_version(source)
    version = catalogue_load_version(code=code, actor=actor, publish=False, files=files)
    version.based_on = source
    version.save(update_fields=["based_on"])
    audit.record(actor=actor, action="catalogue.copy", obj=version, changes={"from": source.code})
    return version


@transaction.atomic
def indicator_set_target(*, indicator: Indicator, target: Decimal | None, actor: Any) -> Indicator:
    # Read the version's status afresh and lock it, so a concurrent publish cannot slip by.
    version = CatalogueVersion.objects.select_for_update().get(pk=indicator.version_id)
    if version.is_published:
        raise CatalogueLocked(
            _("A published catalogue version cannot change; copy it to a new version first.")
        )
    problem = target_problem(indicator.unit, target)
    if problem:
        raise TargetInvalid(problem)
    before = {"target": str(indicator.target) if indicator.target is not None else None}
    indicator.target = target
    indicator.save(update_fields=["target"])
    after = {"target": str(target) if target is not None else None}
    audit.record(
        actor=actor, action="catalogue.set_target", obj=indicator, changes=audit.diff(before, after)
    )
    return indicator


def _files_from_version(version: CatalogueVersion) -> CatalogueFiles:
    """Serialise a version back into the loader's row shape, so copying reuses the loader."""

    def names(entry: Any, prefix: str = "name") -> dict[str, str]:
        return {f"{prefix}_{lang}": getattr(entry, f"{prefix}_{lang}") for lang in NAME_LANGS}

    def text(value: Any) -> str:
        return "" if value is None else str(value)

    method = ScoringMethod.objects.filter(version=version).first()

    tables: dict[str, list[dict[str, str]]] = {
        "categories": [
            {"code": c.code, "order": str(c.order), "weight": str(c.weight), **names(c)}
            for c in Category.objects.filter(version=version)
        ],
        "subdomains": [
            {
                "code": s.code,
                "order": str(s.order),
                "category": s.category.code,
                "weight": str(s.weight),
                **names(s),
            }
            for s in SubDomain.objects.filter(version=version).select_related("category")
        ],
        "indicators": [
            {
                "code": i.code,
                "order": str(i.order),
                "subdomain": i.subdomain.code,
                "type": i.type,
                "mdg": "1" if i.source_mdg else "0",
                "mtsp": "1" if i.source_mtsp else "0",
                "gci": "1" if i.source_gci else "0",
                "kaz": "1" if i.source_kaz else "0",
                "unit": i.unit,
                "denominator": i.denominator,
                "factor": text(i.factor),
                "direction": str(i.direction),
                "direction_basis": i.direction_basis,
                "data_type": i.data_type,
                "target": text(i.target),
                "note_en": i.note_en,
                "note_kk": i.note_kk,
                "note_ru": i.note_ru,
                "note_ky": i.note_ky,
                "weight": str(i.weight),
                "lower_post": text(i.lower_post),
                "upper_post": text(i.upper_post),
                "posts_basis": i.posts_basis,
                **names(i),
            }
            for i in Indicator.objects.filter(version=version).select_related("subdomain")
        ],
        "denominator_series": [
            {"code": d.code, **names(d)} for d in DenominatorSeries.objects.filter(version=version)
        ],
        "baseline_sections": [
            {"code": s.code, "order": str(s.order), **names(s)}
            for s in BaselineSection.objects.filter(version=version)
        ],
        "baseline_figures": [
            {
                "code": f.code,
                "order": str(f.order),
                "section": f.section.code,
                "unit": f.unit,
                "note_en": f.note_en,
                **names(f),
            }
            for f in BaselineFigure.objects.filter(version=version).select_related("section")
        ],
        "governance_sections": [
            {
                "code": s.code,
                "order": str(s.order),
                "parent": s.parent.code if s.parent else "",
                **names(s),
            }
            for s in GovernanceSection.objects.filter(version=version)
            .select_related("parent")
            .order_by("order")
        ],
        "governance_questions": [
            {
                "code": q.code,
                "order": str(q.order),
                "section": q.section.code,
                "subsection": q.subsection.code if q.subsection else "",
                **names(q),
            }
            for q in GovernanceQuestion.objects.filter(version=version).select_related(
                "section", "subsection"
            )
        ],
        "items": [
            {
                "list": item.list,
                "code": item.code,
                "order": str(item.order),
                "extra": ";".join(f"{k}={v}" for k, v in item.extra.items()),
                **names(item),
                **names(item, "description"),
            }
            for item in CatalogueItem.objects.filter(version=version)
        ],
        "scoring_method": (
            [{name: str(getattr(method, name)) for name in METHOD_FIELDS}] if method else []
        ),
    }
    return CatalogueFiles(tables)
