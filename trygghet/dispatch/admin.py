"""Call-outs are made and moved along on the board and the phones (the services keep the
history); the admin reads them, cancels the open ones, and deletes positions past their time."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from trygghet.audit.admin import AuditedChangeAdmin
from trygghet.core.forms import error_text
from trygghet.dispatch.models import DispatchRequest, DispatchStep, Position, State
from trygghet.dispatch.services import dispatch_request_transition, position_purge


class ReadOnlyAdmin(AuditedChangeAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class StepInline(admin.TabularInline):
    model = DispatchStep
    extra = 0
    fields = readonly_fields = (
        "number",
        "at",
        "from_state",
        "state",
        "shift",
        "outcome",
        "by",
        "note",
    )
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(DispatchRequest)
class DispatchRequestAdmin(ReadOnlyAdmin):
    list_display = [
        "what",
        "requested_at",
        "priority",
        "source",
        "area",
        "state",
        "outcome",
        "shift",
    ]
    list_filter = ["state", "priority", "source", "outcome"]
    list_select_related = ["area", "shift"]
    search_fields = ["what", "place_text", "note", "id"]
    date_hierarchy = "requested_at"
    inlines = [StepInline]
    actions = ["cancel"]

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Call off the selected call-outs"))
    def cancel(self, request, queryset):
        done = 0
        for call_out in queryset.open():
            try:
                dispatch_request_transition(
                    request=call_out,
                    by=request.user,
                    to=State.CANCELLED,
                    version=call_out.version,
                    note=str(_("Called off in the admin.")),
                )
                done += 1
            except ValidationError as error:
                self.message_user(request, f"#{call_out.pk}: {error_text(error)}", messages.WARNING)
        self.message_user(
            request,
            ngettext("Called off %(count)d call-out.", "Called off %(count)d call-outs.", done)
            % {"count": done},
        )


@admin.register(DispatchStep)
class DispatchStepAdmin(ReadOnlyAdmin):
    list_display = ["request", "number", "at", "from_state", "state", "outcome", "by"]
    list_filter = ["state", "outcome"]
    list_select_related = ["request", "by"]
    search_fields = ["request__id", "by__username"]
    date_hierarchy = "at"

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Position)
class PositionAdmin(ReadOnlyAdmin):
    list_display = ["shift", "host", "recorded_at", "accuracy"]
    list_select_related = ["shift", "host"]
    search_fields = ["host__username"]
    date_hierarchy = "recorded_at"
    actions = ["purge"]

    @admin.action(description=_("Delete every position past its time (not only the selected)"))
    def purge(self, request, queryset):
        deleted = position_purge()
        self.message_user(
            request,
            ngettext("Deleted %(count)d position.", "Deleted %(count)d positions.", deleted)
            % {"count": deleted},
        )
