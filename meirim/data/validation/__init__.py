"""Checking the cities' data: pure functions over parsed rows and the catalogue.

Nothing here reads the database. The caller prefetches what the rules need (the catalogue
items of the version, the approved years, the history of each cell) and passes it in, so a
file of a million rows is checked without a single query per row.

Every message goes through gettext in the language active when the check runs, and names
the row and the column (``Problem.row``/``Problem.field``) so a person can fix the file.

The parts: :mod:`.columns`, :mod:`.numbers`, :mod:`.units` (catalogue items and their
units), :mod:`.enums` (allowed values), :mod:`.messages`, :mod:`.rows` (one row, with the
figures read by :mod:`.values`) and :mod:`.outliers` (year-on-year).
"""

from meirim.data.validation.columns import (
    COLUMNS,
    DESCRIPTION,
    FIRST_YEAR,
    KNOWN_COLUMNS,
    MUNICIPALITY,
    NAME,
    REQUIRED_COLUMNS,
)
from meirim.data.validation.enums import (
    COLLECTION_METHOD_VALUES,
    DATA_TYPE_VALUES,
    DISABILITY_VALUES,
    SEX_VALUES,
    STATUS_VALUES,
)
from meirim.data.validation.messages import (
    msg_duplicate,
    msg_locked,
    msg_not_a_number,
    msg_unknown_value,
)
from meirim.data.validation.numbers import (
    MAX_DIGITS_BEFORE_POINT,
    NO_WORDS,
    YES_WORDS,
    NotANumber,
    format_number,
    max_year,
    parse_number,
    parse_year,
    yes_no,
)
from meirim.data.validation.outliers import (
    OUTLIER_MIN_POINTS,
    OUTLIER_THRESHOLD,
    HistoryCheck,
    OutlierWarning,
    SeriesKey,
    check_history,
    modified_z_scores,
)
from meirim.data.validation.rows import SKIP, CleanRow, RowChecker, Skip
from meirim.data.validation.units import (
    QUALITATIVE_UNITS,
    QUANTITATIVE_UNITS,
    RATIO_UNITS,
    ItemKind,
    ItemSpec,
)

__all__ = [
    "COLLECTION_METHOD_VALUES",
    "COLUMNS",
    "DATA_TYPE_VALUES",
    "DESCRIPTION",
    "DISABILITY_VALUES",
    "FIRST_YEAR",
    "KNOWN_COLUMNS",
    "MAX_DIGITS_BEFORE_POINT",
    "MUNICIPALITY",
    "NAME",
    "NO_WORDS",
    "OUTLIER_MIN_POINTS",
    "OUTLIER_THRESHOLD",
    "QUALITATIVE_UNITS",
    "QUANTITATIVE_UNITS",
    "RATIO_UNITS",
    "REQUIRED_COLUMNS",
    "SEX_VALUES",
    "SKIP",
    "STATUS_VALUES",
    "YES_WORDS",
    "CleanRow",
    "HistoryCheck",
    "ItemKind",
    "ItemSpec",
    "NotANumber",
    "OutlierWarning",
    "RowChecker",
    "SeriesKey",
    "Skip",
    "check_history",
    "format_number",
    "max_year",
    "modified_z_scores",
    "msg_duplicate",
    "msg_locked",
    "msg_not_a_number",
    "msg_unknown_value",
    "parse_number",
    "parse_year",
    "yes_no",
]
