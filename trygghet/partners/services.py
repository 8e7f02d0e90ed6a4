"""Writing an organisation's weekly report: the one path the form, the upload and the API take.

A report is the organisation's whole week: each submission replaces the rows before it (a
correction), in one transaction, until the chief closes the week. Sending the same rows again
changes nothing, so a program may resend freely.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from incidents.models import Category, CategoryKind
from patrols.geo import AreaLocator
from patrols.models import Area
from patrols.positions import check_position
from trygghet.accounts.models import Organisation, User
from trygghet.core.parsing import SHORT_TEXT
from trygghet.core.periods import week_of
from trygghet.partners.closing import hold_week
from trygghet.partners.models import (
    MAX_COUNT,
    CategoryMapping,
    ClosedWeek,
    ReportRow,
    ReportSource,
    UploadLayout,
    WeeklyReport,
)

# A week of one organisation's events fits in far fewer; more is a file of something else.
MAX_ROWS = 2000


@dataclass(frozen=True)
class RowInput:
    """One row as the partner gave it, already read into values (dates, numbers, rows of the
    database); what the values may be is checked by report_rows_check."""

    night: date
    category: Category
    count: int
    note: str = ""
    area: Area | None = None
    latitude: Decimal | None = None
    longitude: Decimal | None = None


class RowsRefused(ValidationError):
    """Some rows cannot be taken: `rows` holds each bad row's messages by field, keyed by the
    row's index in what was sent."""

    def __init__(self, rows: dict[int, dict[str, list[str]]]):
        self.rows = rows
        super().__init__(
            [
                _("Row {number}: {message}").format(number=index + 1, message=message)
                for index, fields in sorted(rows.items())
                for messages in fields.values()
                for message in messages
            ],
            code="rows",
        )


@dataclass(frozen=True)
class Submitted:
    report: WeeklyReport
    created: bool
    changed: bool


def week_label(week: date) -> str:
    """ "v. 47 (16–22 november 2026)": the week as the EST group says it, with its days."""
    number = _("w. {number}").format(number=week.isocalendar().week)
    return f"{number} ({week_of(week).label()})"


def is_closed(week: date) -> bool:
    return ClosedWeek.objects.filter(week=week).exists()


def closed_message(week: date) -> str:
    return _(
        "{week} is closed: the chief has closed it, so its reports can no longer be "
        "changed. Ask the security chief if something must be corrected."
    ).format(week=week_label(week))


def areas_seen_by(organisation: Organisation) -> QuerySet[Area]:
    """The areas an organisation reports in: every active one, or those chosen for it."""
    areas = Area.objects.active()
    if organisation.all_areas:
        return areas
    return areas.filter(organisations=organisation)


def event_categories() -> QuerySet[Category]:
    return Category.objects.active().filter(kind=CategoryKind.EVENT)


def category_names(organisation: Organisation) -> dict[str, Category]:
    """Every name a partner may give a category by, in lower case: our code, our Swedish and
    English names, and the organisation's own names (which win where they clash)."""
    names: dict[str, Category] = {}
    for category in Category.objects.active():
        for name in (category.code, category.name_sv, category.name_en):
            names.setdefault(name.strip().lower(), category)
    for mapping in CategoryMapping.objects.filter(organisation=organisation).select_related(
        "category"
    ):
        names[mapping.their_name.strip().lower()] = mapping.category
    return names


def area_names(organisation: Organisation) -> dict[str, Area]:
    return {area.name.strip().lower(): area for area in areas_seen_by(organisation)}


def upload_layout_for(organisation: Organisation) -> UploadLayout:
    """The organisation's saved layout, or the default one (not saved) when it has none."""
    try:
        return organisation.upload_layout
    except UploadLayout.DoesNotExist:
        return UploadLayout(organisation=organisation)


def upload_layout_save(
    *,
    organisation: Organisation,
    mappings: Sequence[tuple[str, Category]] | None = None,
    **columns: str,
) -> UploadLayout:
    """The organisation's layout, and its own names for our categories when given: both or
    neither."""
    with transaction.atomic():
        layout, _created = UploadLayout.objects.update_or_create(
            organisation=organisation, defaults=columns
        )
        if mappings is not None:
            category_mappings_replace(organisation=organisation, mappings=mappings)
    return layout


def category_mappings_replace(
    *, organisation: Organisation, mappings: Sequence[tuple[str, Category]]
) -> list[CategoryMapping]:
    """The organisation's own names for our categories become `mappings`, all at once."""
    seen: set[str] = set()
    for name, category in mappings:
        if name.strip().lower() in seen:
            raise ValidationError(
                _("The name “{name}” is given twice.").format(name=name), code="duplicate"
            )
        seen.add(name.strip().lower())
        if category.kind != CategoryKind.EVENT:
            raise ValidationError(
                _("“{name}” is not an event category: report events only.").format(
                    name=category.name
                ),
                code="not_event",
            )
    with transaction.atomic():
        CategoryMapping.objects.filter(organisation=organisation).delete()
        return CategoryMapping.objects.bulk_create(
            CategoryMapping(organisation=organisation, their_name=name.strip(), category=category)
            for name, category in mappings
        )


def report_rows_check(
    *, organisation: Organisation, week: date, rows: Sequence[RowInput]
) -> tuple[list[RowInput], dict[int, dict[str, list[str]]]]:
    """The rows as they will be stored (positions rounded, the area found from the position)
    and each bad row's messages by field."""
    areas = list(areas_seen_by(organisation).only("id", "name", "boundary"))
    visible = {area.pk for area in areas}
    locator = AreaLocator(areas) if any(row.latitude is not None for row in rows) else None
    last = week + timedelta(days=6)
    checked: list[RowInput] = []
    errors: dict[int, dict[str, list[str]]] = {}
    for index, row in enumerate(rows):
        problems: dict[str, list[str]] = {}

        def refuse(field: str, message: str, problems=problems) -> None:
            problems.setdefault(field, []).append(message)

        if not week <= row.night <= last:
            refuse(
                "night",
                _("{night} is not in week {week}.").format(
                    night=date_format(row.night, "j F Y"), week=week_label(week)
                ),
            )
        if row.category.kind != CategoryKind.EVENT or not row.category.active:
            refuse(
                "category",
                _("“{name}” is not an event category: report events only.").format(
                    name=row.category.name
                ),
            )
        if not 1 <= row.count <= MAX_COUNT:
            refuse(
                "count",
                _("The count must be a whole number from 1 to {largest}.").format(
                    largest=MAX_COUNT
                ),
            )
        if len(row.note) > SHORT_TEXT:
            refuse(
                "note",
                _("The note is longer than {length} characters.").format(length=SHORT_TEXT),
            )
        latitude, longitude = row.latitude, row.longitude
        try:
            latitude, longitude = check_position(row.latitude, row.longitude)
        except ValidationError as error:
            for message in error.messages:
                refuse("latitude", message)
        area = row.area
        if area is not None and area.pk not in visible:
            refuse(
                "area",
                _("Your organisation does not report in the area “{name}”.").format(name=area.name),
            )
        if area is None and latitude is not None and longitude is not None and locator:
            area = locator.locate(lat=float(latitude), lon=float(longitude))
        if row.area is None and latitude is None:
            refuse("area", _("Choose an area or a place on the map."))
        if problems:
            errors[index] = problems
        else:
            checked.append(
                RowInput(
                    night=row.night,
                    category=row.category,
                    count=row.count,
                    note=row.note.strip(),
                    area=area,
                    latitude=latitude,
                    longitude=longitude,
                )
            )
    return checked, errors


STORED = ("night", "category_id", "count", "note", "area_id", "latitude", "longitude")


def _content(rows: Sequence[RowInput]) -> Counter:
    """What the rows say, whatever their order: a resend of the same is no change."""
    return Counter(
        (
            row.night,
            row.category.pk,
            row.count,
            row.note,
            row.area.pk if row.area else None,
            row.latitude,
            row.longitude,
        )
        for row in rows
    )


def weekly_report_submit(
    *,
    organisation: Organisation,
    week: date,
    rows: Sequence[RowInput],
    by: User,
    source: ReportSource,
) -> Submitted:
    """The organisation's report for the week, made or corrected: its rows become `rows`.

    Refused whole (nothing written) when the week is closed or any row is bad. The same rows
    again (in any order) write nothing."""
    if week.isoweekday() != 1:
        raise ValidationError({"week": _("A week starts on a Monday.")}, code="not_monday")
    if len(rows) > MAX_ROWS:
        raise ValidationError(
            _("A report has at most {count} rows.").format(count=MAX_ROWS), code="too_many"
        )
    with transaction.atomic():
        # One submission at a time per organisation: two corrections sent at once end as one
        # of them, never as the rows of both.
        Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
        hold_week(week)
        if is_closed(week):
            raise ValidationError(closed_message(week), code="week_closed")
        checked, errors = report_rows_check(organisation=organisation, week=week, rows=rows)
        if errors:
            raise RowsRefused(errors)
        report = WeeklyReport.objects.filter(organisation=organisation, week=week).first()
        created = report is None
        if report is None:
            report = WeeklyReport.objects.create(
                organisation=organisation, week=week, source=source, submitted_by=by
            )
        elif Counter(report.rows.values_list(*STORED)) == _content(checked):
            return Submitted(report=report, created=False, changed=False)
        else:
            report.rows.all().delete()
            report.source, report.submitted_by = source, by
            report.save(update_fields=["source", "submitted_by", "updated_at"])
        ReportRow.objects.bulk_create(
            ReportRow(
                report=report,
                night=row.night,
                category=row.category,
                count=row.count,
                note=row.note,
                area=row.area,
                latitude=row.latitude,
                longitude=row.longitude,
            )
            for row in checked
        )
    return Submitted(report=report, created=created, changed=True)


class Names:
    """What a partner calls a category or an area, read for their organisation: a category by our
    code, our name or the organisation's own name for it; an area by its name or its id, among
    the areas the organisation reports in. Case does not matter."""

    def __init__(self, organisation: Organisation):
        self.categories = category_names(organisation)
        self.areas = area_names(organisation)
        self.area_ids = {area.pk: area for area in self.areas.values()}

    def category(self, text: str) -> Category:
        category = self.categories.get(text.strip().lower())
        if category is None:
            raise ValidationError(
                _(
                    "Unknown category “{name}”: use one of the municipality's categories or a "
                    "name your organisation has mapped to one."
                ).format(name=text),
                code="unknown_category",
            )
        return category

    def area(self, value: str | int | None) -> Area | None:
        if value is None or value == "":
            return None
        area = (
            self.area_ids.get(value)
            if isinstance(value, int)
            else self.areas.get(str(value).strip().lower())
        )
        if area is None:
            raise ValidationError(
                _("Unknown area “{name}”. Your organisation's areas: {known}.").format(
                    name=value, known=", ".join(sorted(a.name for a in self.areas.values()))
                ),
                code="unknown_area",
            )
        return area


def rows_read(
    *,
    organisation: Organisation,
    week: date,
    rows: dict[int, RowInput],
    errors: dict[int, dict[str, list[str]]],
) -> dict[int, dict[str, list[str]]]:
    """Every row's errors at once, for rows read from a file or a request: those found while
    reading (`errors`, an unknown name) and the rules' (`rows`, the ones that could be read), by
    each row's index in what was sent."""
    order = sorted(rows)
    _checked, found = report_rows_check(
        organisation=organisation, week=week, rows=[rows[index] for index in order]
    )
    merged = {index: dict(problems) for index, problems in errors.items()}
    for position, problems in found.items():
        merged.setdefault(order[position], {}).update(problems)
    return merged


def rows_named(
    names: Names, raw: dict[int, dict]
) -> tuple[dict[int, RowInput], dict[int, dict[str, list[str]]]]:
    """Rows whose area and category are given by name (or the area by id), as RowInputs, and
    the errors of those whose names are unknown; both by each row's index."""
    rows: dict[int, RowInput] = {}
    errors: dict[int, dict[str, list[str]]] = {}
    for index, row in raw.items():
        problems: dict[str, list[str]] = {}
        area = category = None
        try:
            area = names.area(row.get("area"))
        except ValidationError as error:
            problems["area"] = error.messages
        try:
            category = names.category(row["category"])
        except ValidationError as error:
            problems["category"] = error.messages
        if problems or category is None:
            errors[index] = problems
            continue
        rows[index] = RowInput(
            night=row["night"],
            category=category,
            count=row["count"],
            note=row.get("note", ""),
            area=area,
            latitude=row.get("latitude"),
            longitude=row.get("longitude"),
        )
    return rows, errors
