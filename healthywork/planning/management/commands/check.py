"""`healthywork check`: Django's system check, plus `healthywork check toc TEAM`.

A project command named `check` replaces Django's own, so this one extends it: with no arguments,
with app labels or with Django's options it is Django's system check, unchanged; when the first
argument is `toc` it prints the validation report of a team's theory of change (TEAM is the team's
name or public id) and exits with status 1 when the report holds an error.
"""

import uuid

from django.core.management.base import CommandError
from django.core.management.commands.check import Command as SystemCheckCommand

from healthywork.collaborative.models import Team
from healthywork.planning import toc
from healthywork.planning.models import TheoryOfChange

SUBJECTS = ("toc",)


class Command(SystemCheckCommand):
    help = (
        "Checks the entire Django project for potential problems; "
        "`check toc TEAM [--cohort NAME]` checks a team's theory of change (exit status 1 on an error)."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--cohort", help="With `check toc`: the cohort's name, when two cohorts have a team of that name."
        )

    def handle(self, *args, **options):
        if args and args[0] in SUBJECTS:
            return self.check_toc(list(args[1:]), options.get("cohort"))
        return super().handle(*args, **options)

    def check_toc(self, rest: list[str], cohort: str | None) -> None:
        if len(rest) != 1:
            raise CommandError("Usage: healthywork check toc TEAM (the team's name or public id).")
        team = find_team(rest[0], cohort)
        theory = TheoryOfChange.objects.filter(team=team).first()
        if theory is None:
            raise CommandError(f"{team.name} has no theory of change yet.")
        data = toc.load_theory_data(theory)
        findings = toc.validate(data)
        errors = sum(finding.is_error for finding in findings)
        self.stdout.write(
            f"Theory of change of {team.name} ({team.cohort.name}), version {theory.version}: "
            f"{len(data.outcomes)} outcomes, {len(data.links)} links, "
            f"{len(data.interventions)} interventions, "
            f"{len(data.indicators)} indicators."
        )
        for finding in findings:
            label = "ERROR" if finding.is_error else "WARNING"
            self.stdout.write(f"{label}: {finding.message}")
        self.stdout.write(f"{errors} errors, {len(findings) - errors} warnings.")
        if errors:
            raise CommandError(f"The theory of change of {team.name} has {errors} errors.", returncode=1)


def find_team(key: str, cohort: str | None = None) -> Team:
    """The team whose public id or name (case-insensitive) is `key`; CommandError when none or
    several match."""
    teams = Team.objects.select_related("cohort")
    try:
        by_id = teams.filter(public_id=uuid.UUID(key)).first()
    except ValueError:
        by_id = None
    if by_id is not None:
        return by_id
    matches = teams.filter(name__iexact=key.strip())
    if cohort:
        matches = matches.filter(cohort__name__iexact=cohort.strip())
    found = list(matches[:10])
    if not found:
        raise CommandError(f"No team is named or numbered {key!r}.")
    if len(found) > 1:
        cohorts = ", ".join(sorted(team.cohort.name for team in found))
        raise CommandError(f"{len(found)} teams are named {key!r} (in {cohorts}): add --cohort NAME.")
    return found[0]
