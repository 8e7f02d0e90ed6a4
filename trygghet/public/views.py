from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from trygghet.accounts.decorators import capability_required
from trygghet.accounts.policy import Capability
from trygghet.core.forms import submit
from trygghet.public.forms import REFUSED, TOO_MANY, PublicTextForm, ReportForm, report_allowed
from trygghet.public.models import PublicText
from trygghet.public.selectors import night_button_lines, night_button_status, public_sections
from trygghet.public.services import public_text_reset, public_text_save
from trygghet.public.texts import DEFAULTS


def _home(request, form: ReportForm, status: int = 200):
    context = {
        "sections": public_sections(),
        "status": night_button_status(),
        "lines": night_button_lines(),
        "form": form,
    }
    return render(request, "public/home.html", context, status=status)


@never_cache
def home(request):
    """The residents' page. Signed-in staff go to their own start page."""
    if request.user.is_authenticated:
        return redirect("start")
    return _home(request, ReportForm())


@never_cache
@require_POST
def report(request):
    """A resident's non-urgent report. Refused, with nothing saved, when a field is wrong, the
    hidden honeypot field is filled in, or the client has sent too many reports lately."""
    form = ReportForm(request.POST)
    if form.is_spam:
        form.add_error(None, REFUSED)
        return _home(request, form, status=400)
    if not form.is_valid():
        return _home(request, form, status=400)
    if not report_allowed(request):
        form.add_error(None, TOO_MANY)
        return _home(request, form, status=429)
    contact = form.save()
    if contact is None:
        return _home(request, form, status=400)
    request.session["report_reference"] = contact.reference
    return redirect("public:report-thanks", permanent=False)


@never_cache
def report_thanks(request):
    reference = request.session.get("report_reference")
    if not reference:
        return redirect("home")
    return render(request, "public/report_thanks.html", {"reference": reference})


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
    if request.method == "POST" and submit(
        form, lambda data: public_text_save(key=key, by=request.user, **data)
    ):
        messages.success(request, _("The text is saved and shown on the public page."))
        return redirect("public:text-list")
    return render(request, "public/text_edit.html", {"form": form, "key": key})


@require_POST
@capability_required(Capability.EDIT_PUBLIC_TEXTS)
def text_reset(request, key):
    if key not in DEFAULTS:
        raise Http404
    public_text_reset(key=key)
    messages.success(request, _("The default text is shown again."))
    return redirect("public:text-list")
