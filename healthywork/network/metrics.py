"""A wave's metrics as pages, the API and the command line show them: the network a filter selects,
every measure of `analysis.analyse`, and trust and value from the submitted survey answers."""

from typing import Any

from healthywork.network.analysis import NetworkMetrics, analyse, trust_value
from healthywork.network.graph import Network, NetworkFilter, build_network
from healthywork.network.models import PartnerRating, Wave


def survey_ratings(wave: Wave, node_ids: set[int] | None = None) -> list[dict[str, Any]]:
    """The trust and value items of the submitted answers of the wave's surveys, as the dicts
    `analysis.trust_value` reads; only ratings between organizations in `node_ids` when given."""
    rows = PartnerRating.objects.filter(
        respondent__survey__wave=wave, respondent__submitted_at__isnull=False, interacts=True
    ).values(
        "respondent__organization_id", "partner_id", *PartnerRating.TRUST_FIELDS, *PartnerRating.VALUE_FIELDS
    )
    ratings = []
    for row in rows:
        row["respondent"], row["partner"] = row.pop("respondent__organization_id"), row.pop("partner_id")
        if node_ids is None or (row["respondent"] in node_ids and row["partner"] in node_ids):
            ratings.append(row)
    return ratings


def wave_metrics(
    network_filter: NetworkFilter, *, group_by: str = "sector", seed: int = 0
) -> tuple[Network, NetworkMetrics]:
    """The network the filter selects and all its metrics, with trust and value when the wave's
    surveys have submitted ratings (the same numbers `analyze network --format json` gives)."""
    network = build_network(network_filter)
    metrics = analyse(network.nodes, network.edges, group_by=group_by, seed=seed)
    ratings = survey_ratings(network_filter.wave, set(network.nodes))
    if ratings:
        scores = trust_value(ratings)
        metrics.trust, metrics.value = scores["trust"], scores["value"]
    return network, metrics
