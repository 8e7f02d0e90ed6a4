"""The phones that get notifications, and each push request with the time it took from the
event to leaving the server. Read-only: subscriptions come from the phones and go with their
sessions; deleting one here stops that phone's notifications."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from trygghet.push.models import PushDelivery, PushSubscription


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(PushSubscription)
class PushSubscriptionAdmin(ReadOnlyAdmin):
    list_display = ("user", "created_at", "last_used_at")
    list_select_related = ("user",)
    search_fields = ("user__username",)
    fields = ("user", "user_session", "created_at", "last_used_at")


@admin.register(PushDelivery)
class PushDeliveryAdmin(ReadOnlyAdmin):
    list_display = ("url", "event_at", "sent_at", "seconds", "status")
    list_filter = ("status",)
    search_fields = ("url",)
    date_hierarchy = "sent_at"

    @admin.display(description=_("seconds from the event"))
    def seconds(self, delivery: PushDelivery) -> str:
        return f"{delivery.delay.total_seconds():.2f}"
