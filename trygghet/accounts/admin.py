from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from trygghet.accounts.models import ApiToken, Department, User
from trygghet.accounts.services import api_token_create, api_token_revoke


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name", "contact_email", "active"]
    list_filter = ["active"]
    search_fields = ["name", "contact_email"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "first_name", "last_name", "department", "is_active", "is_staff"]
    list_filter = ["is_active", "is_staff", "is_superuser", "groups", "department"]
    list_select_related = ["department"]
    fieldsets = [
        *(DjangoUserAdmin.fieldsets or ()),
        (_("Organisation"), {"fields": ["department", "lagesbild_email"]}),
    ]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "prefix", "created_at", "last_used_at", "revoked_at"]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter)]
    list_select_related = ["user"]
    search_fields = ["name", "prefix", "user__username"]
    date_hierarchy = "created_at"
    fields = ["user", "name", "prefix", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["prefix", "created_at", "last_used_at", "revoked_at"]
    actions = ["revoke"]

    def get_readonly_fields(self, request, obj=None):
        # A token's owner and name are fixed once its key has been handed out.
        return [*self.readonly_fields, "user", "name"] if obj else self.readonly_fields

    def save_model(self, request, obj, form, change):
        if change:
            return
        token, key = api_token_create(user=obj.user, name=obj.name)
        obj.pk, obj.prefix, obj.created_at = token.pk, token.prefix, token.created_at
        messages.warning(
            request,
            _(
                "The key of {name} is {key}. Copy it now: it is not stored and cannot be shown again."
            ).format(name=token.name, key=key),
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
