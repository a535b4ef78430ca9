"""`healthywork remind [--dry-run] [--hours 24]`: e-mail the registered people of trainings that
start within the window, once each."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from healthywork.training import reminders


class Command(BaseCommand):
    """Send training reminders. Safe to run every hour from cron: a person is reminded once, and
    a run that fails to send leaves the reminder for the next run."""

    help = "E-mail reminders to people registered for trainings that start soon (once each)."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--hours",
            type=float,
            default=24,
            help="Remind for trainings starting within this many hours (default 24).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="List who would be reminded; send nothing."
        )
        parser.add_argument(
            "--base-url",
            default=settings.HEALTHYWORK_BASE_URL,
            help="The site's address for the links in the e-mails (default: HEALTHYWORK_BASE_URL).",
        )

    def handle(self, *args, hours: float, dry_run: bool, base_url: str, **options):
        if hours <= 0:
            raise CommandError(_("--hours must be more than 0."))
        if not base_url and not dry_run:
            raise CommandError(
                _(
                    "Give --base-url (or set HEALTHYWORK_BASE_URL): "
                    "the e-mails' links need the site's address."
                )
            )
        report = reminders.send_reminders(hours, dry_run=dry_run, base_url=base_url)
        if dry_run:
            for registration in report.due:
                training = registration.training
                starts = timezone.localtime(training.starts_at)
                self.stdout.write(f"{starts:%Y-%m-%d %H:%M} {training.title}: {registration.email}")
            self.stdout.write(_("%(count)s reminders would be sent (dry run).") % {"count": len(report.due)})
            return
        for registration, error in report.failed:
            self.stderr.write(
                _("Not sent to %(email)s: %(error)s") % {"email": registration.email, "error": error}
            )
        self.stdout.write(_("%(count)s reminders sent.") % {"count": len(report.sent)})
        if report.failed:
            raise CommandError(
                _("%(count)s reminders could not be sent; the next run tries again.")
                % {"count": len(report.failed)}
            )
