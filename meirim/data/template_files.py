"""Downloadable data templates (CSV and XLSX), in the user's language, pre-filled.

One row per indicator, baseline figure and denominator series (the total), plus one row per
stored breakdown; stored values are filled in. Uploading the file back imports it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from meirim.catalogue.models import CatalogueEntry, CatalogueVersion, Unit
from meirim.common.i18n import localized
from meirim.common.tabular import spreadsheet_text, xlsx_text_cells
from meirim.data import selectors as data_selectors
from meirim.data.models import (
    CollectionMethod,
    DataType,
    Disability,
    Observation,
    ObservationStatus,
    Sex,
)
from meirim.data.validation import (
    COLUMNS,
    DESCRIPTION,
    NAME,
    ItemKind,
    ItemSpec,
    format_number,
)
from meirim.geography.models import Municipality

TEMPLATE_COLUMNS = ("code", NAME, *COLUMNS[1:], DESCRIPTION)
# Free text: written so that a spreadsheet program never runs it as a formula.
_TEXT_COLUMNS = frozenset({NAME, "age_band", "district", "source", "comment", DESCRIPTION})
_CSV_TEXT = tuple(column in _TEXT_COLUMNS for column in TEMPLATE_COLUMNS)


def template_filename(municipality: Municipality, year: int, extension: str) -> str:
    return f"meirim-{municipality.code}-{year}.{extension}"


def _name(entry: CatalogueEntry) -> str:
    """The name in the current language; a fallback says which language it is in."""
    text = localized(entry, "name")
    return f"{text.text} [{text.language}]" if text.is_fallback and text.text else text.text


def _row(spec: ItemSpec, name: str, year: int, observation: Observation | None) -> list[str | int]:
    if observation is None:
        return [spec.code, name, year, *[""] * (len(TEMPLATE_COLUMNS) - 3)]
    value = format_number(observation.value)
    return [
        spec.code,
        name,
        year,
        value,
        format_number(observation.numerator),
        format_number(observation.denominator),
        observation.status,
        observation.sex,
        observation.age_band,
        observation.disability,
        observation.district,
        observation.data_type,
        observation.collection_method,
        observation.source,
        observation.comment,
        observation.text_value,
    ]


def template_rows(
    version: CatalogueVersion, municipality: Municipality, year: int
) -> list[list[str | int]]:
    """The template's data rows: each item's total first, then its stored breakdowns."""
    stored: dict[str, list[Observation]] = {}
    for observation in data_selectors.observations_of_year(version, municipality, year):
        stored.setdefault(observation.code, []).append(observation)
    rows: list[list[str | int]] = []
    for item in data_selectors.template_items(version):
        name = _name(item.entry)
        observations = stored.get(item.spec.code, [])
        if not any(observation.is_total for observation in observations):
            rows.append(_row(item.spec, name, year, None))
        for observation in observations:
            rows.append(_row(item.spec, name, year, observation))
    return rows


def template_csv(version: CatalogueVersion, municipality: Municipality, year: int) -> bytes:
    """UTF-8 with a byte-order mark, so that spreadsheet programs read the names right."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(TEMPLATE_COLUMNS)
    for row in template_rows(version, municipality, year):
        writer.writerow(
            [
                spreadsheet_text(cell) if is_text and isinstance(cell, str) else cell
                for cell, is_text in zip(row, _CSV_TEXT, strict=True)
            ]
        )
    return out.getvalue().encode("utf-8-sig")


def _choices_text(values: Sequence[tuple[str, Any]]) -> str:
    return "; ".join(f"{value or _('(empty)')} = {label}" for value, label in values)


def instruction_lines() -> list[tuple[str, str]]:
    """(column, what to write) for the instructions sheet."""
    return [
        ("code", _("The catalogue code (I01–I74, B01–B46, D-series). Do not change it.")),
        (NAME, _("The name, for reading only: it is ignored when the file is uploaded.")),
        ("year", _("The year the figure describes.")),
        (
            "value",
            _(
                "The figure. Decimals with a comma or a point; spaces between thousands are "
                "fine. Yes/no items: 1 or 0 (yes/no, иә/жоқ, да/нет, ооба/жок)."
            ),
        ),
        (
            "numerator",
            _(
                "For percentages and rates: the count, with the denominator. The value is then "
                "computed (× 100 for a percentage, × the factor for a rate)."
            ),
        ),
        ("denominator", _("For percentages and rates: the population counted (more than 0).")),
        ("status", _choices_text(ObservationStatus.choices)),
        ("sex", _choices_text(Sex.choices)),
        ("age_band", _("An age band such as 0-4 or 15-17; empty for all ages.")),
        ("disability", _choices_text(Disability.choices)),
        ("district", _("A district of the city; empty for the whole city.")),
        ("data_type", _choices_text(DataType.choices)),
        ("collection_method", _choices_text(CollectionMethod.choices)),
        ("source", _("Where the figure comes from (at most 255 characters).")),
        ("comment", _("Anything a reader should know about the figure.")),
        (DESCRIPTION, _("The text of a qualitative answer.")),
    ]


def _unit_text(spec: ItemSpec) -> str:
    unit = str(Unit(spec.unit).label)
    if spec.unit == Unit.RATE and spec.factor:
        unit = _("%(unit)s, per %(factor)s") % {
            "unit": unit,
            "factor": format_number(spec.factor),
        }
    return unit


def _kind_text(kind: str) -> str:
    labels = {
        ItemKind.INDICATOR: _("Indicator"),
        ItemKind.BASELINE: _("Baseline figure"),
        ItemKind.DENOMINATOR: _("Denominator series"),
    }
    return labels[kind]


def _spreadsheet_value(cell: str | int, column: str) -> str | int | float:
    """Stored numbers as spreadsheet numbers when a float holds them exactly."""
    if column not in _NUMBER_COLUMNS or not isinstance(cell, str) or not cell:
        return cell
    number = float(cell)
    return number if format_number(Decimal(repr(number))) == cell else cell


_NUMBER_COLUMNS = frozenset({"value", "numerator", "denominator"})


def template_xlsx(version: CatalogueVersion, municipality: Municipality, year: int) -> bytes:
    """The data on the first sheet (what the upload reads), the instructions on the second."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = _("Data")[:31]
    sheet.append(list(TEMPLATE_COLUMNS))
    rows = template_rows(version, municipality, year)
    for row in rows:
        sheet.append(
            [
                _spreadsheet_value(cell, column)
                for cell, column in zip(row, TEMPLATE_COLUMNS, strict=True)
            ]
        )
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "C2"
    widths = {"A": 8, "B": 60, "C": 7, "G": 18, "L": 14, "M": 24, "N": 30, "O": 30, "P": 30}
    for letter, width in widths.items():
        sheet.column_dimensions[letter].width = width
    last = max(len(rows) + 1, 2) + 500  # room for added breakdown rows
    for letter, values in (
        ("G", ObservationStatus.values),
        ("H", [value for value in Sex.values if value]),
        ("J", [value for value in Disability.values if value]),
        ("L", DataType.values),
        ("M", CollectionMethod.values),
    ):
        validation = DataValidation(
            type="list", formula1='"' + ",".join(values) + '"', allow_blank=True
        )
        validation.add(f"{letter}2:{letter}{last}")
        sheet.add_data_validation(validation)

    guide = workbook.create_sheet(_("Instructions")[:31])
    guide.append([_("How to fill in this template")])
    guide["A1"].font = Font(bold=True, size=14)
    for line in (
        _("Municipality: %(name)s (%(code)s). Catalogue version: %(version)s.")
        % {"name": municipality.name, "code": municipality.code, "version": version.code},
        _(
            "Fill in one row per figure: a value, or numerator and denominator, or a status "
            "other than 'reported' (no data, not applicable, outside the city's competence)."
        ),
        _("Rows left without a value and without a status are skipped."),
        _(
            "Add a row for each breakdown (sex, age band, disability, district); each "
            "combination may appear only once per code and year."
        ),
        _(
            "The whole file is checked first: if any row has a problem, nothing is imported "
            "and every problem is listed by row and column."
        ),
        _("Years that are approved are locked: their rows are refused."),
    ):
        guide.append([line])
    guide.append([])
    guide.append([_("Column"), _("What to write")])
    for cell in guide[guide.max_row]:
        cell.font = Font(bold=True)
    for column, text in instruction_lines():
        guide.append([column, text])
    guide.append([])
    guide.append([_("Code"), _("Name"), _("Unit"), _("Kind"), _("Denominator series")])
    for cell in guide[guide.max_row]:
        cell.font = Font(bold=True)
    for item in data_selectors.template_items(version):
        guide.append(
            [
                item.spec.code,
                _name(item.entry),
                _unit_text(item.spec),
                _kind_text(item.spec.kind),
                item.spec.denominator,
            ]
        )
    guide.column_dimensions["A"].width = 18
    guide.column_dimensions["B"].width = 90
    guide.column_dimensions["C"].width = 28
    for row in guide.iter_rows():
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")

    for worksheet in (sheet, guide):
        xlsx_text_cells(worksheet)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
