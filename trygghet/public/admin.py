from django.contrib import admin

from trygghet.public.models import PublicText


@admin.register(PublicText)
class PublicTextAdmin(admin.ModelAdmin):
    list_display = ["key", "title_sv", "updated_at", "updated_by"]
    list_select_related = ["updated_by"]
    search_fields = ["title_sv", "body_sv", "title_en", "body_en"]
    readonly_fields = ["updated_at", "updated_by"]
