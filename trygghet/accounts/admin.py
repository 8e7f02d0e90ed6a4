from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from trygghet.accounts.models import (
    ApiToken,
    Department,
    Organisation,
    ProviderGroup,
    ProviderIdentity,
    User,
)
from trygghet.accounts.services import (
    api_token_create,
    api_token_revoke,
    user_password_changed,
    user_sessions_end,
)


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name", "contact_email", "active"]
    list_filter = ["active"]
    search_fields = ["name", "contact_email"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    """The areas an organisation sees are chosen on the chief's page of partner organisations
    (or on each area here); the rest of its scope here too."""

    list_display = ["name", "kind", "all_areas", "agreement", "reports_weekly", "active"]
    list_filter = ["kind", "active", "all_areas"]
    search_fields = ["name", "contact_email"]


class ProviderIdentityInline(admin.StackedInline):
    """Read only: the identity is made by the first sign-in through the provider."""

    model = ProviderIdentity
    fields = ["issuer", "subject", "created_at", "last_sign_in_at"]
    readonly_fields = ["issuer", "subject", "created_at", "last_sign_in_at"]
    can_delete = False
    extra = 0
    max_num = 0


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = [
        "username",
        "first_name",
        "last_name",
        "department",
        "organisation",
        "is_active",
        "is_staff",
    ]
    list_filter = ["is_active", "is_staff", "is_superuser", "groups", "department", "organisation"]
    list_select_related = ["department", "organisation"]
    fieldsets = [
        *(DjangoUserAdmin.fieldsets or ()),
        (_("Organisation"), {"fields": ["department", "organisation", "lagesbild_email"]}),
    ]
    inlines = [ProviderIdentityInline]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # Deactivated means signed out now, on every device.
        if change and "is_active" in form.changed_data and not obj.is_active:
            user_sessions_end(user=obj)

    def user_change_password(self, request, id, form_url=""):
        before = request.session.session_key
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:  # the new password is set
            user_password_changed(
                user=self.get_object(request, id),
                session_before=before,
                session_now=request.session.session_key,
            )
        return response


@admin.register(ProviderGroup)
class ProviderGroupAdmin(admin.ModelAdmin):
    """Which group at the identity provider gives which role and department or partner
    organisation (docs/sign-in.md)."""

    list_display = ["name", "role", "department", "organisation"]
    list_filter = ["role", "department", "organisation"]
    list_select_related = ["department", "organisation"]
    search_fields = ["name"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "user",
        "prefix",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
    ]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter)]
    list_select_related = ["user"]
    search_fields = ["name", "prefix", "user__username"]
    date_hierarchy = "created_at"
    fields = ["user", "name", "expires_at", "prefix", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["prefix", "created_at", "last_used_at", "revoked_at"]
    actions = ["revoke"]

    def get_readonly_fields(self, request, obj=None):
        # A token's owner, name and end are fixed once its key has been handed out.
        return (
            [*self.readonly_fields, "user", "name", "expires_at"] if obj else self.readonly_fields
        )

    def save_model(self, request, obj, form, change):
        if change:
            return
        token, key = api_token_create(user=obj.user, name=obj.name, expires_at=obj.expires_at)
        obj.pk, obj.prefix, obj.created_at = token.pk, token.prefix, token.created_at
        messages.warning(
            request,
            _(
                "The key of {name} is {key}. Copy it now: it is not stored and cannot be shown "
                "again. It expires on {date}."
            ).format(name=token.name, key=key, date=date_format(localtime(token.expires_at))),
        )

    @admin.action(description=_("Revoke selected tokens"))
    def revoke(self, request, queryset):
        for token in queryset:
            api_token_revoke(token=token)
        count = len(queryset)
        self.message_user(
            request,
            ngettext("Revoked %(count)d token.", "Revoked %(count)d tokens.", count)
            % {"count": count},
        )
