"""Reading an organisation's weekly file in its own layout: a CSV file as Excel saves it, or an
Excel workbook (.xlsx, its first sheet). Which column holds what comes from the organisation's
saved layout. The result is a preview, every row with its values or its errors; nothing is
written here, and a file with any bad row is not taken at all.

A cell is only ever read as text or a number: a formula (`=HYPERLINK(...)`) is its text, never
computed, and a workbook's formulas are read as written, not as Excel last computed them.
"""

from __future__ import annotations

import csv
import io
import re
import warnings
import zipfile
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from trygghet.accounts.models import Organisation
from trygghet.core.parsing import check_day, parse_day_as
from trygghet.core.tabular import (
    FileRefused,
    ImportRow,
    TablePreview,
    decode,
    delimiter_of,
    is_workbook,
)
from trygghet.partners.models import MAX_COUNT, UploadLayout
from trygghet.partners.services import MAX_ROWS, Names, RowInput, rows_named, rows_read

UploadPreview = TablePreview[ImportRow]
REQUIRED = ("night", "area", "category", "count")
# Columns further right than this are never a week's report.
MAX_COLUMNS = 100
WHOLE_NUMBER = re.compile(r"\d+")
Cell = str | date


def _cell(value) -> Cell:
    """A workbook's cell as text, or as a date when Excel holds a date."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return str(value)


def _workbook_rows(data: bytes) -> list[list[Cell]]:
    # Imported here: only an upload of a workbook needs it, and it is a large import.
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        with warnings.catch_warnings():
            # A workbook written by another program than Excel has no default style; that is no
            # concern of ours.
            warnings.simplefilter("ignore")
            book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
            try:
                sheet = book.worksheets[0]
                rows = []
                for values in sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True):
                    rows.append([_cell(value) for value in values])
                    if len(rows) > MAX_ROWS + 1:
                        break
            finally:
                book.close()
    except (zipfile.BadZipFile, InvalidFileException, KeyError, IndexError, ValueError, OSError):
        raise FileRefused(
            _(
                "The file could not be read as an Excel workbook (.xlsx). Save it again from "
                "Excel, or as “CSV UTF-8”."
            )
        ) from None
    return rows


def read_table(data: bytes) -> tuple[list[list[Cell]], str]:
    """The file's rows of cells, and how it was read ("xlsx" or the text's encoding)."""
    if is_workbook(data):
        return _workbook_rows(data), "xlsx"
    text, encoding = decode(data)
    text = text.lstrip("\r\n")
    header_line = text.split("\n", 1)[0]
    # newline="" lets the csv module keep line breaks inside quoted cells (notes).
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter_of(header_line))
    rows: list[list[Cell]] = []
    for cells in reader:
        rows.append(list(cells))
        if len(rows) > MAX_ROWS + 1:
            break
    return rows, encoding


def _text(cell: Cell) -> str:
    return cell.isoformat() if isinstance(cell, date) else cell.strip()


def _columns(header: list[str], layout: UploadLayout, preview: UploadPreview) -> dict[str, int]:
    """The index of each field's column in the file."""
    found: dict[str, int] = {}
    missing = []
    for field, title in layout.columns().items():
        if header.count(title) > 1:
            preview.errors.append(_("The column “{title}” appears twice.").format(title=title))
        elif title in header:
            found[field] = header.index(title)
        elif field in REQUIRED:
            missing.append(title)
    if missing:
        preview.errors.append(
            _(
                "Wrong columns: the file has no column {missing}. Its columns are: {found}. "
                "Change the file, or your organisation's saved layout."
            ).format(
                missing=", ".join(f"“{title}”" for title in missing),
                found=", ".join(f"“{title}”" for title in header if title) or "–",
            )
        )
    used = set(found.values())
    preview.ignored_columns = [
        title for index, title in enumerate(header) if title and index not in used
    ]
    return found


def _night(cell: Cell, layout: UploadLayout) -> date:
    if isinstance(cell, date):
        return check_day(cell)
    return parse_day_as(cell, layout.date_format)


def _count(text: str) -> int:
    if not WHOLE_NUMBER.fullmatch(text):
        raise ValidationError(
            _("“{value}” is not a whole number.").format(value=text), code="invalid"
        )
    if len(text) > len(str(MAX_COUNT)):
        raise ValidationError(
            _("The count must be a whole number from 1 to {largest}.").format(largest=MAX_COUNT),
            code="out_of_range",
        )
    return int(text)


def parse_upload(
    data: bytes, *, layout: UploadLayout, organisation: Organisation, week: date
) -> UploadPreview:
    """Read and check every row of an organisation's file for the week, writing nothing."""
    preview = UploadPreview()
    try:
        table, preview.encoding = read_table(data)
    except FileRefused as refused:
        preview.errors.append(str(refused))
        return preview
    while table and not any(_text(cell) for cell in table[0]):
        table.pop(0)
    if not table:
        preview.errors.append(_("The file is empty."))
        return preview
    header = [_text(cell).lower() for cell in table[0]]
    columns = _columns(header, layout, preview)
    if preview.errors:
        return preview
    titles = layout.columns()
    raw: dict[int, dict] = {}
    for line, cells in enumerate(table[1:], start=2):
        if not any(_text(cell) for cell in cells):
            continue
        if len(preview.rows) == MAX_ROWS:
            preview.errors.append(
                _("The file has more than {count} rows; split it.").format(count=MAX_ROWS)
            )
            return preview
        row = ImportRow(
            line=line,
            cells={
                field: _text(cells[index]) if index < len(cells) else ""
                for field, index in columns.items()
            },
        )
        values: dict = {
            "area": row.cells["area"],
            "category": row.cells["category"],
            "note": row.cells.get("note", ""),
        }
        night = cells[columns["night"]] if columns["night"] < len(cells) else ""
        try:
            values["night"] = _night(night, layout)
        except ValidationError as error:
            row.errors.extend(_in_column(titles["night"], error.messages))
        try:
            values["count"] = _count(row.cells["count"])
        except ValidationError as error:
            row.errors.extend(_in_column(titles["count"], error.messages))
        if not row.errors:
            raw[len(preview.rows)] = values
        preview.rows.append(row)
    if not preview.rows:
        preview.errors.append(_("The file has a header but no rows."))
        return preview
    rows, errors = rows_named(Names(organisation), raw)
    errors = rows_read(organisation=organisation, week=week, rows=rows, errors=errors)
    for index, fields in errors.items():
        for field, messages in fields.items():
            preview.rows[index].errors.extend(_in_column(titles.get(field, field), messages))
    for index, good in rows.items():
        preview.rows[index].values = {"row": good}
    return preview


def _in_column(title: str, messages: list[str]) -> list[str]:
    return [_("Column {column}: {message}").format(column=title, message=m) for m in messages]


def uploaded_rows(preview: UploadPreview) -> list[RowInput]:
    return [row.values["row"] for row in preview.rows]
