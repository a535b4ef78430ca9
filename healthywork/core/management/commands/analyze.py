"""`healthywork analyze SUBJECT`: the statistics of the app on the command line.

Each subject comes from an app: its module `<app>.cli` defines `ANALYZE_SUBJECTS = {"name":
core.cli.Subject(help, add_arguments, handle)}`; its statistics belong in the app's `analysis`
module. So far: `crosstab` (catalog) and `agreement` (scan). Run `healthywork analyze SUBJECT
--help` for a subject's options.
"""

from django.core.management.base import BaseCommand

from healthywork.core.cli import analyze_subjects


class Command(BaseCommand):
    """Run one analysis and print its result as a text table or as JSON."""

    help = (
        "Statistics over the data or over a file, one subject at a time: for example "
        "`analyze crosstab --rows FIELD --cols FIELD` or `analyze agreement FILE.csv`."
    )

    def add_arguments(self, parser) -> None:
        subparsers = parser.add_subparsers(dest="subject", metavar="SUBJECT", required=True)
        for name, subject in analyze_subjects().items():
            subparser = subparsers.add_parser(name, help=subject.help, description=subject.help)
            subject.add_arguments(subparser)

    def handle(self, *args, subject: str, **options) -> None:
        analyze_subjects()[subject].handle(self, **options)
