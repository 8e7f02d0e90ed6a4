from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from properties.forms import PropertyForm
from properties.models import (
    Deviation,
    DeviationPhoto,
    DeviationState,
    DeviationStep,
    Property,
    PropertyCheck,
)
from properties.services import deviation_transition
from trygghet.audit.admin import AuditedChangeAdmin


@admin.register(Property)
class PropertyAdmin(admin.ModelAdmin):
    form = PropertyForm
    list_display = ["name", "address", "department", "priority", "active"]
    list_filter = ["active", "priority", "department"]
    list_select_related = ["department"]
    search_fields = ["name", "address"]


@admin.register(PropertyCheck)
class PropertyCheckAdmin(admin.ModelAdmin):
    list_display = ["property", "checked_at", "checked_by", "ok"]
    list_filter = ["ok", "property__department"]
    list_select_related = ["property", "checked_by"]
    search_fields = ["property__name", "checked_by__username"]
    date_hierarchy = "checked_at"
    raw_id_fields = ["property", "shift", "checked_by"]
    # A check is what a host recorded that night; it is read here, never rewritten.
    readonly_fields = ["property", "shift", "checked_by", "checked_at", "results", "ok"]

    def has_add_permission(self, request):
        return False


class DeviationStepInline(admin.TabularInline):
    model = DeviationStep
    extra = 0
    fields = readonly_fields = ("from_state", "state", "at", "by", "note")
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.display(description=_("photo"))
def photo_link(obj: DeviationPhoto) -> str:
    # Through the view that checks access: MEDIA_ROOT is never served as it is.
    return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), obj.image.name)


class DeviationPhotoInline(admin.TabularInline):
    model = DeviationPhoto
    extra = 0
    # Django takes callables here as well as names; the stubs allow names only.
    fields = readonly_fields = (photo_link, "created_at")  # type: ignore[assignment]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(DeviationPhoto)
class DeviationPhotoAdmin(AuditedChangeAdmin):
    """Photos are added with a check from the phone; here they can be found and removed."""

    list_display = ["deviation", photo_link, "created_at"]
    list_select_related = ["deviation__property"]
    search_fields = ["deviation__property__name"]
    date_hierarchy = "created_at"
    # Django takes callables here as well as names; the stubs allow names only.
    fields = readonly_fields = ("deviation", photo_link, "created_at")  # type: ignore[assignment]

    def has_add_permission(self, request):
        return False


@admin.register(Deviation)
class DeviationAdmin(AuditedChangeAdmin):
    list_display = ["property", "found_at", "state", "overdue", "notified_at"]
    list_filter = ["state", "property__department"]
    list_select_related = ["property"]
    search_fields = ["property__name", "description"]
    date_hierarchy = "found_at"
    inlines = [DeviationStepInline, DeviationPhotoInline]
    actions = ["acknowledge"]
    # The follow-up goes through its steps (the action below, or the deviation's page).
    readonly_fields = [
        "property_check",
        "property",
        "found_at",
        "items",
        "description",
        "actions",
        "action_note",
        "state",
        "resolved_at",
        "notified_at",
    ]

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("overdue"), boolean=True)
    def overdue(self, obj):
        return obj.is_overdue()

    @admin.action(description=_("Acknowledge selected deviations"))
    def acknowledge(self, request, queryset):
        done = 0
        for deviation in queryset.filter(state=DeviationState.OPEN):
            try:
                deviation_transition(
                    deviation=deviation, to=DeviationState.ACKNOWLEDGED, by=request.user
                )
            except ValidationError as error:
                self.message_user(request, f"{deviation}: {error.messages[0]}", messages.WARNING)
            else:
                done += 1
        self.message_user(
            request,
            ngettext(
                "Acknowledged %(count)d deviation.", "Acknowledged %(count)d deviations.", done
            )
            % {"count": done},
        )


@admin.register(DeviationStep)
class DeviationStepAdmin(AuditedChangeAdmin):
    """The follow-up history across all deviations; append-only, so read-only here."""

    list_display = ["deviation", "from_state", "state", "at", "by"]
    list_filter = ["state"]
    list_select_related = ["deviation__property", "by"]
    search_fields = ["deviation__property__name", "note", "by__username"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
