"""Subjects of `healthywork analyze`, contributed by apps without core importing them.

An app takes part by defining, in its module `<app>.cli`, a dictionary
`ANALYZE_SUBJECTS = {"name": Subject(...)}`. The command `healthywork analyze` finds these modules
by convention (as `healthywork export` finds `interchange` modules), so that core names no app
of ours and each app keeps its statistics and their command line together.
"""

import argparse
import importlib
from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured


@dataclass(frozen=True)
class Subject:
    """One subject of `healthywork analyze SUBJECT`.

    `add_arguments(parser)` adds the subject's options to its own subparser; `handle(command,
    **options)` runs it, writing to `command.stdout` and raising CommandError for bad input.
    """

    help: str
    add_arguments: Callable[[argparse.ArgumentParser], None]
    handle: Callable[..., None]


def analyze_subjects() -> dict[str, Subject]:
    """Every installed app's ANALYZE_SUBJECTS, in INSTALLED_APPS order. An app without a `cli`
    module has none; any other import error (inside a `cli` module) is raised, not hidden."""
    subjects: dict[str, Subject] = {}
    owners: dict[str, str] = {}
    for app_config in apps.get_app_configs():
        name = f"{app_config.name}.cli"
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as error:
            if error.name != name:
                raise
            continue
        for subject, definition in getattr(module, "ANALYZE_SUBJECTS", {}).items():
            if subject in subjects:
                raise ImproperlyConfigured(
                    f"The analyze subject {subject!r} is defined by both {owners[subject]} and {name}."
                )
            subjects[subject] = definition
            owners[subject] = name
    return subjects
