"""Agreement between coders, units of a transcript, and codes that overlap.

Pure functions on plain lists (no ORM, no request), so that the rounds pages, the analysis pages,
the API and `healthywork analyze agreement` give the same numbers, and the tests can check them
against published worked examples. The formulas, with their sources, are in docs/agreement.md.

Sources:

- Cohen's kappa: Cohen, "A coefficient of agreement for nominal scales", *Educational and
  Psychological Measurement* 20 (1960) 37–46. Chance agreement is p_e = Σ_c p_a(c)·p_b(c), the sum
  over categories of the product of the two coders' shares (not the product of two sums).
- Krippendorff's alpha through the coincidence matrix, for the nominal, ordinal, interval and ratio
  metrics: Krippendorff, "Computing Krippendorff's Alpha-Reliability" (2011), Annenberg School
  for Communication Departmental Papers 43, https://repository.upenn.edu/asc_papers/43; also
  Krippendorff, *Content Analysis*, 4th ed. (Sage, 2019), chapter 12.
- Percent agreement over pairs of coders: the pairwise agreement of Fleiss, "Measuring nominal
  scale agreement among many raters", *Psychological Bulletin* 76 (1971) 378–382 (its P̄ pooled
  over units), which for two coders is the share of units on which they agree.
- Units: agreement on coded spans is computed on units (sentences or paragraphs), each coder's
  value for a unit being whether a span of the code touches it; see Krippendorff (2019), section
  12.2 on unitizing, and the reference notes of this project.
"""

import bisect
import heapq
import math
import re
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

UNITS = ("sentence", "paragraph")
LEVELS = ("nominal", "ordinal", "interval", "ratio")

# Units -----------------------------------------------------------------------------------------

# A line that opens with a speaker label ("Interviewer:", "P3:", "Dr. Ruiz:", "[Facilitator]:")
# starts a new turn, and so a new paragraph, even without a blank line before it. The label is at
# most 40 characters, starts with a capital letter or a digit, and its colon is followed by a
# space or the end of the line (so "10:30" is no label).
SPEAKER_TURN = re.compile(r"[ \t]*(?:\[[^\]\n]{1,40}\]|[A-ZÀ-ÖØ-Þ0-9][\w.'’ -]{0,39}):(?:[ \t]|$)")
# The end of a sentence: terminal punctuation, any closing quotes or brackets, then a space.
SENTENCE_END = re.compile(r"[.!?…]+[\"'”’»)\]]*(?=\s)")
# Words that end with a period without ending the sentence ("Dr. Ruiz", "e.g. rent"). Compared
# without their final period and in lower case. "No." is left out on purpose: in an interview it
# is far more often an answer than "number".
ABBREVIATIONS = frozenset(
    {
        "dr", "dra", "mr", "mrs", "ms", "mx", "prof", "sr", "sra", "srta", "jr", "st", "mt", "rev",
        "hon", "gov", "sen", "rep", "gen", "col", "lt", "sgt", "capt", "lic", "ing", "ud", "uds",
        "vs", "cf", "approx", "dept", "inc", "ltd", "co", "corp", "fig", "vol", "pp", "ed", "eds",
        "e.g", "i.e", "u.s", "u.k", "u.n", "a.m", "p.m", "ph.d", "etc",
    }
)  # fmt: skip
DOTTED_INITIALS = re.compile(r"(?:\w\.)+\w")  # U.S, e.g, U.S.A, i.e, p.ej


def split_units(text: str, unit: str) -> list[tuple[int, int]]:
    """Character offsets [start, end) of the units of `text`, in order, trimmed of white space.

    Together the units cover every character that is not white space, and no unit is blank.

    - "paragraph": paragraphs are separated by blank lines (lines of only white space). A line
      that opens with a speaker label ("Interviewer:", "P3:", "[Facilitator]:", see
      SPEAKER_TURN) also starts a new paragraph, because in a transcript each turn is one unit.
      A single line break anywhere else does not end a paragraph.
    - "sentence": within each paragraph (a sentence never crosses one), a sentence ends at
      . ! ? … (or several of them, then any closing quotes or brackets) followed by white space.
      A period does not end a sentence after a common abbreviation (Dr., e.g., U.S., see
      ABBREVIATIONS), after a single capital letter (an initial: "J. Smith"), or when the next
      word starts with a lower-case letter ("approx. three"); nor does … followed by a lower-case
      word (speech trailing off and going on).

    Offsets are those of the Python string (code points), as stored in Coding.start_offset.
    """
    if unit == "paragraph":
        return _paragraphs(text)
    if unit == "sentence":
        sentences: list[tuple[int, int]] = []
        for start, end in _paragraphs(text):
            sentences.extend(_sentences(text, start, end))
        return sentences
    raise ValueError(f"unit must be one of {', '.join(UNITS)}, not {unit!r}")


def _paragraphs(text: str) -> list[tuple[int, int]]:
    paragraphs: list[tuple[int, int]] = []
    start = end = None
    position = 0
    for line in text.splitlines(keepends=True):
        content = line.strip()
        if not content:
            if start is not None:
                paragraphs.append((start, end))
                start = None
        else:
            if start is not None and SPEAKER_TURN.match(line):
                paragraphs.append((start, end))
                start = None
            if start is None:
                start = position + len(line) - len(line.lstrip())
            end = position + len(line.rstrip())
        position += len(line)
    if start is not None:
        paragraphs.append((start, end))
    return paragraphs


def _sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    paragraph = text[start:end]
    sentences = []
    sentence_start = 0
    for match in SENTENCE_END.finditer(paragraph):
        if _goes_on(paragraph, match):
            continue
        sentences.append(_trimmed(paragraph, sentence_start, match.end(), start))
        sentence_start = match.end()
    sentences.append(_trimmed(paragraph, sentence_start, len(paragraph), start))
    return [sentence for sentence in sentences if sentence is not None]


def _goes_on(paragraph: str, match: re.Match) -> bool:
    """Whether the punctuation of `match` is inside a sentence rather than at its end."""
    mark = match.group().rstrip("\"'”’»)]")
    if mark not in (".", "…"):
        return False
    following = paragraph[match.end() :].lstrip()
    if following[:1].islower():
        return True
    if mark == "…":
        return False
    word = paragraph[: match.start()].rsplit(None, 1)[-1] if paragraph[: match.start()].strip() else ""
    word = word.lstrip("\"'“‘([¿¡")
    if not word:
        return False
    if word.casefold() in ABBREVIATIONS or DOTTED_INITIALS.fullmatch(word):
        return True
    return len(word) == 1 and word.isupper()


def _trimmed(paragraph: str, start: int, end: int, offset: int) -> tuple[int, int] | None:
    piece = paragraph[start:end]
    if not piece.strip():
        return None
    leading = len(piece) - len(piece.lstrip())
    trailing = len(piece) - len(piece.rstrip())
    return (offset + start + leading, offset + end - trailing)


def unit_presence(units: list[tuple[int, int]], spans: list[tuple[int, int]]) -> list[bool]:
    """For each unit [start, end), whether some span [start, end) shares at least one character
    with it (span start < unit end and span end > unit start). Empty spans touch nothing.

    Sorts the spans once and keeps the running maximum of their ends, then finds for each unit by
    bisection the spans that start before the unit ends: O((units + spans) · log spans). Units
    need not be sorted nor disjoint.
    """
    ordered = sorted((start, end) for start, end in spans if end > start)
    starts = [start for start, _end in ordered]
    furthest_end: list[int] = []
    running = -math.inf
    for _start, end in ordered:
        running = max(running, end)
        furthest_end.append(running)
    presence = []
    for unit_start, unit_end in units:
        count = bisect.bisect_left(starts, unit_end)  # spans starting before the unit ends
        presence.append(unit_end > unit_start and count > 0 and furthest_end[count - 1] > unit_start)
    return presence


def unit_presence_array(starts: np.ndarray, ends: np.ndarray, spans: Sequence[tuple[int, int]]) -> np.ndarray:
    """`unit_presence` with numpy: the units given as arrays of starts and ends, the answer a
    boolean array. The same rule and method (sorted spans, running maximum of their ends, one
    search per unit), without a Python loop over the units."""
    starts = np.asarray(starts, dtype=np.int64)
    ends = np.asarray(ends, dtype=np.int64)
    if not len(spans):
        return np.zeros(len(starts), dtype=bool)
    offsets = np.asarray(spans, dtype=np.int64).reshape(-1, 2)
    offsets = offsets[offsets[:, 1] > offsets[:, 0]]
    if not len(offsets):
        return np.zeros(len(starts), dtype=bool)
    offsets = offsets[np.argsort(offsets[:, 0], kind="stable")]
    furthest_end = np.maximum.accumulate(offsets[:, 1])
    count = np.searchsorted(offsets[:, 0], ends, side="left")  # spans starting before the unit ends
    reached = furthest_end[np.maximum(count - 1, 0)] > starts
    return (ends > starts) & (count > 0) & reached


# Agreement -------------------------------------------------------------------------------------


def _columns(data: Sequence[Sequence[Any]]) -> list[list[Any]]:
    """The units (columns) of a coders × units table, each as the list of its non-missing values."""
    if not data:
        return []
    width = len(data[0])
    for row in data:
        if len(row) != width:
            raise ValueError("every coder (row) must have a value or None for every unit (column)")
    return [[row[index] for row in data if row[index] is not None] for index in range(width)]


def percent_agreement(data: Sequence[Sequence[Hashable | None]]) -> float | None:
    """Share of agreeing pairs among all pairs of coders within units, from 0 to 1.

    `data` has one row per coder and one column per unit; None is a missing value. A unit with m
    values holds m(m − 1)/2 pairs of coders, of which Σ_c n_c(n_c − 1)/2 agree (n_c coders chose
    value c). The pairs of all units with at least two values are pooled (Fleiss 1971); for two
    coders this is the share of units on which they agree. None when no unit has two values.
    """
    return _percent([values for values in _columns(data) if len(values) >= 2])


def _percent(units: list[list[Any]]) -> float | None:
    pairs = agreeing = 0
    for values in units:
        count = len(values)
        pairs += count * (count - 1) // 2
        agreeing += sum(n * (n - 1) // 2 for n in Counter(values).values())
    return agreeing / pairs if pairs else None


def cohen_kappa(a: Sequence[Hashable | None], b: Sequence[Hashable | None]) -> float | None:
    """Cohen's kappa (1960) of two coders over the same units: κ = (p_o − p_e) / (1 − p_e).

    Units where either coder has no value (None) are left out. p_o is the share of units on which
    the coders agree; p_e = Σ_c p_a(c)·p_b(c), with p_a(c) the share of units coder a put in
    category c. Computed on whole counts, so that κ is exact up to the final division.

    Returns None when kappa is undefined: no unit coded by both, or p_e = 1, which happens only
    when both coders gave every unit one and the same value (agreement is then perfect, but so
    is the agreement expected by chance; show it as "—, every unit carries the same value").
    """
    if len(a) != len(b):
        raise ValueError("both coders must have a value or None for every unit")
    pairs = [(x, y) for x, y in zip(a, b, strict=True) if x is not None and y is not None]
    total = len(pairs)
    if not total:
        return None
    observed = sum(1 for x, y in pairs if x == y)
    counts_a = Counter(x for x, _y in pairs)
    counts_b = Counter(y for _x, y in pairs)
    chance = sum(count * counts_b.get(value, 0) for value, count in counts_a.items())  # p_e · N²
    if chance == total * total:
        return None
    return (observed * total - chance) / (total * total - chance)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def krippendorff_alpha(data: Sequence[Sequence[float | str | None]], level: str = "nominal") -> float | None:
    """Krippendorff's alpha, α = 1 − D_o / D_e, through the coincidence matrix (Krippendorff 2011).

    `data` has one row per coder and one column per unit; None is a missing value. Each unit u
    with m_u ≥ 2 values adds, for every ordered pair of values (c, k) from different coders,
    1 / (m_u − 1) to the coincidence o_ck; units with fewer than two values drop out. With
    n_c = Σ_k o_ck and n = Σ_c n_c:

        α = 1 − (n − 1) · Σ_c Σ_k o_ck δ²_ck / Σ_c Σ_k n_c n_k δ²_ck

    with the difference δ²_ck of the level: nominal 0 if c = k else 1; ordinal
    (Σ_{g=c..k} n_g − (n_c + n_k)/2)² over the values in rank order; interval (c − k)²;
    ratio ((c − k) / (c + k))² (0 for two zeros). Nominal values may be any hashable labels;
    the other levels need numbers (ratio: numbers of 0 or more).

    The matrix is never built: Σ o_ck δ²_ck is summed unit by unit, and n_c is the number of
    times c occurs in pairable units. The ordinal difference equals (M_k − M_c)² with the
    mid-rank M_c = Σ_{g≤c} n_g − n_c/2, so ordinal and interval share the closed form
    Σ_c Σ_k n_c n_k (y_c − y_k)² = 2 n Σ_c n_c y_c² − 2 (Σ_c n_c y_c)²; thus thousands of
    distinct values cost no V × V memory (ratio alone sums over value pairs, in blocks).

    Returns None when alpha is undefined: no unit has two values, or D_e = 0 (every pairable
    value is the same).
    """
    if level not in LEVELS:
        raise ValueError(f"level must be one of {', '.join(LEVELS)}, not {level!r}")
    return _alpha(_pairable(_columns(data), level), level)


def _pairable(columns: list[list[Any]], level: str) -> list[list[Any]]:
    """The units with at least two values, checked for the level."""
    units = [values for values in columns if len(values) >= 2]
    if level != "nominal":
        for values in units:
            for value in values:
                if not _is_number(value):
                    raise ValueError(f"the {level} level needs numbers, not {value!r}")
                if level == "ratio" and value < 0:
                    raise ValueError(f"the ratio level needs numbers of 0 or more, not {value!r}")
    return units


def _alpha(units: list[list[Any]], level: str) -> float | None:
    if not units:
        return None
    marginals = Counter(value for values in units for value in values)
    total = sum(marginals.values())
    if level == "nominal":
        observed = sum(
            (len(values) ** 2 - sum(n * n for n in Counter(values).values())) / (len(values) - 1)
            for values in units
        )
        expected = float(total * total - sum(n * n for n in marginals.values()))
    elif level == "ratio":
        observed = sum(
            sum(_ratio_difference(x, y) for x in values for y in values) / (len(values) - 1)
            for values in units
        )
        expected = _ratio_expected(marginals)
    else:
        if level == "ordinal":
            position, cumulative = {}, 0
            for value in sorted(marginals):
                position[value] = cumulative + marginals[value] / 2  # mid-rank, M_c
                cumulative += marginals[value]
        else:
            position = {value: float(value) for value in marginals}
        # Shifting every position by the mean changes no difference and keeps the sums small.
        mean = sum(position[value] * count for value, count in marginals.items()) / total
        position = {value: y - mean for value, y in position.items()}
        observed = 0.0
        for values in units:
            ys = [position[value] for value in values]
            observed += (2 * len(ys) * sum(y * y for y in ys) - 2 * sum(ys) ** 2) / (len(ys) - 1)
        weighted = sum(position[value] * count for value, count in marginals.items())
        squares = sum(position[value] ** 2 * count for value, count in marginals.items())
        expected = 2 * total * squares - 2 * weighted**2
    if expected <= 0:
        return None
    return float(1.0 - (total - 1) * observed / expected)


def _ratio_difference(x: float, y: float) -> float:
    return ((x - y) / (x + y)) ** 2 if x + y > 0 else 0.0


def _ratio_expected(marginals: Counter, block: int = 256) -> float:
    """Σ_c Σ_k n_c n_k ((c − k) / (c + k))², a block of rows at a time to bound memory."""
    values = np.array(list(marginals), dtype=float)
    counts = np.array(list(marginals.values()), dtype=float)
    expected = 0.0
    for start in range(0, len(values), block):
        rows = values[start : start + block, None]
        sums = rows + values[None, :]
        shares = np.divide(rows - values[None, :], sums, out=np.zeros_like(sums), where=sums > 0)
        np.square(shares, out=shares)
        expected += float(counts[start : start + block] @ shares @ counts)
    return expected


@dataclass
class AgreementResult:
    """Agreement of several coders over units, at one level of measurement."""

    alpha: float | None  # Krippendorff's alpha; None when undefined
    kappa: float | None  # Cohen's kappa, only for exactly two coders (values taken as categories)
    percent: float | None  # share of agreeing pairs of coders, 0 to 1
    n_units: int  # units with values from at least two coders
    n_coders: int
    level: str


Column = tuple[Hashable | None, ...]


def count_columns(data: Sequence[Sequence[Any]]) -> Counter:
    """{column: number of units}: the units of a coders × units table (None = missing) counted by
    their column of values, one per coder. Equal columns are one key (as in a dict: 1 == 1.0)."""
    if not data:
        return Counter()
    width = len(data[0])
    for row in data:
        if len(row) != width:
            raise ValueError("every coder (row) must have a value or None for every unit (column)")
    return Counter(zip(*data, strict=True))


def agreement(data: Sequence[Sequence[Any]], level: str = "nominal") -> AgreementResult:
    """Alpha at `level`, kappa when there are exactly two coders, and percent agreement, of a
    coders × units table (None = missing). Kappa and percent agreement compare values as
    categories whatever the level: 2 and 3 disagree as much as 1 and 5.

    The units are counted by their column of values (`count_columns`) and the statistics computed
    once per distinct column (`agreement_from_columns`): coded presence has few distinct columns
    (at most 3^coders), so a round of tens of thousands of units costs milliseconds."""
    if level not in LEVELS:
        raise ValueError(f"level must be one of {', '.join(LEVELS)}, not {level!r}")
    if level != "nominal":
        # Counting merges equal values (True == 1), so refuse booleans before they hide.
        for row in data:
            if bool in set(map(type, row)):
                raise ValueError(f"the {level} level needs numbers, not True or False")
    return agreement_from_columns(count_columns(data), level, n_coders=len(data))


def agreement_from_columns(
    columns: Mapping[Column, int], level: str = "nominal", *, n_coders: int | None = None
) -> AgreementResult:
    """`agreement` of the units described by `columns`: each key is one unit's values, one per
    coder in the same order for every key (None = missing), and its value how many units have
    exactly that column. The same numbers as `agreement` on the expanded table, computed once per
    distinct column, each weighted by its count:

    - percent agreement: Σ w·Σ_c n_c(n_c − 1)/2 over Σ w·m(m − 1)/2, in whole numbers;
    - Cohen's kappa (two coders): the weighted table of the two coders' values, in whole numbers;
    - Krippendorff's alpha: the coincidences o_ck = Σ_u w_u (n_uc n_uk − [c = k] n_uc) / (m_u − 1)
      and the marginals n_c = Σ_k o_ck, summed as in `krippendorff_alpha` (nominal: exactly, the
      numerators grouped by m_u; the others through the same closed forms).

    `n_coders` is the number of coders when `columns` is empty (else the length of the keys).
    Counts of 0 are ignored; negative counts are refused.
    """
    if level not in LEVELS:
        raise ValueError(f"level must be one of {', '.join(LEVELS)}, not {level!r}")
    weighted: list[tuple[Column, int]] = []
    width = None
    for column, count in columns.items():
        column = tuple(column)
        if width is None:
            width = len(column)
        elif len(column) != width:
            raise ValueError("every column must have one value or None per coder")
        if count < 0:
            raise ValueError(f"a column cannot be counted {count!r} times")
        if count:
            weighted.append((column, int(count)))
    if n_coders is None:
        n_coders = width or 0
    elif width is not None and width != n_coders:
        raise ValueError(f"the columns have {width} values, not one per each of {n_coders} coders")
    kappa = _weighted_kappa(weighted) if n_coders == 2 else None
    units = [(values, count) for column, count in weighted if len(values := _present(column)) >= 2]
    if level != "nominal":
        for values, _count in units:
            for value in values:
                if not _is_number(value):
                    raise ValueError(f"the {level} level needs numbers, not {value!r}")
                if level == "ratio" and value < 0:
                    raise ValueError(f"the ratio level needs numbers of 0 or more, not {value!r}")
    return AgreementResult(
        alpha=_weighted_alpha(units, level),
        kappa=kappa,
        percent=_weighted_percent(units),
        n_units=sum(count for _values, count in units),
        n_coders=n_coders,
        level=level,
    )


def _present(column: Column) -> list[Any]:
    return [value for value in column if value is not None]


def _weighted_percent(units: list[tuple[list[Any], int]]) -> float | None:
    pairs = agreeing = 0
    for values, weight in units:
        count = len(values)
        pairs += weight * (count * (count - 1) // 2)
        agreeing += weight * sum(n * (n - 1) // 2 for n in Counter(values).values())
    return agreeing / pairs if pairs else None


def _weighted_kappa(columns: list[tuple[Column, int]]) -> float | None:
    """`cohen_kappa` of two coders from their weighted columns (whole numbers up to the division)."""
    total = observed = 0
    counts_a: Counter = Counter()
    counts_b: Counter = Counter()
    for (x, y), weight in columns:
        if x is None or y is None:
            continue
        total += weight
        if x == y:
            observed += weight
        counts_a[x] += weight
        counts_b[y] += weight
    if not total:
        return None
    chance = sum(count * counts_b.get(value, 0) for value, count in counts_a.items())  # p_e · N²
    if chance == total * total:
        return None
    return (observed * total - chance) / (total * total - chance)


def _weighted_alpha(units: list[tuple[list[Any], int]], level: str) -> float | None:
    if not units:
        return None
    marginals: Counter = Counter()
    for values, weight in units:
        for value in values:
            marginals[value] += weight
    total = sum(marginals.values())
    if level == "nominal":
        # Σ_{c≠k} o_ck: per unit (m² − Σ_c n_uc²) / (m − 1); whole numerators summed per m.
        numerators: Counter = Counter()
        for values, weight in units:
            size = len(values)
            numerators[size] += weight * (size * size - sum(n * n for n in Counter(values).values()))
        observed = sum(numerator / (size - 1) for size, numerator in sorted(numerators.items()))
        expected = float(total * total - sum(n * n for n in marginals.values()))
    elif level == "ratio":
        observed = sum(
            weight * sum(_ratio_difference(x, y) for x in values for y in values) / (len(values) - 1)
            for values, weight in units
        )
        expected = _ratio_expected(marginals)
    else:
        position = _positions(marginals, level, total)
        observed = 0.0
        for values, weight in units:
            ys = [position[value] for value in values]
            observed += weight * (2 * len(ys) * sum(y * y for y in ys) - 2 * sum(ys) ** 2) / (len(ys) - 1)
        weighted_sum = sum(position[value] * count for value, count in marginals.items())
        squares = sum(position[value] ** 2 * count for value, count in marginals.items())
        expected = 2 * total * squares - 2 * weighted_sum**2
    if expected <= 0:
        return None
    return float(1.0 - (total - 1) * observed / expected)


def _positions(marginals: Counter, level: str, total: int) -> dict[Any, float]:
    """Ordinal: the mid-ranks M_c; interval: the values; both shifted by their weighted mean (which
    changes no difference and keeps the sums small)."""
    if level == "ordinal":
        position, cumulative = {}, 0
        for value in sorted(marginals):
            position[value] = cumulative + marginals[value] / 2  # mid-rank, M_c
            cumulative += marginals[value]
    else:
        position = {value: float(value) for value in marginals}
    mean = sum(position[value] * count for value, count in marginals.items()) / total
    return {value: y - mean for value, y in position.items()}


def to_json(result: AgreementResult) -> dict[str, Any]:
    """The result as JSON-ready data (numbers, strings and None)."""
    return {
        "alpha": result.alpha,
        "kappa": result.kappa,
        "percent_agreement": result.percent,
        "n_units": result.n_units,
        "n_coders": result.n_coders,
        "level": result.level,
    }


# Co-occurrence ---------------------------------------------------------------------------------


def cooccurrence(
    spans: Iterable[tuple[Hashable, Hashable, int, int]],
) -> dict[tuple[Hashable, Hashable], int]:
    """How often two different codes overlap: for each unordered pair of codes (the key is the
    sorted pair), the number of pairs of spans in the same document that share at least one
    character. Spans are (document_id, code_id, start, end) with end exclusive; empty spans and
    spans of the same code are never counted. Code ids must be comparable with each other.

    Sweeps each document's spans in order of start, keeping the spans still open in a heap by
    end: O(n log n + number of overlapping pairs), not O(n²).
    """
    by_document: dict[Hashable, list[tuple[int, int, Hashable]]] = defaultdict(list)
    for document, code, start, end in spans:
        if end > start:
            by_document[document].append((start, end, code))
    counts: dict[tuple[Hashable, Hashable], int] = defaultdict(int)
    for document_spans in by_document.values():
        document_spans.sort(key=lambda span: (span[0], span[1]))
        open_spans: list[tuple[int, int, Hashable]] = []  # (end, sequence, code)
        for sequence, (start, end, code) in enumerate(document_spans):
            while open_spans and open_spans[0][0] <= start:
                heapq.heappop(open_spans)
            for _end, _sequence, other in open_spans:
                if other != code:
                    counts[(code, other) if code < other else (other, code)] += 1
            heapq.heappush(open_spans, (end, sequence, code))
    return dict(counts)
