from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "healthywork.network"
    label = "network"
    verbose_name = _("Network")

    def home_summary(self, user) -> list[tuple[str, int, str]]:
        from django.urls import NoReverseMatch, reverse

        from healthywork.network.models import Tie, Wave

        try:
            index = reverse("network:index")
        except NoReverseMatch:  # the network's pages are not installed
            return []
        return [
            (_("Waves"), Wave.objects.visible_to(user).count(), index),
            (_("Stored ties"), Tie.objects.visible_to(user).active().count(), index),
        ]

    def organization_panels(self, organization, user) -> list:
        """The organization's ties in each wave, stored and derived (graph.collect_edges)."""
        from healthywork.core.panels import Panel
        from healthywork.network.graph import collect_edges, organization_nodes
        from healthywork.network.models import Wave
        from healthywork.network.ties import TieRow, attach_public_ids

        waves = []
        total = 0
        for wave in Wave.objects.visible_to(user):
            edges = [edge for edge in collect_edges(wave) if organization.pk in (edge.source, edge.target)]
            if not edges:
                continue
            nodes = organization_nodes({end for edge in edges for end in (edge.source, edge.target)})
            rows = [
                TieRow(edge, nodes[edge.source], nodes[edge.target])
                for edge in edges
                if edge.source in nodes and edge.target in nodes
            ]
            rows.sort(key=lambda row: (row.source.name.casefold(), row.target.name.casefold(), row.edge.kind))
            waves.append((wave, attach_public_ids(rows[:100]), len(rows)))
            total += len(rows)
        return [
            Panel(
                title=_("Network ties"),
                template="network/ties_organization_panel.html",
                context={"waves": waves, "organization": organization},
                count=total,
            )
        ]
