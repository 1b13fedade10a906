"""The columns of a data file: known, required and optional ones, and text length limits."""

from __future__ import annotations

from typing import Final

COLUMNS: Final = (
    "code",
    "year",
    "value",
    "numerator",
    "denominator",
    "status",
    "sex",
    "age_band",
    "disability",
    "district",
    "data_type",
    "collection_method",
    "source",
    "comment",
)
# Optional: the text of a qualitative answer (unit "yes/no" or "description").
DESCRIPTION: Final = "description"
# Filled by the template for people; ignored on import.
NAME: Final = "name"
MUNICIPALITY: Final = "municipality"
KNOWN_COLUMNS: Final = (*COLUMNS, DESCRIPTION)
REQUIRED_COLUMNS: Final = ("code", "year")

FIRST_YEAR: Final = 1990

# Limits of the text columns (the model's max_length).
_MAX_LENGTH: Final = {"age_band": 16, "district": 64, "source": 255}
