"""`healthywork send_survey_reminders [--survey ID] [--days N] [--base-url URL] [--dry-run]`, for cron.

Reminds every invited respondent of an open survey who has not submitted and was last contacted
(invited or reminded) at least N days ago (3 by default), so nobody gets more than one reminder in
N days. Each reminder carries a fresh private link (only hashes are stored) that resumes the
answers saved so far. Prints what it did, or with --dry-run what it would do.
"""

import os

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from healthywork.network import surveys
from healthywork.network.models import PartnerSurvey


class Command(BaseCommand):
    help = "Email reminders (with fresh links) to partner-survey respondents who have not submitted."

    def add_arguments(self, parser):
        parser.add_argument("--survey", help="Public id of one survey (default: every open survey).")
        parser.add_argument(
            "--days",
            type=int,
            default=surveys.REMINDER_INTERVAL_DAYS,
            help="At most one reminder per this many days (default: %(default)s).",
        )
        parser.add_argument(
            "--base-url",
            default=getattr(settings, "HEALTHYWORK_BASE_URL", os.environ.get("HEALTHYWORK_BASE_URL", "")),
            help="The site's address for the links, e.g. https://network.example.org "
            "(default: the HEALTHYWORK_BASE_URL setting or environment variable).",
        )
        parser.add_argument("--dry-run", action="store_true", help="Say who would be reminded; send nothing.")

    def handle(self, *args, survey=None, days=3, base_url="", dry_run=False, **options):
        if days < 1:
            raise CommandError("--days must be at least 1.")
        if not base_url and not dry_run:
            raise CommandError(
                "Give --base-url (or set HEALTHYWORK_BASE_URL): the links need the site's address."
            )
        if survey:
            try:
                chosen = [PartnerSurvey.objects.get(public_id=survey)]
            except (PartnerSurvey.DoesNotExist, ValidationError):
                raise CommandError(f"No survey has the id {survey}.") from None
            if not chosen[0].is_accepting:
                raise CommandError(f"The survey “{chosen[0].title}” is not open; nobody was reminded.")
        else:
            chosen = surveys.active_surveys()
        total = 0
        for item in chosen:
            if dry_run:
                due = surveys.due_reminders(item, interval_days=days)
            else:
                due = surveys.send_reminders(item, by=None, base_url=base_url, interval_days=days)
            verb = "would remind" if dry_run else "reminded"
            self.stdout.write(f"{item.title}: {verb} {len(due)}")
            for respondent in due:
                self.stdout.write(f"  {respondent.organization.name} <{respondent.email}>")
            total += len(due)
        self.stdout.write(
            f"{'Would send' if dry_run else 'Sent'} {total} reminders in {len(chosen)} surveys."
        )
