from django.http import HttpResponse, HttpResponseBadRequest
from django.views.decorators.http import require_POST

from trygghet.accounts.decorators import capability_required
from trygghet.accounts.policy import Capability
from trygghet.core.forms import submit
from trygghet.push import services
from trygghet.push.forms import EndpointForm, SubscriptionForm
from trygghet.push.permissions import get_subscription_for_user

HOSTS = (Capability.WORK_SHIFTS,)


def _refused(form) -> HttpResponse:
    """The form's errors as one line of text, which the page shows under the button."""
    text = " ".join(str(message) for messages in form.errors.values() for message in messages)
    return HttpResponseBadRequest(text, content_type="text/plain; charset=utf-8")


@require_POST
@capability_required(*HOSTS)
def subscribe(request):
    """This phone's subscription (posted by the start page's script): 204 when saved."""
    form = SubscriptionForm(request.POST)
    saved = submit(
        form,
        lambda data: services.subscription_save(
            user=request.user, session_key=request.session.session_key, **data
        ),
    )
    if saved is None:
        return _refused(form)
    return HttpResponse(status=204)


@require_POST
@capability_required(*HOSTS)
def unsubscribe(request):
    form = EndpointForm(request.POST)
    if not form.is_valid():
        return _refused(form)
    subscription = get_subscription_for_user(request.user, form.cleaned_data["endpoint"])
    services.subscription_delete(subscription=subscription)
    return HttpResponse(status=204)
