"""The allowed values of the enumerated columns (status, sex, disability, data type, method)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Final

from meirim.data.models import CollectionMethod, DataType, Disability, ObservationStatus, Sex


def _allowed(values: Iterable[str]) -> str:
    return ", ".join(value for value in values if value)


STATUS_VALUES: Final = tuple(ObservationStatus.values)
SEX_VALUES: Final = tuple(Sex.values)
DISABILITY_VALUES: Final = tuple(Disability.values)
DATA_TYPE_VALUES: Final = tuple(DataType.values)
COLLECTION_METHOD_VALUES: Final = tuple(CollectionMethod.values)
# Empty means "all"; "all"/"total" are accepted as synonyms for the total.
_TOTAL_WORDS: Final = ("all", "total")


def _enum_lookup(values: Sequence[str], total: bool = False) -> dict[str, str]:
    lookup = {value: value for value in values}
    if total:
        lookup.update(dict.fromkeys(_TOTAL_WORDS, ""))
    return lookup
