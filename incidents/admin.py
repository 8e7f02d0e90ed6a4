from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from incidents.models import (
    Category,
    CitizenContact,
    DepartmentTask,
    DepartmentTaskStep,
    Escalation,
    FollowUp,
    FollowUpState,
    Incident,
    IncidentPhoto,
    IncidentVersion,
    NightButtonCall,
    ServiceNumber,
)
from incidents.services import incident_set_state
from trygghet.audit.admin import AuditedChangeAdmin
from trygghet.core.forms import error_text


class RecordAdmin(AuditedChangeAdmin):
    """What the hosts record is created through the app's services (shift rules, retry keys,
    history); the admin reads it and moves follow-ups along."""

    show_full_result_count = False  # a count over a million incidents on every page is slow

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = [
        "name_sv",
        "name_en",
        "code",
        "group",
        "kind",
        "department",
        "default_severity",
        "colour",
        "quick_log",
        "active",
        "position",
    ]
    list_editable = ["quick_log", "active", "position"]
    list_filter = ["kind", "group", "department", "active", "quick_log"]
    list_select_related = ["department"]
    search_fields = ["name_sv", "name_en", "code"]


@admin.register(ServiceNumber)
class ServiceNumberAdmin(admin.ModelAdmin):
    list_display = ["name", "number", "service", "active", "position"]
    list_editable = ["active", "position"]
    list_filter = ["service", "active"]
    search_fields = ["name", "number"]


class PhotoInline(admin.TabularInline):
    model = IncidentPhoto
    extra = 0
    fields = readonly_fields = ("image", "uploaded_by", "uploaded_at")
    can_delete = False


class FollowUpInline(admin.TabularInline):
    model = FollowUp
    extra = 0
    fields = readonly_fields = ("state", "note", "by", "at")
    can_delete = False


@admin.register(Incident)
class IncidentAdmin(RecordAdmin):
    list_display = ["id", "occurred_at", "category", "severity", "area", "source", "state"]
    list_filter = ["state", "source", "severity", "category"]
    list_select_related = ["category", "area"]
    search_fields = ["id", "place_text", "description"]
    date_hierarchy = "occurred_at"
    inlines = [PhotoInline, FollowUpInline]
    actions = ["mark_in_progress", "mark_closed"]

    def _set_state(self, request, queryset, state):
        done = 0
        for incident in queryset:
            try:
                incident_set_state(
                    incident=incident, by=request.user, state=state, note=_("Set in the admin.")
                )
                done += 1
            except ValidationError as error:
                self.message_user(request, f"#{incident.pk}: {error_text(error)}", messages.WARNING)
        self.message_user(
            request,
            ngettext("Updated %(count)d incident.", "Updated %(count)d incidents.", done)
            % {"count": done},
        )

    @admin.action(description=_("Mark selected incidents in progress"))
    def mark_in_progress(self, request, queryset):
        self._set_state(request, queryset, FollowUpState.IN_PROGRESS)

    @admin.action(description=_("Close selected incidents"))
    def mark_closed(self, request, queryset):
        self._set_state(request, queryset, FollowUpState.CLOSED)


@admin.register(IncidentVersion)
class IncidentVersionAdmin(RecordAdmin):
    list_display = ["pgh_obj", "pgh_created_at", "pgh_label", "category", "severity"]
    list_select_related = ["pgh_obj", "category"]
    date_hierarchy = "pgh_created_at"
    search_fields = ["pgh_obj__id", "description"]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Escalation)
class EscalationAdmin(RecordAdmin):
    list_display = ["incident", "service", "service_number", "called_at", "arrived_at", "reference"]
    list_filter = ["service"]
    list_select_related = ["incident", "incident__category", "service_number"]
    search_fields = ["reference", "incident__id"]
    date_hierarchy = "called_at"


@admin.register(CitizenContact)
class CitizenContactAdmin(RecordAdmin):
    list_display = ["received_at", "channel", "phone_line", "category", "outcome", "incident"]
    list_filter = ["channel", "outcome", "category"]
    list_select_related = ["phone_line", "category", "incident", "incident__category"]
    search_fields = ["reason"]
    date_hierarchy = "received_at"


@admin.register(NightButtonCall)
class NightButtonCallAdmin(RecordAdmin):
    list_display = ["started_at", "ended_at", "phone_line", "host", "outcome", "outside_hours"]
    list_filter = ["outcome", "outside_hours", "phone_line"]
    list_select_related = ["phone_line", "host"]
    search_fields = ["host__username"]
    date_hierarchy = "started_at"


class DepartmentTaskStepInline(admin.TabularInline):
    model = DepartmentTaskStep
    extra = 0
    fields = readonly_fields = ("from_state", "state", "at", "by", "note")
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(DepartmentTask)
class DepartmentTaskAdmin(RecordAdmin):
    """Street issues are made when the hosts log them and followed up by the department on its
    pages; here they are read."""

    list_display = ["incident", "department", "found_at", "state", "overdue", "notified_at"]
    list_filter = ["state", "department"]
    list_select_related = ["incident__category", "department"]
    search_fields = ["department__name", "incident__category__name_sv"]
    date_hierarchy = "found_at"
    raw_id_fields = ["incident"]
    inlines = [DepartmentTaskStepInline]

    @admin.display(description=_("overdue"), boolean=True)
    def overdue(self, obj):
        return obj.is_overdue()


@admin.register(DepartmentTaskStep)
class DepartmentTaskStepAdmin(RecordAdmin):
    """The follow-up history across all street-issue tasks; append-only."""

    list_display = ["task", "from_state", "state", "at", "by"]
    list_filter = ["state"]
    list_select_related = ["task__department", "by"]
    search_fields = ["task__department__name", "note", "by__username"]
    date_hierarchy = "at"
