"""What every data service shares: the acting user, the municipality lock, the revision bump."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from django.db import transaction
from django.db.models import F

from meirim.catalogue.models import CatalogueVersion
from meirim.common.request_memo import forget
from meirim.data.models import DataRevision, revision_key
from meirim.data.signals import data_revised
from meirim.geography.models import Municipality

Progress = Callable[[int, int], None]


def _lock_municipalities(ids: Sequence[int]) -> None:
    """Serialise data writers of these municipalities until the transaction ends."""
    list(
        Municipality.objects.select_for_update(no_key=True)
        .filter(pk__in=sorted(ids))
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def _bump_revision(
    version: CatalogueVersion, municipality_ids: Sequence[int] = (), years: Sequence[int] = ()
) -> None:
    """Count a change of ``version``'s data; once it commits, say so (``data_revised``), with
    the municipalities and years changed when known (empty: all of them)."""
    revision, _created = DataRevision.objects.get_or_create(version=version)
    DataRevision.objects.filter(pk=revision.pk).update(revision=F("revision") + 1)
    forget(revision_key(version.pk))
    ids = sorted(set(municipality_ids))
    changed_years = sorted(set(years)) if ids else []
    transaction.on_commit(
        lambda: data_revised.send(
            sender=DataRevision, version_id=version.pk, municipality_ids=ids, years=changed_years
        ),
        robust=True,  # the data are committed; a receiver's failure is only logged
    )


# What a cell holds besides its key (version, municipality, code, year, disaggregation).
CELL_CONTENT = (
    "value",
    "numerator",
    "denominator",
    "text_value",
    "status",
    "data_type",
    "collection_method",
    "source",
    "comment",
    "is_outlier",
)
# Content a file may leave out: a file without one of these columns leaves the stored field
# as it is (an empty cell in a column that is there still clears it). The figures (value,
# numerator, denominator, description, status) are always written together.
KEPT_WHEN_ABSENT = ("data_type", "collection_method", "source", "comment")
