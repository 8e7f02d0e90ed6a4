from datetime import date

from django.core.exceptions import ValidationError
from django.urls import path, register_converter

from trygghet.core.parsing import parse_week
from trygghet.partners import views


class IsoWeekConverter:
    """A week in a URL as 2026-W47; a week that does not exist (W60, year 9999) is a 404."""

    regex = r"\d{4}-W\d{2}"

    def to_python(self, value: str) -> date:
        try:
            return parse_week(value)
        except ValidationError as error:
            raise ValueError(value) from error

    def to_url(self, value: date) -> str:
        return f"{value:%G-W%V}"


register_converter(IsoWeekConverter, "isoweek")

app_name = "partners"
urlpatterns = [
    path("reports/", views.report_list, name="report-list"),
    path(
        "organisations/<int:organisation>/weeks/<isoweek:week>/",
        views.report_edit,
        name="report-edit",
    ),
    path(
        "organisations/<int:organisation>/weeks/<isoweek:week>/upload/",
        views.report_upload,
        name="report-upload",
    ),
    path("organisations/<int:organisation>/layout/", views.upload_layout, name="upload-layout"),
]
