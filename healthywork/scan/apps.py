from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScanConfig(AppConfig):
    name = "healthywork.scan"
    label = "scan"
    verbose_name = _("Scan")

    def home_summary(self, user) -> list[tuple[str, int, str]]:
        from django.urls import NoReverseMatch, reverse

        from healthywork.scan.models import Document, Interview, Project

        try:
            url = reverse("scan:index")
        except NoReverseMatch:  # the scan's pages are not installed
            return []
        return [
            (_("Scan projects"), Project.objects.visible_to(user).count(), url),
            (_("Interviews"), Interview.objects.visible_to(user).count(), url),
            (_("Transcripts"), Document.objects.visible_to(user).count(), url),
        ]

    def organization_panels(self, organization, user) -> list:
        from healthywork.core.panels import Panel
        from healthywork.scan.models import Interview

        interviews = list(
            Interview.objects.visible_to(user)
            .filter(organization=organization)
            .select_related("project", "interviewer")
            .order_by("-scheduled_at")[:50]
        )
        return [
            Panel(
                title=_("Scan interviews"),
                template="scan/interviews_organization_panel.html",
                context={"interviews": interviews, "organization": organization},
                count=len(interviews),
            )
        ]

    def initiative_panels(self, initiative, user) -> list:
        from healthywork.scan.quotes import initiative_panels

        return initiative_panels(initiative, user)
