"""An administration's results and pre/post changes, computed from the answer matrix with numpy.

Everything here reads the answers once (`matrix.load_matrix`: one query for all answers), scores
them by the instrument's rules (`scoring.score_matrix`) and computes with `analysis` (H4's
statistics). Nothing here writes; the pages, the API and the exports call these functions.

Conventions (docs/evaluation-results.md):
- item means and SDs are of the *scored* values (a reverse-scored item after reversing); its
  distribution counts the answers people gave, per choice, with the choice labels;
- a dimension's alpha is Cronbach's alpha on its scored items, complete rows only (k items, n rows);
- respondents are matched between two administrations by `respondent_key` only: a response with no
  key, or whose key appears twice in one administration, is unmatched (counted, never guessed).
"""

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.db import connection
from django.utils.translation import gettext as _

from healthywork.evaluation import analysis
from healthywork.evaluation.matrix import Matrix, load_matrix
from healthywork.evaluation.models import Administration, Answer, ItemKind, ResponseStatus
from healthywork.evaluation.scoring import Scores, ScoringSpec, score_matrix

SIGNIFICANCE = 0.05
GROUP_BY = ("family", "team")


def choice_label(choice: dict, language: str) -> str:
    if language.startswith("es") and choice.get("label_es"):
        return str(choice["label_es"])
    return str(choice.get("label", choice.get("value")))


@dataclass
class Scored:
    """A matrix with its scores, optionally limited to some rows."""

    administration: Administration
    matrix: Matrix
    scores: Scores
    spec: ScoringSpec
    dimensions: list  # Dimension objects, in order
    families: list[str | None] = field(default_factory=list)  # sector family of each row's organization

    @property
    def n(self) -> int:
        return len(self.matrix.response_ids)

    def rows(self, mask: np.ndarray) -> "Scored":
        index = np.flatnonzero(mask)
        matrix = Matrix(
            items=self.matrix.items,
            response_ids=[self.matrix.response_ids[i] for i in index],
            respondent_keys=[self.matrix.respondent_keys[i] for i in index],
            values=self.matrix.values[index],
            team_ids=[self.matrix.team_ids[i] for i in index],
            organization_ids=[self.matrix.organization_ids[i] for i in index],
        )
        scores = Scores(
            item_codes=self.scores.item_codes,
            scored=self.scores.scored[index],
            dimension_codes=self.scores.dimension_codes,
            dimensions=self.scores.dimensions[index],
            total=self.scores.total[index],
            bands=[self.scores.bands[i] for i in index],
        )
        return Scored(
            self.administration,
            matrix,
            scores,
            self.spec,
            self.dimensions,
            [self.families[i] for i in index] if self.families else [],
        )


def _families(organization_ids: list[int | None]) -> list[str | None]:
    from healthywork.partners.models import Organization

    wanted = {pk for pk in organization_ids if pk is not None}
    if not wanted:
        return [None] * len(organization_ids)
    family_of = dict(Organization.objects.filter(pk__in=wanted).values_list("pk", "sector__family"))
    return [family_of.get(pk) if pk is not None else None for pk in organization_ids]


def score(spec: ScoringSpec, matrix: Matrix, with_bands: bool = True) -> Scores:
    return score_matrix(spec, matrix.codes, matrix.values, with_bands=with_bands)


def load_scored(
    administration: Administration, complete_only: bool = True, with_bands: bool = True
) -> Scored:
    """The administration's answers (complete responses by default), scored (bands and sector
    families too unless `with_bands` is False, as pre/post needs neither)."""
    matrix = load_matrix(administration, complete_only=complete_only)
    instrument = administration.instrument
    spec = ScoringSpec.from_instrument(instrument, items=matrix.items)
    scores = score(spec, matrix, with_bands)
    dimensions = list(instrument.dimensions.all())
    families = _families(matrix.organization_ids) if with_bands else [None] * len(matrix.response_ids)
    return Scored(administration, matrix, scores, spec, dimensions, families)


def filter_rows(scored: Scored, team_id: int | None = None, family: str | None = None) -> Scored:
    mask = np.ones(scored.n, dtype=bool)
    if team_id is not None:
        mask &= np.array([pk == team_id for pk in scored.matrix.team_ids], dtype=bool)
    if family:
        mask &= np.array([value == family for value in scored.families], dtype=bool)
    return scored if mask.all() else scored.rows(mask)


# --- Results of one administration ----------------------------------------------------------------


def response_counts(administration: Administration) -> dict[str, Any]:
    """Responses by status, invitations and the response rate (complete / invited, when invited)."""
    from django.db.models import Count

    by_status = dict(
        administration.responses.values_list("status")
        .annotate(count=Count("pk"))
        .values_list("status", "count")
    )
    complete = by_status.get(ResponseStatus.COMPLETE, 0)
    in_progress = by_status.get(ResponseStatus.IN_PROGRESS, 0)
    invited = administration.invitations.count()
    rate = complete / invited if invited else None
    return {"complete": complete, "in_progress": in_progress, "invited": invited, "rate": rate}


def item_statistics(scored: Scored, language: str = "en") -> list[dict[str, Any]]:
    """Per numeric item: n, mean and SD of the scored values, the distribution of the answers."""
    rows = []
    for column, item in enumerate(scored.matrix.items):
        raw = scored.matrix.values[:, column]
        stats = analysis.describe(scored.scores.scored[:, column])
        distribution = []
        if item.choices and item.kind != ItemKind.NUMBER:
            values = item.choice_values()
            counts = analysis.distribution(raw, values)
            answered = sum(count for _value, count in counts) or 1
            for choice, (value, count) in zip(item.choices, counts, strict=True):
                distribution.append(
                    {
                        "value": value,
                        "label": choice_label(choice, language),
                        "count": count,
                        "percent": 100.0 * count / answered,
                    }
                )
        rows.append(
            {
                "code": item.code,
                "text": item.localized_text(language),
                "kind": item.kind,
                "dimension": item.dimension.code if item.dimension_id else None,
                "reverse": item.reverse_scored,
                "n": stats["n"],
                "mean": stats["mean"],
                "sd": stats["sd"],
                "distribution": distribution,
            }
        )
    return rows


def multiple_choice_statistics(scored: Scored, language: str = "en") -> list[dict[str, Any]]:
    """Per multiple-choice item: respondents who answered (n) and how many chose each choice
    (a respondent may choose several, so the shares add up to more than 100 %)."""
    items = list(
        scored.administration.instrument.items.filter(kind=ItemKind.MULTIPLE)
        .select_related("dimension")
        .order_by("position", "pk")
    )
    if not items:
        return []
    shown = set(scored.matrix.response_ids)
    chosen: dict[int, list[str]] = {item.pk: [] for item in items}
    answered: dict[int, int] = dict.fromkeys(chosen, 0)
    for response_id, item_id, text in Answer.objects.filter(
        response__administration=scored.administration,
        response__status=ResponseStatus.COMPLETE,
        item__in=items,
    ).values_list("response_id", "item_id", "text"):
        if response_id in shown and text.strip():
            answered[item_id] += 1
            chosen[item_id].extend(text.split())
    rows = []
    for item in items:
        n = answered[item.pk]
        given = [float(value) for value in chosen[item.pk] if _is_number(value)]
        counts = analysis.distribution(np.array(given), item.choice_values()) if item.choices else []
        rows.append(
            {
                "code": item.code,
                "text": item.localized_text(language),
                "kind": item.kind,
                "dimension": item.dimension.code if item.dimension_id else None,
                "reverse": False,
                "n": n,
                "mean": None,
                "sd": None,
                "distribution": [
                    {
                        "value": value,
                        "label": choice_label(choice, language),
                        "count": count,
                        "percent": 100.0 * count / (n or 1),
                    }
                    for choice, (value, count) in zip(item.choices, counts, strict=True)
                ],
            }
        )
    return rows


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def dimension_statistics(scored: Scored, language: str = "en") -> list[dict[str, Any]]:
    """Per dimension: n, mean and SD of the dimension scores, Cronbach's alpha of its items."""
    codes = scored.matrix.codes
    rows = []
    for position, dimension in enumerate(scored.dimensions):
        columns = [codes.index(rule.code) for rule in scored.spec.items if rule.dimension == dimension.code]
        stats = analysis.describe(scored.scores.dimensions[:, position])
        alpha = analysis.cronbach_alpha(scored.scores.scored[:, columns]) if columns else None
        rows.append(
            {
                "code": dimension.code,
                "label": dimension.localized_label(language),
                "n": stats["n"],
                "mean": stats["mean"],
                "sd": stats["sd"],
                "alpha": alpha["alpha"] if alpha else None,
                "alpha_k": alpha["k"] if alpha else len(columns),
                "alpha_n": alpha["n"] if alpha else 0,
            }
        )
    return rows


def total_statistics(scored: Scored) -> dict[str, Any] | None:
    if scored.spec.total_method == "none":
        return None
    return analysis.describe(scored.scores.total)


def band_distribution(scored: Scored) -> list[dict[str, Any]]:
    """How many respondents' totals fall in each band of the instrument (in the bands' order)."""
    bands = scored.spec.bands or []
    if not bands:
        return []
    labels = [str(band.get("label", f"{band['low']}–{band['high']}")) for band in bands]
    counted = [value for value in scored.scores.bands if value is not None]
    total = len(counted) or 1
    rows = []
    for band, label in zip(bands, labels, strict=True):
        count = sum(1 for value in counted if value == label)
        rows.append(
            {
                "label": label,
                "low": band["low"],
                "high": band["high"],
                "count": count,
                "percent": 100 * count / total,
            }
        )
    return rows


def compare_groups(scored: Scored, by: str, group_labels: dict[Any, str]) -> list[dict[str, Any]]:
    """Dimension means (and the total) per group of respondents: by sector family or by team.
    A row with no group (no organization, no team) is left out."""
    keys = scored.families if by == "family" else scored.matrix.team_ids
    groups = []
    present = {key for key in keys if key is not None}
    ordered = sorted(present, key=lambda key: str(group_labels.get(key, key)))
    key_array = np.array([key if key is not None else "" for key in keys], dtype=object)
    for key in ordered:
        mask = key_array == key
        dimensions = []
        for position, dimension in enumerate(scored.dimensions):
            stats = analysis.describe(scored.scores.dimensions[mask, position])
            dimensions.append(
                {"code": dimension.code, "n": stats["n"], "mean": stats["mean"], "sd": stats["sd"]}
            )
        total = analysis.describe(scored.scores.total[mask])
        groups.append(
            {
                "key": key,
                "label": str(group_labels.get(key, key)),
                "n": int(mask.sum()),
                "dimensions": dimensions,
                "total": total,
            }
        )
    return groups


def text_answers(administration: Administration, team_id: int | None = None, family: str | None = None):
    """The answers to text items, newest response first (a queryset, to paginate)."""
    answers = (
        Answer.objects.filter(
            response__administration=administration,
            response__status=ResponseStatus.COMPLETE,
            item__kind=ItemKind.TEXT,
        )
        .exclude(text="")
        .select_related("item")
        .order_by("item__position", "item_id", "-response_id")
    )
    if team_id is not None:
        answers = answers.filter(response__team_id=team_id)
    if family:
        answers = answers.filter(response__organization__sector__family=family)
    return answers


def results(scored: Scored, language: str = "en") -> dict[str, Any]:
    """The JSON-ready statistics of an administration (the page, the API)."""
    return {
        "n": scored.n,
        "items": item_statistics(scored, language) + multiple_choice_statistics(scored, language),
        "dimensions": dimension_statistics(scored, language),
        "total": total_statistics(scored),
        "bands": band_distribution(scored),
    }


# --- Pre/post -------------------------------------------------------------------------------------


def load_pair(pre: Administration, post: Administration) -> tuple[Scored, Scored]:
    """Both administrations scored (no bands: pre/post needs none). On PostgreSQL, outside a
    transaction, they are read at the same time, each on its own database connection (the reading
    is the database server's work, so two connections take about half the time); inside one
    (tests, a caller's atomic block) another connection would not see uncommitted rows, and on
    SQLite the reading is this process's own work, so there they are read in turn."""
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connections

    # On SQLite the reading happens in this process, and two threads fight over it: measured slower
    # (1.2 s against 0.75 s for two 20,000-response administrations), so only PostgreSQL reads both
    # at once.
    if connection.in_atomic_block or connection.vendor != "postgresql":
        return load_scored(pre, with_bands=False), load_scored(post, with_bands=False)
    # Touch the instruments here, so the threads do not each fetch them lazily.
    pre.instrument, post.instrument  # noqa: B018

    def read(administration: Administration) -> Scored:
        try:
            return load_scored(administration, with_bands=False)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=1) as executor:
        other = executor.submit(read, post)
        first = load_scored(pre, with_bands=False)
        return first, other.result()


@dataclass
class Matching:
    pre_rows: list[int]  # row index in the pre matrix of each pair
    post_rows: list[int]
    n_pre: int
    n_post: int
    unmatched_pre: int
    unmatched_post: int
    no_key_pre: int
    no_key_post: int
    duplicate_keys: list[str]

    @property
    def n_pairs(self) -> int:
        return len(self.pre_rows)


def match_respondents(pre_keys: list[str], post_keys: list[str]) -> Matching:
    """Pairs by respondent key; a key used twice in one administration pairs nothing."""

    def positions(keys: list[str]) -> tuple[dict[str, int], set[str], int]:
        seen: dict[str, int] = {}
        duplicates: set[str] = set()
        no_key = 0
        for index, key in enumerate(keys):
            key = (key or "").strip()
            if not key:
                no_key += 1
            elif key in seen:
                duplicates.add(key)
            else:
                seen[key] = index
        for key in duplicates:
            seen.pop(key, None)
        return seen, duplicates, no_key

    pre_at, pre_duplicates, no_key_pre = positions(pre_keys)
    post_at, post_duplicates, no_key_post = positions(post_keys)
    common = [key for key in post_at if key in pre_at]
    common.sort(key=lambda key: post_at[key])
    return Matching(
        pre_rows=[pre_at[key] for key in common],
        post_rows=[post_at[key] for key in common],
        n_pre=len(pre_keys),
        n_post=len(post_keys),
        unmatched_pre=len(pre_keys) - len(common),
        unmatched_post=len(post_keys) - len(common),
        no_key_pre=no_key_pre,
        no_key_post=no_key_post,
        duplicate_keys=sorted(pre_duplicates | post_duplicates),
    )


def _change(kind: str, code: str, label: str, before: np.ndarray, after: np.ndarray, reverse=False) -> dict:
    t_test = analysis.paired_t(before, after)
    wilcoxon = analysis.wilcoxon_signed_rank(before, after)
    return {
        "kind": kind,
        "code": code,
        "label": label,
        "reverse": reverse,
        "n": t_test["n"],
        "mean_pre": t_test["mean_before"],
        "mean_post": t_test["mean_after"],
        "difference": t_test["mean_diff"],
        "sd_difference": t_test["sd_diff"],
        "t": t_test["t"],
        "df": t_test["df"],
        "p_t": t_test["p_value"],
        "cohens_dz": t_test["cohens_dz"],
        "ci_low": t_test["ci_low"],
        "ci_high": t_test["ci_high"],
        "w": wilcoxon["statistic"],
        "w_plus": wilcoxon["w_plus"],
        "w_minus": wilcoxon["w_minus"],
        "p_w": wilcoxon["p_value"],
        "method_w": wilcoxon["method"],
        "effect_r": wilcoxon["effect_r"],
    }


def prepost(pre: Scored, post: Scored, language: str = "en") -> dict[str, Any]:
    """Change between two administrations of one instrument for matched respondents: the total,
    each dimension and each item (scored values), paired t and Wilcoxon signed-rank."""
    matching = match_respondents(pre.matrix.respondent_keys, post.matrix.respondent_keys)
    a, b = np.array(matching.pre_rows, dtype=int), np.array(matching.post_rows, dtype=int)
    rows = []
    if pre.spec.total_method != "none":
        rows.append(_change("total", "total", _("Total score"), pre.scores.total[a], post.scores.total[b]))
    for position, dimension in enumerate(pre.dimensions):
        rows.append(
            _change(
                "dimension",
                dimension.code,
                dimension.localized_label(language),
                pre.scores.dimensions[a, position],
                post.scores.dimensions[b, position],
            )
        )
    post_column = {code: index for index, code in enumerate(post.matrix.codes)}
    for column, item in enumerate(pre.matrix.items):
        other = post_column.get(item.code)
        if other is None:
            continue
        rows.append(
            _change(
                "item",
                item.code,
                item.localized_text(language),
                pre.scores.scored[a, column],
                post.scores.scored[b, other],
                reverse=item.reverse_scored,
            )
        )
    return {"matching": matching, "rows": rows, "sentences": sentences(rows)}


def _size(dz: float | None) -> str:
    size = abs(dz or 0)
    if size >= 0.8:
        return _("large")
    if size >= 0.5:
        return _("medium")
    if size >= 0.2:
        return _("small")
    return _("negligible")


def sentences(rows: list[dict[str, Any]]) -> list[str]:
    """A plain-language sentence per dimension (and total) whose paired t-test has p < 0.05."""
    said = []
    for row in rows:
        if row["kind"] == "item" or row["p_t"] is None or row["p_t"] >= SIGNIFICANCE:
            continue
        values = {
            "label": row["label"],
            "pre": f"{row['mean_pre']:.2f}",
            "post": f"{row['mean_post']:.2f}",
            "n": row["n"],
            "p": "< 0.001" if row["p_t"] < 0.001 else f"= {row['p_t']:.3f}",
            "dz": f"{row['cohens_dz']:.2f}" if row["cohens_dz"] is not None else "—",
            "size": _size(row["cohens_dz"]),
        }
        if row["difference"] > 0:
            text = _(
                "%(label)s rose from %(pre)s to %(post)s on average among the %(n)s matched respondents "
                "(paired t-test p %(p)s; a %(size)s effect, dz = %(dz)s)."
            )
        else:
            text = _(
                "%(label)s fell from %(pre)s to %(post)s on average among the %(n)s matched respondents "
                "(paired t-test p %(p)s; a %(size)s effect, dz = %(dz)s)."
            )
        said.append(text % values)
    return said


PREPOST_HEADERS = [
    "kind",
    "code",
    "label",
    "reverse",
    "n",
    "mean_pre",
    "mean_post",
    "difference",
    "sd_difference",
    "t",
    "df",
    "p_t",
    "cohens_dz",
    "ci_low",
    "ci_high",
    "w",
    "p_w",
    "method_w",
    "effect_r",
]


def prepost_table(result: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
    return PREPOST_HEADERS, [[row[name] for name in PREPOST_HEADERS] for row in result["rows"]]
