"""Results over the API: an administration's item and dimension statistics, and pre/post change."""

from typing import Any
from uuid import UUID

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Router

from healthywork.core.apitools import READ_ERRORS, api_user, invalid
from healthywork.evaluation import results
from healthywork.evaluation.models import Administration

router = Router()


def _visible(request, public_id: UUID) -> Administration:
    return get_object_or_404(
        Administration.objects.visible_to(api_user(request)).select_related("instrument"), public_id=public_id
    )


def _language(request) -> str:
    return (getattr(request, "LANGUAGE_CODE", "") or "en")[:2]


@router.get("/evaluation/administrations/{public_id}/results", response={200: dict, **READ_ERRORS})
def administration_results(request, public_id: UUID, team: int | None = None, family: str | None = None):
    """Item statistics (n, mean, SD of scored values, distribution), dimension statistics (n, mean,
    SD, Cronbach's alpha with k and n), the total and its bands, of complete responses."""
    administration = _visible(request, public_id)
    scored = results.filter_rows(results.load_scored(administration), team_id=team, family=family)
    body: dict[str, Any] = {
        "administration": str(administration.public_id),
        "title": administration.title,
        "instrument": administration.instrument.name,
        "counts": results.response_counts(administration),
        **results.results(scored, _language(request)),
    }
    return body


@router.get("/evaluation/prepost", response={200: dict, **READ_ERRORS})
def prepost(request, post: UUID, pre: UUID | None = None):
    """Change from `pre` (default: the post administration's own pre) to `post` for respondents
    matched by respondent key: per total, dimension and item, paired t and Wilcoxon signed-rank."""
    post_administration = _visible(request, post)
    if pre is None:
        if post_administration.pre_id is None:
            raise invalid({"pre": _("This administration names no pre administration: give pre.")})
        pre = post_administration.pre.public_id
    pre_administration = _visible(request, pre)
    if pre_administration.pk == post_administration.pk:
        raise invalid({"pre": _("Choose two different administrations.")})
    if pre_administration.instrument_id != post_administration.instrument_id:
        raise invalid({"pre": _("The baseline uses another instrument; choose one of the same instrument.")})
    result = results.prepost(*results.load_pair(pre_administration, post_administration), _language(request))
    matching = result["matching"]
    return {
        "pre": str(pre_administration.public_id),
        "post": str(post_administration.public_id),
        "matching": {
            "pairs": matching.n_pairs,
            "n_pre": matching.n_pre,
            "n_post": matching.n_post,
            "unmatched_pre": matching.unmatched_pre,
            "unmatched_post": matching.unmatched_post,
            "no_key_pre": matching.no_key_pre,
            "no_key_post": matching.no_key_post,
            "duplicate_keys": matching.duplicate_keys,
        },
        "rows": result["rows"],
        "sentences": result["sentences"],
    }
