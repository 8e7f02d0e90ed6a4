"""The audit trail for DRF viewsets: one row per request whose list, export or record shows
personal data to this reader."""

from __future__ import annotations

from trygghet.audit.reads import record_list, record_read


class AuditedReads:
    """Put before the list's own mixins. A viewset says with `shows_personal_data()` whether
    this reader gets the personal shape. The API's readers are the desk roles and property
    owners, whom the reason rule never asks (hosts read their records on the pages), so a record
    read here is only recorded."""

    def shows_personal_data(self) -> bool:
        raise NotImplementedError

    def get_object(self):
        record = super().get_object()
        if self.shows_personal_data():
            record_read(self.request, record)
        return record

    def list(self, request, *args, **kwargs):
        """The page's rows, or for an export every row it streams (counted in the INSERT,
        before the first byte goes out)."""
        response = super().list(request, *args, **kwargs)
        if response.status_code == 200 and self.shows_personal_data():
            data = getattr(response, "data", None)
            queryset = self.get_queryset()
            if isinstance(data, dict) and "results" in data:
                rows = len(data["results"])
            elif isinstance(data, list):
                rows = len(data)
            else:
                rows = self.filter_queryset(queryset)
            record_list(request, queryset.model, rows=rows)
        return response
