from django.http import Http404

from trygghet.accounts.models import User
from trygghet.push.models import PushSubscription


def get_subscription_for_user(user: User, endpoint: str) -> PushSubscription:
    """The user's own device; another's is a 404, as if it did not exist."""
    subscription = PushSubscription.objects.filter(user=user, endpoint=endpoint).first()
    if subscription is None:
        raise Http404
    return subscription
