"""Reading the files people save from Excel, for every import: the register of buildings and the
partners' weekly reports.

Swedish Excel saves "CSV (semicolon separated)" in Windows-1252, "CSV UTF-8" with a byte-order
mark, and "Unicode text" in UTF-16 with tabs; all three are read, and the caller can say which
one was assumed. Nothing here knows what the columns mean.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Generic, TypeVar

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

ENCODING_LABELS = {
    "utf-8": gettext_lazy("UTF-8"),
    "cp1252": gettext_lazy("Windows-1252 (Excel's “CSV semicolon separated”)"),
    "utf-16": gettext_lazy("UTF-16 (Excel's “Unicode text”)"),
}

# A .xlsx workbook (or any zip archive) starts with this.
ZIP_SIGNATURE = b"PK\x03\x04"


@dataclass
class ImportRow:
    """A row of the file: its line number, its cells by field, what they mean, what is wrong."""

    line: int
    cells: dict[str, str]
    values: dict = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)


RowT = TypeVar("RowT", bound=ImportRow)


@dataclass
class TablePreview(Generic[RowT]):
    """What an import would do, before anything is written: every row with its values or its
    errors, and what is wrong with the file as a whole. Only a file without any error is taken."""

    encoding: str = ""
    text: str = ""
    rows: list[RowT] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)

    @property
    def is_valid(self) -> bool:
        return bool(self.rows) and not self.errors and not any(row.errors for row in self.rows)

    @property
    def bad_rows(self) -> list[RowT]:
        return [row for row in self.rows if row.errors]

    @property
    def encoding_label(self) -> str:
        return str(ENCODING_LABELS.get(self.encoding, self.encoding))


class FileRefused(Exception):
    """The file as a whole cannot be read; the message says why and what to do."""


def is_workbook(data: bytes) -> bool:
    return data.startswith(ZIP_SIGNATURE)


def decode(data: bytes) -> tuple[str, str]:
    """The text of the file and the encoding it was read in."""
    if is_workbook(data):
        raise FileRefused(
            _(
                "This is an Excel workbook, not a CSV file. In Excel, choose Save as and "
                "“CSV UTF-8” or “CSV (semicolon separated)”."
            )
        )
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            pass
    elif b"\x00" not in data:
        try:
            return data.decode("utf-8-sig"), "utf-8"
        except UnicodeDecodeError:
            pass
        try:
            # Swedish Excel's "CSV (semicolon separated)". Five byte values are undefined in
            # Windows-1252, so a file that is neither is still refused here.
            return data.decode("cp1252"), "cp1252"
        except UnicodeDecodeError:
            pass
    raise FileRefused(
        _(
            "The file is not text in UTF-8 or Windows-1252, so it cannot be read as CSV. "
            "Save it from Excel as “CSV UTF-8” and try again."
        )
    )


def delimiter_of(header_line: str) -> str:
    """The separator the header row uses most: Swedish Excel writes `;`, others `,` or a tab."""
    return max(";,\t", key=header_line.count)
