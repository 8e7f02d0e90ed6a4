from django.contrib import admin
from django.contrib.admin.utils import unquote

from trygghet.audit.models import Read, TokenUse
from trygghet.audit.reads import record_read


class ReadOnlyAdmin(admin.ModelAdmin):
    """The trail is append-only: the admin reads it, nobody adds, changes or deletes rows."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Read)
class ReadAdmin(ReadOnlyAdmin):
    list_display = ["at", "user", "subject_type", "subject_id", "what", "rows", "address", "reason"]
    list_filter = ["subject_type", "reason"]
    search_fields = ["user__username", "what"]
    date_hierarchy = "at"
    list_select_related = ["user"]


@admin.register(TokenUse)
class TokenUseAdmin(ReadOnlyAdmin):
    list_display = ["at", "user", "token", "method", "path", "status", "address"]
    list_filter = ["status", "method"]
    search_fields = ["user__username", "path"]
    date_hierarchy = "at"
    list_select_related = ["user", "token"]


class AuditedChangeAdmin(admin.ModelAdmin):
    """For the admin of a record that holds personal data: opening its change page writes an
    audit row, as its own page does."""

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "GET":
            obj = self.get_object(request, unquote(object_id))
            if obj is not None:
                record_read(request, obj)
        return super().change_view(request, object_id, form_url, extra_context)
