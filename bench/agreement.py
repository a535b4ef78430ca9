"""How fast a blind round's comparison answers, against the same statistics computed by hand.

    python bench/agreement.py [--documents 100] [--words 5000] [--codes 30] [--codings 10000]
                              [--coders 2] [--runs 5] [--seed 1]

It builds its own throwaway SQLite database as bench/registry.py does (a temporary folder removed
at the end), migrates it, and writes a closed round: `--documents` transcripts of about `--words`
words (interviewer and respondent turns of ordinary sentences), `--codes` codes, `--coders` coders
and about `--codings` codings (the first coder codes spans of one to three sentences; the others
mostly code the same span, sometimes shifted, sometimes elsewhere). Then it times, p50 of `--runs`
runs, the cache cleared before each:

- one code:  `rounds.compare_round(round, code=<a code>)`;
- all codes: `rounds.compare_round(round)`, per code and the pooled overall figure;
- all codes again, the units cached (a coding changed since the last view: the comparison is
             recomputed, the documents' units are not);
- baseline:  the same figures from data already in memory (the texts and the codings' offsets,
             read before the clock starts): the sentence units (`analysis.split_units`), the
             presence matrices with numpy (np.searchsorted), and nominal alpha, kappa and percent
             agreement with the published formulas (Krippendorff 2011, Cohen 1960) in numpy;
             timed for one code and for all codes, the units included in both.

It checks that both give the same alpha for every code, prints JSON with the timings, the ratios
compare_round / baseline and pass/fail against the target (one code <= 2 s; all codes <= 2 s), and
writes it to bench/out/agreement.json.
"""

import argparse
import json
import platform
import random
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))
import registry  # noqa: E402

TARGET_SECONDS = 2.0
WORDS = (
    "work shift wage schedule agency contract rent union council health safety overtime night "
    "warehouse cleaning care home members rights training ordinance heat break injury clinic "
    "insurance family childcare bus week month employer manager supervisor payment late sick "
    "leave fear complaint inspector language paper status city county state program grant"
).split()
SPEAKERS = ("Interviewer", "Respondent")


# --- The round --------------------------------------------------------------------------------


def transcript(rng: random.Random, words: int) -> str:
    """Turns of the two speakers, each of one to six sentences of 6 to 20 words."""
    turns, count, turn = [], 0, 0
    while count < words:
        sentences = []
        for _ in range(rng.randint(1, 6)):
            length = rng.randint(6, 20)
            sentence = " ".join(rng.choice(WORDS) for _ in range(length))
            sentences.append(sentence[0].upper() + sentence[1:] + rng.choice(".....?!"))
            count += length
        turns.append(f"{SPEAKERS[turn % 2]}: " + " ".join(sentences))
        turn += 1
    return "\n\n".join(turns)


def build_round(args: argparse.Namespace) -> dict[str, Any]:
    from healthywork.accounts.models import User
    from healthywork.accounts.roles import Role
    from healthywork.scan import analysis
    from healthywork.scan.models import Code, Coding, Document, Project, ProjectMember, ProjectRole, Round

    rng = random.Random(args.seed)
    lead = User.objects.create(username="bench-lead", role=Role.ADMINISTRATOR)
    coders = [User.objects.create(username=f"bench-coder-{i}", role=Role.CODER) for i in range(args.coders)]
    project = Project.objects.create(name="Agreement bench")
    ProjectMember.objects.bulk_create(
        ProjectMember(project=project, user=coder, role=ProjectRole.CODER) for coder in coders
    )
    documents = Document.objects.bulk_create(
        Document(project=project, title=f"Transcript {i:03d}", text=transcript(rng, args.words))
        for i in range(args.documents)
    )
    codes = Code.objects.bulk_create(
        Code(project=project, name=f"Code {i:02d}", position=i) for i in range(args.codes)
    )
    blind_round = Round.objects.create(project=project, name="Bench round", opened_by=lead)
    blind_round.documents.set(documents)
    blind_round.coders.set(coders)
    per_document = max(1, args.codings // (args.documents * args.coders))
    codings = []
    for document in documents:
        units = analysis.split_units(document.text, "sentence")
        for _ in range(per_document):
            code = rng.choice(codes)
            first = rng.randrange(len(units))
            last = min(len(units) - 1, first + rng.randrange(3))
            for index, coder in enumerate(coders):
                low, high = first, last
                if index and rng.random() < 0.25:  # another coder differs: shifted or elsewhere
                    low = rng.randrange(len(units)) if rng.random() < 0.5 else max(0, first - 1)
                    high = min(len(units) - 1, low + rng.randrange(3))
                start, end = units[low][0], units[high][1]
                codings.append(
                    Coding(
                        document=document,
                        code=code,
                        coder=coder,
                        round=blind_round,
                        start_offset=start,
                        end_offset=end,
                        snippet=document.text[start:end],
                    )
                )
    Coding.objects.bulk_create(codings, batch_size=2000)
    blind_round.status = "closed"
    blind_round.save(update_fields=["status"])
    return {"round": blind_round, "codes": codes, "coders": coders, "codings": len(codings)}


# --- The baseline -----------------------------------------------------------------------------


def load_in_memory(blind_round) -> tuple[list[str], dict[tuple[int, int, int], list[tuple[int, int]]]]:
    """The documents' texts (ordered by title) and {(document index, code pk, coder pk): spans}."""
    from healthywork.scan.models import Coding

    documents = list(blind_round.documents.order_by("title", "id").values_list("pk", "text"))
    position = {pk: index for index, (pk, _text) in enumerate(documents)}
    spans: dict[tuple[int, int, int], list[tuple[int, int]]] = {}
    rows = Coding.objects.filter(round=blind_round, is_consensus=False).values_list(
        "document_id", "code_id", "coder_id", "start_offset", "end_offset"
    )
    for document_id, code_id, coder_id, start, end in rows:
        spans.setdefault((position[document_id], code_id, coder_id), []).append((start, end))
    return [text for _pk, text in documents], spans


def nominal_figures(matrix: np.ndarray) -> tuple[float | None, float | None, float | None]:
    """(alpha, kappa, percent) of a coders × units matrix of −1 (missing), 0 and 1, by the
    published formulas: the 2 × 2 coincidence matrix (Krippendorff 2011, section A/C), Cohen's
    p_o and p_e, and the pooled pairwise agreement."""
    present = matrix >= 0
    m = present.sum(axis=0)
    ones = (matrix == 1).sum(axis=0)
    zeros = m - ones
    pairable = m >= 2
    m, ones, zeros = m[pairable], ones[pairable], zeros[pairable]
    o_01 = float(np.sum(ones * zeros / (m - 1)))  # = o_10
    n_1, n_0 = int(ones.sum()), int(zeros.sum())
    n = n_1 + n_0
    alpha = 1 - (n - 1) * o_01 / (n_0 * n_1) if n_0 and n_1 else None  # 1 − (n−1)·2o_01 / (2 n_0 n_1)
    pairs = int(np.sum(m * (m - 1) // 2))
    agreeing = int(np.sum(ones * (ones - 1) // 2 + zeros * (zeros - 1) // 2))
    percent = agreeing / pairs if pairs else None
    kappa = None
    if matrix.shape[0] == 2:
        both = present.all(axis=0)
        a, b = matrix[0, both], matrix[1, both]
        total = int(both.sum())
        observed = int(np.sum(a == b))
        chance = int(np.sum(a == 1)) * int(np.sum(b == 1)) + int(np.sum(a == 0)) * int(np.sum(b == 0))
        if total and chance != total * total:
            kappa = (observed * total - chance) / (total * total - chance)
    return alpha, kappa, percent


def baseline(
    texts: list[str], spans: dict, code_pks: list[int], coder_pks: list[int]
) -> dict[int, tuple[float | None, float | None, float | None]]:
    """Nominal (alpha, kappa, percent) per code of `code_pks`, from the data in memory."""
    from healthywork.scan import analysis

    bounds = [
        np.array(analysis.split_units(text, "sentence"), dtype=np.int64).reshape(-1, 2) for text in texts
    ]
    first = np.cumsum([0] + [len(b) for b in bounds])
    total = int(first[-1])
    started = np.full((len(coder_pks), total), -1, dtype=np.int8)
    for document, _code_pk, coder_pk in spans:
        started[coder_pks.index(coder_pk), first[document] : first[document + 1]] = 0
    wanted = set(code_pks)
    matrices = {code_pk: started.copy() for code_pk in code_pks}
    for (document, code_pk, coder_pk), coder_spans in spans.items():
        if code_pk not in wanted:
            continue
        offsets = np.array(coder_spans, dtype=np.int64)
        offsets = offsets[np.argsort(offsets[:, 0])]
        furthest = np.maximum.accumulate(offsets[:, 1])
        unit_starts, unit_ends = bounds[document][:, 0], bounds[document][:, 1]
        count = np.searchsorted(offsets[:, 0], unit_ends)
        hit = (count > 0) & (furthest[np.maximum(count - 1, 0)] > unit_starts)
        row = matrices[code_pk][coder_pks.index(coder_pk), first[document] : first[document + 1]]
        row[hit] = 1
    figures = {code_pk: nominal_figures(matrix) for code_pk, matrix in matrices.items()}
    if len(code_pks) > 1:
        figures[0] = nominal_figures(np.concatenate([matrices[pk] for pk in code_pks], axis=1))  # pooled
    return figures


# --- Timing -----------------------------------------------------------------------------------


def p50(function, runs: int) -> tuple[float, Any]:
    timings, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = function()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings), result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--documents", type=int, default=100)
    parser.add_argument("--words", type=int, default=5000)
    parser.add_argument("--codes", type=int, default=30)
    parser.add_argument("--codings", type=int, default=10000)
    parser.add_argument("--coders", type=int, default=2)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    args.database_url = None
    return registry.run_bench(args, run)


def run(args: argparse.Namespace) -> int:
    import django

    django.setup()
    from django.core.cache import cache

    from healthywork.scan import rounds

    registry.migrate()
    built = build_round(args)
    blind_round, codes = built["round"], built["codes"]
    coder_pks = [coder.pk for coder in sorted(built["coders"], key=lambda coder: coder.username)]
    one = codes[0]

    def compare_one():
        cache.clear()
        return rounds.compare_round(blind_round, code=one)

    def compare_all():
        cache.clear()
        return rounds.compare_round(blind_round)

    texts, spans = load_in_memory(blind_round)
    all_pks = [code.pk for code in codes]
    one_seconds, one_result = p50(compare_one, args.runs)
    all_seconds, all_result = p50(compare_all, args.runs)
    # A coding changed since the last view: the comparison is recomputed, the units are cached.
    rounds.compare_round(blind_round)
    warm_seconds, _warm = p50(lambda: rounds._compare(blind_round, blind_round.unit, None), args.runs)
    base_one_seconds, base_one = p50(lambda: baseline(texts, spans, [one.pk], coder_pks), args.runs)
    base_all_seconds, base_all = p50(lambda: baseline(texts, spans, all_pks, coder_pks), args.runs)
    units_seconds, _units = p50(
        lambda: [rounds.analysis.split_units(text, "sentence") for text in texts], args.runs
    )

    mismatches = []
    for item in all_result.codes:
        expected = base_all[item.code.pk]
        for name, value, reference in zip(
            ("alpha", "kappa", "percent"), (item.alpha, item.kappa, item.percent), expected, strict=True
        ):
            if (value is None) != (reference is None) or (
                value is not None and abs(value - reference) > 1e-9
            ):
                mismatches.append(f"{item.code.name} {name}: {value} != {reference}")
    overall = all_result.overall
    for name, value, reference in zip(
        ("alpha", "kappa", "percent"),
        (overall.alpha, overall.kappa, overall.percent),
        base_all[0],
        strict=True,
    ):
        if (value is None) != (reference is None) or (value is not None and abs(value - reference) > 1e-9):
            mismatches.append(f"overall {name}: {value} != {reference}")
    if abs(one_result.codes[0].alpha - base_one[one.pk][0]) > 1e-9:
        mismatches.append("one code alpha differs")

    result = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": platform.platform(),
        "python": platform.python_version(),
        "round": {
            "documents": args.documents,
            "words_per_document": args.words,
            "codes": args.codes,
            "coders": args.coders,
            "codings": built["codings"],
            "units": all_result.n_units,
        },
        "runs": args.runs,
        "split_units_p50_s": round(units_seconds, 3),
        "one_code": {
            "compare_round_p50_s": round(one_seconds, 3),
            "baseline_p50_s": round(base_one_seconds, 3),
            "ratio": round(one_seconds / base_one_seconds, 2),
            "target_s": TARGET_SECONDS,
            "pass": one_seconds <= TARGET_SECONDS,
        },
        "all_codes": {
            "compare_round_p50_s": round(all_seconds, 3),
            "baseline_p50_s": round(base_all_seconds, 3),
            "ratio": round(all_seconds / base_all_seconds, 2),
            "target_s": TARGET_SECONDS,
            "pass": all_seconds <= TARGET_SECONDS,
            "units_cached_p50_s": round(warm_seconds, 3),
        },
        "overall_alpha": overall.alpha,
        "same_figures_as_baseline": not mismatches,
        "mismatches": mismatches[:10],
    }
    output = json.dumps(result, indent=2)
    print(output)
    out_dir = registry.OUT_DIR
    out_dir.mkdir(exist_ok=True)
    (out_dir / "agreement.json").write_text(output + "\n")
    return 0 if not mismatches and result["one_code"]["pass"] and result["all_codes"]["pass"] else 1


if __name__ == "__main__":
    sys.exit(main())
