"""The main menu and the start pages' panels. Each app lists its own as `nav_items` and
`start_panels` on its AppConfig, so the layout needs no knowledge of the apps and an app's entries
live beside its urls."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.apps import apps
from django.urls import reverse
from django.utils.module_loading import import_string

from trygghet.accounts.policy import Capability, can

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


@dataclass(frozen=True)
class NavItem:
    label: StrOrPromise
    url_name: str
    capabilities: tuple[Capability, ...]
    order: int = 100


@dataclass(frozen=True)
class StartPanel:
    """A panel on the start pages of the given kinds (see policy.start_page_kind).

    `context` is the dotted path of a function (request) -> dict whose result the template gets
    as `data`; it loads everything the panel shows, so the template runs no queries of its own.
    The result may carry an "order" of its own, for a panel whose place depends on its state.
    """

    template: str
    kinds: tuple[str, ...]
    context: str | None = None
    order: int = 100


def _declared(attribute: str) -> list:
    return [item for config in apps.get_app_configs() for item in getattr(config, attribute, ())]


def menu_for(request) -> list[dict]:
    items = [
        item
        for item in _declared("nav_items")
        if any(can(request.user, capability) for capability in item.capabilities)
    ]
    menu = []
    for item in sorted(items, key=lambda item: item.order):
        url = reverse(item.url_name)
        menu.append({"label": item.label, "url": url, "active": request.path.startswith(url)})
    return menu


def panels_for(request, kind: str) -> list[dict]:
    panels = []
    for panel in _declared("start_panels"):
        if kind in panel.kinds:
            data = import_string(panel.context)(request) if panel.context else {}
            panels.append(
                {"template": panel.template, "data": data, "order": data.get("order", panel.order)}
            )
    return sorted(panels, key=lambda panel: panel["order"])
