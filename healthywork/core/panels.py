"""Sections that other apps add to a lower app's page, found by convention.

A lower app cannot import the apps above it, so a page such as the organization's asks every
installed app config for a method (for example `organization_panels(organization, user)`) that
returns `Panel`s. Empty panels are hidden.
"""

from dataclasses import dataclass, field
from typing import Any

from django.apps import apps


@dataclass
class Panel:
    title: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    count: int = 0


def collect(hook: str, *args: Any) -> list[Panel]:
    panels: list[Panel] = []
    for config in apps.get_app_configs():
        method = getattr(config, hook, None)
        if method is not None:
            panels.extend(panel for panel in method(*args) if panel.count)
    return panels
