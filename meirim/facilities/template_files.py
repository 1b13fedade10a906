"""The inventory as a file to fill in (CSV or XLSX): the stored items, one per row, in the
columns and codes the import reads. Texts are written so that no spreadsheet program runs
them as formulas."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from meirim.common.tabular import spreadsheet_text, xlsx_text_cells
from meirim.facilities import fields, selectors
from meirim.geography.models import Municipality


def _cell(column: str, value: Any) -> str | int | float:
    if value is None:
        return ""
    if isinstance(value, list):
        return fields.LIST_SEPARATOR.join(value)
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, int):
        return value
    text = str(value)
    return spreadsheet_text(text) if column in fields.TEXT_COLUMNS else text


def inventory_rows(municipality: Municipality) -> list[list[str | int | float]]:
    return [
        [_cell(column, record[column]) for column in fields.COLUMNS]
        for record in map(fields.as_record, selectors.facilities(municipality))
    ]


def inventory_csv(municipality: Municipality) -> bytes:
    """UTF-8 with a byte-order mark, so that spreadsheet programs read the names right."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(fields.COLUMNS)
    writer.writerows(inventory_rows(municipality))
    return out.getvalue().encode("utf-8-sig")


def inventory_xlsx(municipality: Municipality) -> bytes:
    """The items on the first sheet (what the import reads), the codes on the second."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = _("Facilities")[:31]
    sheet.append(list(fields.COLUMNS))
    for row in inventory_rows(municipality):
        sheet.append(row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "B2"
    xlsx_text_cells(sheet)
    guide = workbook.create_sheet(_("Codes")[:31])
    guide.append([_("Column"), _("Code"), _("Meaning")])
    for cell in guide[1]:
        cell.font = Font(bold=True)
    for column, codes in fields.code_lists():
        for code, label in codes:
            guide.append([column, code, label])
    guide.append([])
    guide.append(
        [
            _(
                "Lists (target_ages, barriers, groups_affected) are codes separated by "
                "semicolons, e.g. physical;cost."
            )
        ]
    )
    xlsx_text_cells(guide)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
