from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from trygghet.accounts.decorators import capability_required
from trygghet.accounts.policy import Capability
from trygghet.public.forms import PublicTextForm
from trygghet.public.models import PublicText
from trygghet.public.selectors import night_button_lines, night_button_status, public_sections
from trygghet.public.texts import DEFAULTS


@never_cache
def home(request):
    """The residents' page. Signed-in staff go to their own start page."""
    if request.user.is_authenticated:
        return redirect("start")
    context = {
        "sections": public_sections(),
        "status": night_button_status(),
        "lines": night_button_lines(),
    }
    return render(request, "public/home.html", context)


@capability_required(Capability.EDIT_PUBLIC_TEXTS)
def text_list(request):
    return render(
        request,
        "public/text_list.html",
        {
            "sections": public_sections(),
            "edited": set(PublicText.objects.values_list("key", flat=True)),
        },
    )


@capability_required(Capability.EDIT_PUBLIC_TEXTS)
def text_edit(request, key):
    if key not in DEFAULTS:
        raise Http404
    text = PublicText.objects.filter(key=key).first()
    if text is None:
        title, body = DEFAULTS[key]
        text = PublicText(key=key, title_sv=str(title), body_sv=str(body))
    form = PublicTextForm(request.POST or None, instance=text)
    if request.method == "POST" and form.is_valid():
        text = form.save(commit=False)
        text.updated_by = request.user
        text.save()
        messages.success(request, _("The text is saved and shown on the public page."))
        return redirect("public:text-list")
    return render(request, "public/text_edit.html", {"form": form, "key": key})


@require_POST
@capability_required(Capability.EDIT_PUBLIC_TEXTS)
def text_reset(request, key):
    if key not in DEFAULTS:
        raise Http404
    PublicText.objects.filter(key=key).delete()
    messages.success(request, _("The default text is shown again."))
    return redirect("public:text-list")
