"""Open311 GeoReport v2: residents' non-urgent reports from apps and other web sites.

The services are the categories the public report form offers; a posted request goes through
that form (its fields, limits, honeypot and rate limit) and becomes the same waiting web contact.
Answers are JSON or XML, chosen by the extension, with the spec's error list on refusal.
"""

from __future__ import annotations

import json
from typing import Any
from xml.etree import ElementTree

from django.http import HttpResponse, QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from incidents.models import CitizenContact
from trygghet.public.forms import REFUSED, TOO_MANY, ReportForm, report_allowed

FORMATS = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}

# The form's field for each Open311 parameter, and back again for the error descriptions.
FIELDS = {
    "service_code": "category",
    "description": "reason",
    "address_string": "place_text",
    "lat": "latitude",
    "long": "longitude",
}
PARAMETERS = {field: parameter for parameter, field in FIELDS.items()}
PARAMETERS["contact_details"] = "email"
# Whatever a resident gives of these is kept as the form's optional contact details.
CONTACT = ("first_name", "last_name", "email", "phone")


def _xml(value: Any, tag: str, item: str) -> ElementTree.Element:
    element = ElementTree.Element(tag)
    if isinstance(value, list):
        element.extend(_xml(entry, item, item) for entry in value)
    elif isinstance(value, dict):
        element.extend(_xml(entry, key, key[:-1]) for key, entry in value.items())
    elif isinstance(value, bool):
        element.text = "true" if value else "false"
    elif value is not None:
        element.text = str(value)
    return element


def _answer(data: Any, fmt: str, root: str, item: str, status: int = 200) -> HttpResponse:
    """`data` as the spec writes it: JSON as is, XML as <root> of <item>s (a dict's list members
    hold elements named by their singular)."""
    if fmt == "xml":
        body = ElementTree.tostring(_xml(data, root, item), encoding="UTF-8", xml_declaration=True)
    else:
        body = json.dumps(data, ensure_ascii=False).encode()
    return HttpResponse(body, status=status, content_type=FORMATS[fmt])


def _errors(fmt: str, status: int, *descriptions: str) -> HttpResponse:
    rows = [{"code": status, "description": str(text)} for text in descriptions]
    return _answer(rows, fmt if fmt in FORMATS else "json", "errors", "error", status)


def _not_found(fmt: str) -> HttpResponse:
    return _errors(fmt, 404, _("Not found"))


def _service(category) -> dict[str, Any]:
    group = category.get_group_display()
    return {
        "service_code": category.code,
        "service_name": category.name_sv,
        "description": _("A non-urgent report to the safety hosts: %(name)s.")
        % {"name": category.name_sv},
        "metadata": False,
        "type": "realtime",
        "keywords": ", ".join([category.code, str(group)]),
        "group": str(group),
    }


@never_cache
@require_GET
def services(request, fmt):
    if fmt not in FORMATS:
        return _not_found(fmt)
    rows = [_service(category) for category in ReportForm().fields["category"].queryset]
    return _answer(rows, fmt, "services", "service")


@never_cache
@require_GET
def service(request, code, fmt):
    category = ReportForm().fields["category"].queryset.filter(code=code).first()
    if fmt not in FORMATS or category is None:
        return _not_found(fmt)
    # No extra questions (metadata is false), so the definition has no attributes.
    definition = {"service_code": category.code, "attributes": []}
    return _answer(definition, fmt, "service_definition", "attribute")


def _posted(request) -> QueryDict | None:
    """The request's parameters: form-encoded as the spec says, or a JSON object."""
    if request.content_type != "application/json":
        return request.POST
    try:
        data = json.loads(request.body)
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    posted = QueryDict(mutable=True)
    posted.update({key: "" if value is None else str(value) for key, value in data.items()})
    return posted


def _form_data(posted: QueryDict) -> dict[str, str]:
    data = {field: posted.get(parameter, "") for parameter, field in FIELDS.items()}
    contact = [posted.get(name, "").strip() for name in CONTACT]
    data["contact_details"] = ", ".join(part for part in contact if part)
    data["website"] = posted.get("website", "")
    return data


def _form_errors(form: ReportForm) -> list[str]:
    return [
        f"{PARAMETERS[field]}: {message}" if field in PARAMETERS else str(message)
        for field, messages in form.errors.items()
        for message in messages
    ]


@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def requests(request, fmt):
    """POST: a resident's report from an app, under the same rules as the public page's form.
    GET, the list, is not offered: it would show residents' reports to anyone."""
    if fmt not in FORMATS:
        return _not_found(fmt)
    if request.method == "GET":
        return _errors(fmt, 404, _("Listing service requests is not supported."))
    posted = _posted(request)
    if posted is None:
        return _errors(fmt, 400, _("The body is not a JSON object."))
    form = ReportForm(_form_data(posted))
    if form.is_spam:
        return _errors(fmt, 400, REFUSED)
    if not form.is_valid():
        return _errors(fmt, 400, *_form_errors(form))
    if not report_allowed(request):
        return _errors(fmt, 429, TOO_MANY)
    contact = form.save()
    if contact is None:
        return _errors(fmt, 400, *_form_errors(form))
    notice = _(
        "Thank you. The safety hosts read reports during their shifts. In an emergency, call 112."
    )
    rows = [{"service_request_id": contact.reference, "service_notice": notice, "account_id": None}]
    return _answer(rows, fmt, "service_requests", "request")


def _moment(value) -> str:
    return timezone.localtime(value).isoformat(timespec="seconds")


@never_cache
@require_GET
def request_status(request, reference, fmt):
    """Where a report stands, for whoever holds its reference: nothing a resident wrote, nor
    where they stood; the area is as far as the place goes."""
    contact = (
        CitizenContact.objects.filter(reference=reference)
        .select_related("category", "area")
        .first()
    )
    if fmt not in FORMATS or contact is None:
        return _not_found(fmt)
    row = {
        "service_request_id": contact.reference,
        "status": "closed" if contact.outcome else "open",
        "status_notes": None,
        "service_name": contact.category.name_sv if contact.category else None,
        "service_code": contact.category.code if contact.category else None,
        "description": None,
        "agency_responsible": None,
        "service_notice": None,
        "requested_datetime": _moment(contact.received_at),
        # Contacts keep no time of their last change.
        "updated_datetime": None,
        "expected_datetime": None,
        "address": contact.area.name if contact.area else None,
        "address_id": None,
        "zipcode": None,
        "lat": None,
        "long": None,
        "media_url": None,
    }
    return _answer([row], fmt, "service_requests", "request")
