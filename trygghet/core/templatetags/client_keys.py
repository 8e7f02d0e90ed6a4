import uuid

from django import template

register = template.Library()


@register.simple_tag
def new_client_key() -> uuid.UUID:
    """A fresh key for a form drawn by a template alone (one per button), so that its resend
    counts once like every other submission from the phone."""
    return uuid.uuid4()
