"""Admin for staff. Shifts and visits are read here and changed in the app, where the rules
(no host on two shifts, only the shift's hosts record presence) give clear messages; the actions
call the same services."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AdminTextareaWidget
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from patrols import services
from patrols.forms import AreaForm
from patrols.models import (
    Area,
    AreaVersion,
    Assignment,
    Consultation,
    PhoneLine,
    Shift,
    ShiftHost,
    Vehicle,
    Visit,
)
from patrols.selectors import with_hosts
from trygghet.core.forms import error_text


def _report(modeladmin, request, done: int, problems: list[str]) -> None:
    if done:
        modeladmin.message_user(
            request,
            ngettext("%(count)d changed.", "%(count)d changed.", done) % {"count": done},
        )
    for problem in problems:
        modeladmin.message_user(request, problem, level=messages.ERROR)


class AreaAdminForm(AreaForm):
    """The boundary is drawn on the app's map; here it is GeoJSON text, checked the same way."""

    boundary = forms.CharField(
        label=_("boundary"),
        widget=AdminTextareaWidget,
        help_text=Area._meta.get_field("boundary").help_text,
    )


class AreaVersionInline(admin.TabularInline):
    """The boundary's history, read only: a new version is made by changing the boundary."""

    model = AreaVersion
    fields = ["number", "created_at", "changed_by", "reason"]
    readonly_fields = ["number", "created_at", "changed_by", "reason"]
    extra = 0
    can_delete = False
    ordering = ["-number"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    form = AreaAdminForm
    list_display = ["name", "kind", "active", "updated_at"]
    list_filter = ["active", "kind"]
    search_fields = ["name", "notes"]
    date_hierarchy = "created_at"
    actions = ["take_out_of_use", "put_in_use"]
    fields = ["name", "kind", "notes", "boundary", "reason", "active"]
    inlines = [AreaVersionInline]

    def get_fields(self, request, obj=None):
        # A first boundary has no change to explain (the form has no reason then).
        return self.fields if obj else [name for name in self.fields if name != "reason"]

    def save_model(self, request, obj, form, change):
        """Through the services, so that a boundary changed here is a version too."""
        data = form.cleaned_data
        fields = {name: data[name] for name in ("name", "kind", "notes", "boundary")}
        if change:
            services.area_update(area=obj, by=request.user, reason=data.get("reason", ""), **fields)
            if "active" in form.changed_data:
                services.area_set_active(area=obj, active=data["active"])
        else:
            saved = services.area_create(by=request.user, active=data["active"], **fields)
            obj.pk, obj._state.adding = saved.pk, False

    @admin.action(description=_("Take selected areas out of use"))
    def take_out_of_use(self, request, queryset):
        for area in queryset:
            services.area_set_active(area=area, active=False)
        _report(self, request, len(queryset), [])

    @admin.action(description=_("Put selected areas back in use"))
    def put_in_use(self, request, queryset):
        for area in queryset:
            services.area_set_active(area=area, active=True)
        _report(self, request, len(queryset), [])


class ConsultationInline(admin.TabularInline):
    model = Consultation
    fields = ["party", "consulted_on", "note"]
    extra = 0


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    inlines = [ConsultationInline]
    list_display = [
        "area",
        "priority",
        "weekday_names",
        "start_time",
        "end_time",
        "valid_from",
        "valid_to",
        "consulted_with",
    ]
    list_filter = ["priority", "consulted_with", "area"]
    list_select_related = ["area"]
    search_fields = ["area__name", "reason", "consultation_note"]
    date_hierarchy = "valid_from"
    readonly_fields = ["created_by", "created_at"]
    actions = ["end_today"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    @admin.action(description=_("End selected assignments today"))
    def end_today(self, request, queryset):
        for assignment in queryset:
            services.assignment_end(assignment=assignment, on=timezone.localdate())
        _report(self, request, len(queryset), [])


@admin.register(Vehicle)
class VehicleAdmin(admin.ModelAdmin):
    list_display = ["name", "registration", "active"]
    list_filter = ["active"]
    search_fields = ["name", "registration"]


@admin.register(PhoneLine)
class PhoneLineAdmin(admin.ModelAdmin):
    list_display = ["number", "name", "night_button", "active"]
    list_filter = ["night_button", "active"]
    search_fields = ["number", "name"]


class ShiftHostInline(admin.TabularInline):
    model = ShiftHost
    fields = readonly_fields = ("host", "period", "cancelled")
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Shift)
class ShiftAdmin(admin.ModelAdmin):
    list_display = ["__str__", "planned_end", "state", "host_names", "vehicle", "phone_line"]
    list_filter = ["state", "vehicle", "phone_line"]
    list_select_related = ["vehicle", "phone_line"]
    search_fields = ["hosts__username", "hosts__first_name", "hosts__last_name", "summary"]
    date_hierarchy = "planned_start"
    inlines = [ShiftHostInline]
    readonly_fields = [
        "planned_start",
        "planned_end",
        "actual_start",
        "actual_end",
        "state",
        "vehicle",
        "phone_line",
        "summary",
        "created_by",
        "created_at",
    ]
    actions = ["cancel"]

    def get_queryset(self, request):
        return with_hosts(super().get_queryset(request))

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("hosts"))
    def host_names(self, shift) -> str:
        return ", ".join(str(row.host) for row in shift.shift_hosts.all())

    @admin.action(description=_("Cancel selected shifts"))
    def cancel(self, request, queryset):
        done, problems = 0, []
        for shift in queryset:
            try:
                services.shift_cancel(shift=shift)
                done += 1
            except ValidationError as error:
                problems.append(f"{shift}: {error_text(error)}")
        _report(self, request, done, problems)


@admin.register(Visit)
class VisitAdmin(admin.ModelAdmin):
    list_display = ["area", "arrived_at", "left_at", "dialogues", "recorded_by"]
    list_filter = ["area"]
    list_select_related = ["area", "recorded_by"]
    search_fields = ["area__name", "note", "recorded_by__username"]
    date_hierarchy = "arrived_at"
    readonly_fields = ["shift", "area", "arrived_at", "left_at", "dialogues", "recorded_by"]

    def has_add_permission(self, request):
        return False
