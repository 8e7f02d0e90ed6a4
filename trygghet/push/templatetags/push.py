from django import template
from django.conf import settings

from trygghet.push.services import push_enabled

register = template.Library()


@register.simple_tag
def push_public_key() -> str:
    """The key the browser subscribes with (its applicationServerKey); empty while push is off."""
    return settings.VAPID_PUBLIC_KEY if push_enabled() else ""
