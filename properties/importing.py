"""Reading the property register from a CSV file, the way the municipality keeps it in a
spreadsheet: one row per building, a column per weekday with its closing time.

The file is read as trygghet.core.tabular reads every spreadsheet export. The result is a
preview: each row with its values or its errors, and nothing is written here
(services.property_import does).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import time

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from patrols.models import Priority
from patrols.positions import WGS84, check_position, parse_coordinate
from properties.models import CLOSING_FIELDS, Property
from trygghet.accounts.models import Department
from trygghet.core.parsing import parse_day
from trygghet.core.tabular import FileRefused, ImportRow, TablePreview, decode, delimiter_of

MAX_ROWS = 5000

# Field: the accepted headers (compared in lower case), the first is the one we write.
COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("namn", "name", "fastighet", "byggnad"),
    "address": ("adress", "address", "gatuadress"),
    "latitude": ("latitud", "lat", "latitude"),
    "longitude": ("longitud", "lon", "lng", "longitude"),
    "department": ("förvaltning", "department"),
    "closes_monday": ("måndag", "monday", "mån", "mon"),
    "closes_tuesday": ("tisdag", "tuesday", "tis", "tue"),
    "closes_wednesday": ("onsdag", "wednesday", "ons", "wed"),
    "closes_thursday": ("torsdag", "thursday", "tor", "thu"),
    "closes_friday": ("fredag", "friday", "fre", "fri"),
    "closes_saturday": ("lördag", "saturday", "lör", "sat"),
    "closes_sunday": ("söndag", "sunday", "sön", "sun"),
    "priority": ("prioritet", "priority"),
    "contact_email": ("kontakt", "e-post", "epost", "contact", "contact_email"),
    "access_notes": ("åtkomst", "access", "access_notes"),
    "closed_dates": ("stängda dagar", "closed days", "closed_dates"),
}
REQUIRED = ("name", "address", "latitude", "longitude", "department", *CLOSING_FIELDS)
HEADER_OF = {alias: name for name, aliases in COLUMNS.items() for alias in aliases}

CLOSED_WORDS = {"", "-", "–", "stängt", "stängd", "closed"}
PRIORITY_WORDS = {
    "hög": Priority.HIGH,
    "high": Priority.HIGH,
    "1": Priority.HIGH,
    "normal": Priority.NORMAL,
    "2": Priority.NORMAL,
    "låg": Priority.LOW,
    "low": Priority.LOW,
    "3": Priority.LOW,
}
TIME_PATTERN = re.compile(r"(\d{1,2})(?:[:.](\d{2}))?")


@dataclass
class RegisterRow(ImportRow):
    updates: bool = False


ImportPreview = TablePreview[RegisterRow]


def parse_register(data: bytes) -> ImportPreview:
    """Read and check every row of a register file, without writing anything."""
    preview = ImportPreview()
    try:
        preview.text, preview.encoding = decode(data)
    except FileRefused as refused:
        preview.errors.append(str(refused))
        return preview
    header_line = preview.text.lstrip("\r\n").split("\n", 1)[0]
    if not header_line.strip():
        preview.errors.append(_("The file is empty."))
        return preview
    # newline="" lets the csv module keep line breaks inside quoted cells (access notes).
    reader = csv.reader(
        io.StringIO(preview.text.lstrip("\r\n"), newline=""), delimiter=delimiter_of(header_line)
    )
    header = [cell.strip().lower() for cell in next(reader)]
    columns = _columns(header, preview)
    if preview.errors:
        return preview
    for number, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        if len(preview.rows) == MAX_ROWS:
            preview.errors.append(
                _("The file has more than {count} rows; split it.").format(count=MAX_ROWS)
            )
            return preview
        row = RegisterRow(line=number, cells={})
        if len(cells) != len(header):
            row.errors.append(
                _("The row has {cells} cells but the header has {columns}.").format(
                    cells=len(cells), columns=len(header)
                )
            )
        else:
            row.cells = {
                column: cell.strip() for column, cell in zip(columns, cells, strict=True) if column
            }
        preview.rows.append(row)
    if not preview.rows:
        preview.errors.append(_("The file has a header but no buildings."))
        return preview
    _check_rows(preview)
    return preview


def _columns(header: list[str], preview: ImportPreview) -> list[str | None]:
    """The field of each column (None for columns we do not read)."""
    columns: list[str | None] = []
    for title in header:
        name = HEADER_OF.get(title)
        if name in columns:
            preview.errors.append(_("The column “{title}” appears twice.").format(title=title))
        elif name is None and title:
            preview.ignored_columns.append(title)
        columns.append(name)
    missing = [COLUMNS[name][0] for name in REQUIRED if name not in columns]
    if missing:
        preview.errors.append(
            _(
                "Wrong columns: the file lacks {missing}. The first row must name the columns: {all}."
            ).format(
                missing=", ".join(missing),
                all="; ".join(COLUMNS[name][0] for name in REQUIRED),
            )
        )
    return columns


def _check_rows(preview: ImportPreview) -> None:
    departments = {d.name.lower(): d for d in Department.objects.all()}
    names = [row.cells.get("name", "").lower() for row in preview.rows]
    known = set(
        Property.objects.annotate(lower_name=Lower("name"))
        .filter(lower_name__in=names)
        .values_list("lower_name", flat=True)
    )
    first_line: dict[str, int] = {}
    for row in preview.rows:
        if row.errors:
            continue
        _check_row(row, departments)
        name = row.cells["name"].lower()
        if name in first_line:
            row.errors.append(
                _("The name “{name}” is already on row {line}.").format(
                    name=row.cells["name"], line=first_line[name]
                )
            )
        elif name:
            first_line[name] = row.line
        row.updates = name in known


def _check_row(row: RegisterRow, departments: dict[str, Department]) -> None:
    cells, values, errors = row.cells, row.values, row.errors
    for name, label in (("name", _("name")), ("address", _("address"))):
        if not cells[name]:
            errors.append(_("The {column} is empty.").format(column=label))
        elif len(cells[name]) > 200:
            errors.append(_("The {column} is longer than 200 characters.").format(column=label))
        values[name] = cells[name]

    for name in ("latitude", "longitude"):
        title = COLUMNS[name][0]
        try:
            # Swedish Excel writes a decimal comma.
            number = parse_coordinate(cells[name].replace(",", "."), name)
        except ValidationError as error:
            if error.code == "out_of_range":
                errors.append(
                    _("Column {column}: {value} is outside {low}–{high}.").format(
                        column=title, value=cells[name], low=-WGS84[name], high=WGS84[name]
                    )
                )
                continue
            number = None
        if number is None:
            errors.append(
                _("Column {column}: “{value}” is not a number.").format(
                    column=title, value=cells[name]
                )
            )
            continue
        values[name] = number
    if "latitude" in values and "longitude" in values:
        try:
            check_position(values["latitude"], values["longitude"])
        except ValidationError:
            errors.append(_("The position is outside Sweden: check latitude and longitude."))

    department = departments.get(cells["department"].lower())
    if department is None:
        errors.append(
            _("Unknown department “{name}”. Known departments: {known}.").format(
                name=cells["department"],
                known=", ".join(d.name for d in departments.values()),
            )
        )
    values["department"] = department

    for name in CLOSING_FIELDS:
        try:
            values[name] = parse_closing_time(cells[name])
        except ValueError:
            errors.append(
                _(
                    "Column {column}: “{value}” is not a time. Write it like 22:00, or leave it "
                    "empty when the building is closed all day."
                ).format(column=COLUMNS[name][0], value=cells[name])
            )

    if "priority" in cells:
        priority = PRIORITY_WORDS.get(cells["priority"].lower() or "normal")
        if priority is None:
            errors.append(
                _("Priority “{value}” is not one of hög, normal, låg.").format(
                    value=cells["priority"]
                )
            )
        values["priority"] = priority
    if "contact_email" in cells:
        try:
            if cells["contact_email"]:
                validate_email(cells["contact_email"])
        except ValidationError:
            errors.append(
                _("“{value}” is not an e-mail address.").format(value=cells["contact_email"])
            )
        values["contact_email"] = cells["contact_email"]
    if "access_notes" in cells:
        values["access_notes"] = cells["access_notes"]
    if "closed_dates" in cells:
        try:
            values["closed_dates"] = [
                parse_day(part) for part in re.split(r"[\s,]+", cells["closed_dates"]) if part
            ]
        except ValidationError:
            errors.append(
                _(
                    "Closed days “{value}” must be dates like 2026-12-24, separated by commas."
                ).format(value=cells["closed_dates"])
            )


def parse_closing_time(text: str) -> time | None:
    """22:00, 22.00 or 22 as a time; empty or "stängt" as closed all day. 24:00 is midnight."""
    text = text.strip().lower()
    if text in CLOSED_WORDS:
        return None
    match = TIME_PATTERN.fullmatch(text)
    if not match:
        raise ValueError(text)
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    if (hour, minute) == (24, 0):
        return time(0, 0)
    return time(hour, minute)  # raises ValueError when out of range
