"""`/api/v1/partner-reports/`: a partner organisation's program sends its week and reads its
reports back. The same service as the form and the upload, so the same rules and messages."""

from __future__ import annotations

from typing import cast

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Prefetch
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.response import Response

from trygghet.accounts.models import Organisation, User
from trygghet.accounts.permissions import CapabilityPermission
from trygghet.core.drf import KnownQueryParameters
from trygghet.partners.models import ClosedWeek, ReportRow, ReportSource
from trygghet.partners.permissions import (
    REPORTERS,
    get_organisation_to_report_for,
    own_organisation,
    reports_for_all,
    reports_for_user,
)
from trygghet.partners.serializers import ReportInputSerializer, WeeklyReportSerializer
from trygghet.partners.services import (
    Names,
    RowsRefused,
    closed_message,
    is_closed,
    rows_named,
    rows_read,
    weekly_report_submit,
)


def with_rows(reports):
    """Each report with its rows, their areas and categories: two queries for any number."""
    return (
        reports.select_related("organisation")
        .annotate(closed=Exists(ClosedWeek.objects.filter(week=OuterRef("week"))))
        .prefetch_related(
            Prefetch("rows", queryset=ReportRow.objects.select_related("area", "category"))
        )
    )


@extend_schema(tags=["partners"])
class PartnerReportViewSet(
    KnownQueryParameters, mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """An EST partner organisation's weekly reports. POST sends a whole week: its rows replace
    the rows sent before (a correction) until the chief closes the week; the same rows again
    change nothing. Partner users report for their own organisation; the security chief names
    the organisation."""

    serializer_class = WeeklyReportSerializer
    permission_classes = [CapabilityPermission]
    read_capabilities = REPORTERS
    write_capabilities = REPORTERS

    def get_queryset(self):
        return with_rows(reports_for_user(cast(User, self.request.user)))

    @extend_schema(
        request=ReportInputSerializer,
        responses={
            201: WeeklyReportSerializer,
            200: OpenApiResponse(WeeklyReportSerializer, description="Corrected, or unchanged."),
            409: OpenApiResponse(description="The week is closed."),
        },
    )
    def create(self, request, *args, **kwargs):
        data = ReportInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = data.validated_data
        organisation = self._organisation(fields.get("organisation"))
        if is_closed(fields["week"]):
            return Response(
                {"detail": closed_message(fields["week"])}, status=status.HTTP_409_CONFLICT
            )
        names = Names(organisation)
        rows, errors = rows_named(names, dict(enumerate(fields["rows"])))
        if errors:
            errors = rows_read(
                organisation=organisation, week=fields["week"], rows=rows, errors=errors
            )
            return self._rows_refused(errors)
        try:
            submitted = weekly_report_submit(
                organisation=organisation,
                week=fields["week"],
                rows=list(rows.values()),
                by=request.user,
                source=ReportSource.API,
            )
        except RowsRefused as refused:
            return self._rows_refused(refused.rows)
        except ValidationError as error:
            if error.code == "week_closed":
                return Response({"detail": error.messages[0]}, status=status.HTTP_409_CONFLICT)
            raise
        report = self.get_queryset().get(pk=submitted.report.pk)
        return Response(
            WeeklyReportSerializer(report).data,
            status=status.HTTP_201_CREATED if submitted.created else status.HTTP_200_OK,
        )

    def _organisation(self, pk: int | None) -> Organisation:
        user = cast(User, self.request.user)
        if pk is not None:
            return get_organisation_to_report_for(user, pk)
        if reports_for_all(user):
            raise exceptions.ValidationError(
                {"organisation": [_("Name the organisation whose report this is.")]}
            )
        return own_organisation(user)

    @staticmethod
    def _rows_refused(errors: dict[int, dict[str, list[str]]]) -> Response:
        """As DRF answers a bad row of a list: the bad rows' errors by their index."""
        return Response(
            {"rows": {str(index): fields for index, fields in sorted(errors.items())}},
            status=status.HTTP_400_BAD_REQUEST,
        )


routes = [("partner-reports", PartnerReportViewSet, "partner-report")]
