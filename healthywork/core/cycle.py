"""The program's cycle, in the order the navigation and the home page show it."""

from dataclasses import dataclass

from django.apps import apps
from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Stage:
    key: str
    label: Promise
    description: Promise
    url_name: str

    @property
    def url(self) -> str | None:
        """The section's address, or None while the section is not built yet."""
        try:
            return reverse(self.url_name)
        except NoReverseMatch:
            return None


STAGES = [
    Stage("scan", _("Scan"), _("Interviews, transcripts and coding"), "scan:index"),
    Stage("catalog", _("Catalog"), _("Initiatives and what they show"), "catalog:index"),
    Stage("network", _("Network"), _("Who works with whom"), "network:index"),
    Stage("collaborative", _("Collaborative"), _("Cohorts, teams and sessions"), "collaborative:index"),
    Stage("plan", _("Plan"), _("Power maps, theories of change, action plans"), "planning:index"),
    Stage(
        "implement",
        _("Implement"),
        _("Grants, assistance and changes achieved"),
        "implementation:index",
    ),
    Stage("evaluate", _("Evaluate"), _("Instruments, indicators and results"), "evaluation:index"),
    Stage("share", _("Share"), _("Case studies and products"), "dissemination:index"),
    Stage("train", _("Train"), _("Trainings in person and online"), "training:index"),
]


def summaries(user) -> list[tuple[str, list[tuple[str, int, str]]]]:
    """What exists so far, from every app that offers a `home_summary(user)`."""
    found = []
    for config in apps.get_app_configs():
        summary = getattr(config, "home_summary", None)
        if summary is not None:
            found.append((config.verbose_name, summary(user)))
    return found
