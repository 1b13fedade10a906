"""Publishing a catalogue version, and carrying the cities' data over to it.

Every page reads the latest published version, so a new version would start empty. In the
transaction that publishes it, the data of the latest published version before it are copied
over, in three set-based ``INSERT … SELECT`` statements (one per table, whatever the number of
rows; the same SQL on SQLite and PostgreSQL):

* the observations of every item that did not change (:mod:`meirim.catalogue.changes` is
  the one definition of *changed*), as they were, with who entered them and when;
* their evidence rows, pointing to the same stored files;
* every data year as it was: an approved year stays approved, with who approved it and when.

Honest about approved years: an approved year keeps its approval for the values it holds,
which are the values that were approved. Changed or new indicators have no value under the
new version, so they count as missing in the year's completeness ("to be reported") and the
results leave them out; the year is not reopened behind anyone's back, since that would hide
its approved results from the public. To report them for a past approved year, the national
council reopens it (its reason is audited) and the city enters them.

The source version keeps its data unchanged; the values of changed and removed items stay
there only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection, models, transaction

from meirim.catalogue import services as catalogue_services
from meirim.catalogue.changes import VersionChanges, version_changes
from meirim.catalogue.models import CatalogueVersion
from meirim.common import audit
from meirim.data.models import DataYear, Observation, ObservationEvidence
from meirim.data.publication import carry_source
from meirim.data.services.common import _bump_revision
from meirim.geography.models import Municipality


@dataclass(frozen=True)
class CarryForward:
    """What publishing carried over from ``source`` (None: nothing was published before)."""

    version: CatalogueVersion
    source: CatalogueVersion | None
    changes: VersionChanges | None
    observations: int = 0
    evidence: int = 0
    data_years: int = 0
    approved_years: int = 0
    municipalities: int = 0


def catalogue_version_publish(*, version: CatalogueVersion, actor: Any) -> CarryForward:
    """Publish ``version`` and carry the cities' unchanged data over to it, atomically.

    Raises :class:`meirim.catalogue.services.CatalogueLocked` when it is already published.
    """
    with transaction.atomic():
        # Wait for every data writer in progress and hold new ones until the copy commits,
        # so no value is written to the old version after it was copied (writers lock their
        # municipality first, in key order, as this does).
        list(
            Municipality.objects.select_for_update(no_key=True)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        source = carry_source(version)
        version = catalogue_services.catalogue_publish(version=version, actor=actor)
        if source is None:
            return CarryForward(version=version, source=None, changes=None)
        changes = version_changes(source=source, target=version)
        observations = _copy_observations(source, version, sorted(changes.unchanged))
        evidence = _copy_evidence(source, version)
        data_years = _copy_rows(DataYear, source, version)
        result = CarryForward(
            version=version,
            source=source,
            changes=changes,
            observations=observations,
            evidence=evidence,
            data_years=data_years,
            approved_years=DataYear.objects.filter(
                version=version, state=DataYear.State.APPROVED
            ).count(),
            municipalities=len(
                set(
                    Observation.objects.filter(version=version)
                    .order_by()
                    .values_list("municipality_id", flat=True)
                    .distinct()
                )
                | set(
                    DataYear.objects.filter(version=version)
                    .order_by()
                    .values_list("municipality_id", flat=True)
                )
            ),
        )
        audit.record(
            actor=actor,
            action="data.carry_forward",
            obj=version,
            changes={
                "from": source.code,
                "observations": observations,
                "evidence": evidence,
                "data_years": data_years,
                "approved_years": result.approved_years,
                "municipalities": result.municipalities,
                **changes.as_audit(),
            },
        )
        _bump_revision(version)
    return result


# --- Set-based copies -----------------------------------------------------------------


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _columns(model: type[models.Model], *skip: str) -> list[str]:
    """Every stored column of ``model`` but its key and ``skip`` (new fields follow along)."""
    return [
        str(field.column)
        for field in model._meta.concrete_fields
        if not field.primary_key and field.name not in skip
    ]


def _column(model: type[models.Model], name: str) -> str:
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field)
    return str(field.column)


def _execute(sql: str, params: Sequence[Any]) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return max(int(cursor.rowcount), 0)


def _copy_rows(
    model: type[models.Model],
    source: CatalogueVersion,
    target: CatalogueVersion,
    where: str = "",
    params: Sequence[Any] = (),
) -> int:
    """Copy ``model``'s rows of ``source`` to ``target`` in one statement; the row count."""
    version = _column(model, "version")
    columns = _columns(model, "version")
    names = ", ".join(_q(column) for column in columns)
    table = _q(model._meta.db_table)
    sql = (
        f"INSERT INTO {table} ({_q(version)}, {names}) "  # noqa: S608 (names from the model)
        f"SELECT %s, {names} FROM {table} WHERE {_q(version)} = %s{where}"
    )
    return _execute(sql, [target.pk, source.pk, *params])


def _copy_observations(source: CatalogueVersion, target: CatalogueVersion, codes: list[str]) -> int:
    if not codes:
        return 0
    placeholders = ", ".join(["%s"] * len(codes))
    where = f" AND {_q('code')} IN ({placeholders})"
    return _copy_rows(Observation, source, target, where, codes)


def _cell_key() -> list[str]:
    """The columns that name a cell within a version (the unique constraint but ``version``)."""
    for constraint in Observation._meta.constraints:
        if isinstance(constraint, models.UniqueConstraint) and "version" in constraint.fields:
            return [_column(Observation, name) for name in constraint.fields if name != "version"]
    raise LookupError("Observation has no unique cell constraint")  # pragma: no cover


def _copy_evidence(source: CatalogueVersion, target: CatalogueVersion) -> int:
    """The evidence of every carried observation, attached to its copy (same stored file)."""
    evidence = ObservationEvidence._meta
    observation = Observation._meta
    link = _q(_column(ObservationEvidence, "observation"))
    version = _q(_column(Observation, "version"))
    key = _q(_column(Observation, "id"))
    columns = _columns(ObservationEvidence, "observation")
    join = " AND ".join(f"n.{_q(column)} = o.{_q(column)}" for column in _cell_key())
    sql = (
        f"INSERT INTO {_q(evidence.db_table)} ({link}, "  # noqa: S608 (names from the model)
        f"{', '.join(_q(column) for column in columns)}) "
        f"SELECT n.{key}, "
        f"{', '.join('e.' + _q(column) for column in columns)} "
        f"FROM {_q(evidence.db_table)} e "
        f"JOIN {_q(observation.db_table)} o ON o.{key} = e.{link} "
        f"JOIN {_q(observation.db_table)} n ON n.{version} = %s AND {join} "
        f"WHERE o.{version} = %s"
    )
    return _execute(sql, [target.pk, source.pk])
