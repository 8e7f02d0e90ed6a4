"""The main menu. Each app lists its own entries as `nav_items` on its AppConfig, so the layout
needs no knowledge of the apps and an app's menu entries live beside its urls."""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.urls import reverse

from trygghet.accounts.policy import Capability, can


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    capabilities: tuple[Capability, ...]
    order: int = 100


def menu_for(request) -> list[dict]:
    user = request.user
    items = [
        item
        for config in apps.get_app_configs()
        for item in getattr(config, "nav_items", ())
        if any(can(user, capability) for capability in item.capabilities)
    ]
    menu = []
    for item in sorted(items, key=lambda item: item.order):
        url = reverse(item.url_name)
        menu.append({"label": item.label, "url": url, "active": request.path.startswith(url)})
    return menu
