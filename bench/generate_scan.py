"""Fill the database the settings select with one large, invented qualitative-coding project.

    python bench/generate_scan.py [--documents 2000] [--words 5000] [--codings 100] [--codes 60]
                                  [--round-documents 100] [--organizations 500]

One project ("Bench scan") with `--codes` codes (the scan codebook, `codebook.SCAN_CODEBOOK`,
filled out with more sub-codes), `--documents` interview transcripts of about `--words` words
each (written by `healthywork.scan.demo_transcripts`, with the organization's sector family
choosing the themes), one interview per transcript at one of `--organizations` invented
organizations (made as `generate_registry` makes them), and `--codings` codings per transcript
by two or three coders: whole sentences (sometimes two) coded with their theme's code or another
code of the same branch. The first `--round-documents` transcripts are in a closed blind round
of two coders, who code the same sentences with some disagreements. Rows go in with
`bulk_create` in batches; then the statistics are refreshed. The same seed gives the same rows.

The database is the usual one: HEALTHYWORK_DATA_DIR (SQLite) or DATABASE_URL (PostgreSQL); run
`healthywork migrate` on it first. It refuses a database that already holds a scan project
unless given --force.
"""

import argparse
import os
import random
import sys
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import generate_registry  # noqa: E402  (invented organizations, the batch size)

PROJECT_NAME = "Bench scan"
ROUND_NAME = "Bench double-coding"
CODERS = ["bench-coder-1", "bench-coder-2", "bench-coder-3"]
DOCUMENT_BATCH = 100  # transcripts are ~30 kB each
CODING_BATCH = 5_000
DISAGREEMENT = 0.12  # the second coder of the round: another code, or no coding, this often


def _uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def _refuse_if_not_fresh(force: bool) -> None:
    from healthywork.scan.models import Project

    if Project.objects.exists() and not force:
        raise SystemExit(
            f"This database already holds {Project.objects.count()} scan project(s); it may be a real "
            "one. Use a fresh database, or --force if you are sure."
        )


def _codes(project, total: int, rng: random.Random) -> dict[str, list[int]]:
    """The scan codebook plus invented sub-codes up to `total` codes; returns, per sentence bank
    of the demo transcripts, the ids of the codes a coder may choose for it (its own code first)."""
    from healthywork.scan.codebook import seed_scan_codebook
    from healthywork.scan.demo import BANK_CODES
    from healthywork.scan.models import Code

    seed_scan_codebook(project)
    tops = list(Code.objects.filter(project=project, parent=None).order_by("position", "name"))
    extra = []
    count = Code.objects.filter(project=project).count()
    for index in range(max(0, total - count)):
        top = tops[index % len(tops)]
        extra.append(
            Code(
                project=project,
                parent=top,
                name=f"Bench theme {index + 1}",
                definition="An invented sub-code for the benchmark.",
                colour=top.colour,
                position=100 + index,
            )
        )
    Code.objects.bulk_create(extra)
    by_path = {}
    for code in Code.objects.filter(project=project).select_related("parent"):
        by_path[(code.parent.name, code.name) if code.parent else (code.name,)] = code
    branch: dict[str, list[int]] = {}
    for code in by_path.values():
        branch.setdefault(code.parent.name if code.parent else code.name, []).append(code.pk)
    choices = {}
    for bank, path in BANK_CODES.items():
        own = by_path[path].pk
        choices[bank] = [own] + sorted(pk for pk in branch[path[0]] if pk != own)
    return choices


def _spans(rng: random.Random, transcript, wanted: int) -> list[tuple[str, int, int]]:
    """`wanted` disjoint sentence spans (bank, start, end): one sentence, or two of one answer."""
    segments = transcript.segments
    order = sorted(rng.sample(range(len(segments)), min(wanted, len(segments))))
    spans = []
    taken = -1
    for index in order:
        if index <= taken:
            continue
        segment = segments[index]
        end = segment.end
        following = segments[index + 1] if index + 1 < len(segments) else None
        if following is not None and following.answer == segment.answer and rng.random() < 0.2:
            end, taken = following.end, index + 1
        spans.append((segment.bank, segment.start, end))
    return spans


def generate(
    documents: int = 2_000,
    words: int = 5_000,
    codings_per_document: int = 100,
    codes: int = 60,
    round_documents: int = 100,
    organizations: int = 500,
    seed: int = 2017,
    force: bool = False,
    log: Callable[[str], None] = print,
) -> dict[str, float]:
    """Add the bench project. Returns the seconds each step took. Needs a migrated database."""
    from django.db import transaction

    from healthywork.accounts.models import User
    from healthywork.accounts.roles import Role
    from healthywork.partners.models import Organization, Sector
    from healthywork.scan import demo_transcripts
    from healthywork.scan.models import (
        Coding,
        Document,
        Interview,
        InterviewStatus,
        Project,
        ProjectMember,
        ProjectRole,
        Round,
        RoundStatus,
    )

    _refuse_if_not_fresh(force)
    rng = random.Random(seed)
    timings: dict[str, float] = {}
    started = time.perf_counter()
    sectors = list(Sector.objects.order_by("slug"))
    if not sectors:
        raise SystemExit("No sectors: run `healthywork migrate` first (it seeds them).")
    batch = []
    for _ in range(organizations):
        sector = rng.choice(sectors)
        organization = Organization(sector=sector, **generate_registry.organization_values(rng, sector.slug))
        organization.refresh_derived()
        batch.append(organization)
    Organization.objects.bulk_create(batch, batch_size=generate_registry.BATCH_SIZE)
    orgs = list(Organization.objects.order_by("pk").values_list("pk", "sector__family"))
    coders = [User.objects.create(username=name, role=Role.CODER) for name in CODERS]
    project = Project.objects.create(name=PROJECT_NAME, description="Invented for the benchmark.")
    ProjectMember.objects.bulk_create(
        ProjectMember(project=project, user=coder, role=ProjectRole.CODER) for coder in coders
    )
    choices = _codes(project, codes, rng)
    timings["setup"] = time.perf_counter() - started
    log(
        f"{organizations:,} organizations, {len(coders)} coders, {sum(1 for _ in choices)} banks in "
        f"{timings['setup']:.1f} s"
    )

    started = time.perf_counter()
    blind_round = Round.objects.create(
        project=project,
        name=ROUND_NAME,
        status=RoundStatus.CLOSED,
        closed_at=datetime(2017, 9, 1, tzinfo=UTC),
    )
    blind_round.coders.set(coders[:2])
    round_document_ids: list[int] = []
    total_codings = 0
    generation = 0.0
    first_day = datetime(2017, 3, 1, 10, 0, tzinfo=UTC)
    for batch_start in range(0, documents, DOCUMENT_BATCH):
        batch_stop = min(batch_start + DOCUMENT_BATCH, documents)
        plans = []
        generating = time.perf_counter()
        for index in range(batch_start, batch_stop):
            organization_id, family = orgs[index % len(orgs)]
            transcript = demo_transcripts.generate(rng, family, target_words=words, name_chance=0)
            plans.append((index, organization_id, transcript))
        generation += time.perf_counter() - generating
        with transaction.atomic():
            interviews = Interview.objects.bulk_create(
                Interview(
                    public_id=_uuid(rng),
                    project=project,
                    organization_id=organization_id,
                    scheduled_at=first_day + timedelta(hours=index * 3),
                    status=InterviewStatus.CODED,
                    consent_recorded=True,
                    consent_date=(first_day + timedelta(hours=index * 3)).date(),
                )
                for index, organization_id, _transcript in plans
            )
            created = Document.objects.bulk_create(
                Document(
                    public_id=_uuid(rng),
                    project=project,
                    interview=interview,
                    title=f"Transcript {index + 1:05d}",
                    text=transcript.text,
                    word_count=transcript.word_count,
                )
                for interview, (index, _organization, transcript) in zip(interviews, plans, strict=True)
            )
            rows = []
            for document, (index, _organization, transcript) in zip(created, plans, strict=True):
                in_round = index < round_documents
                if in_round:
                    round_document_ids.append(document.pk)
                    spans = _spans(rng, transcript, codings_per_document // 2)
                    coded = [(coders[0], choices[bank][0], start, end) for bank, start, end in spans]
                    for bank, start, end in spans:
                        if rng.random() >= DISAGREEMENT:
                            coded.append((coders[1], choices[bank][0], start, end))
                        elif rng.random() < 0.5:
                            coded.append((coders[1], rng.choice(choices[bank]), start, end))
                else:
                    team = coders[: rng.choice((2, 3))]
                    spans = _spans(rng, transcript, codings_per_document)
                    coded = [
                        (
                            team[position % len(team)],
                            choices[bank][0] if rng.random() < 0.6 else rng.choice(choices[bank]),
                            start,
                            end,
                        )
                        for position, (bank, start, end) in enumerate(spans)
                    ]
                rows += [
                    Coding(
                        public_id=_uuid(rng),
                        document=document,
                        code_id=code_id,
                        coder=coder,
                        round=blind_round if in_round else None,
                        start_offset=start,
                        end_offset=end,
                        snippet=transcript.text[start:end],
                    )
                    for coder, code_id, start, end in coded
                ]
            Coding.objects.bulk_create(rows, batch_size=CODING_BATCH)
            total_codings += len(rows)
        if (batch_stop // DOCUMENT_BATCH) % 5 == 0 or batch_stop == documents:
            log(f"  {batch_stop:,} transcripts, {total_codings:,} codings")
    blind_round.documents.set(round_document_ids)
    timings["documents_and_codings"] = time.perf_counter() - started
    timings["of_which_text_generation"] = generation
    log(
        f"{documents:,} transcripts, {total_codings:,} codings in {timings['documents_and_codings']:.1f} s "
        f"({generation:.1f} s writing the texts)"
    )

    started = time.perf_counter()
    _analyze()
    timings["analyze"] = time.perf_counter() - started
    return timings


def _analyze() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("ANALYZE")
        elif connection.vendor == "postgresql":
            for table in (
                "scan_document",
                "scan_coding",
                "scan_code",
                "scan_interview",
                "partners_organization",
            ):
                cursor.execute(f"VACUUM ANALYZE {table}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--documents", type=int, default=2_000)
    parser.add_argument("--words", type=int, default=5_000, help="words per transcript (about)")
    parser.add_argument("--codings", type=int, default=100, help="codings per transcript (about)")
    parser.add_argument("--codes", type=int, default=60)
    parser.add_argument("--round-documents", type=int, default=100)
    parser.add_argument("--organizations", type=int, default=500)
    parser.add_argument("--seed", type=int, default=2017)
    parser.add_argument("--force", action="store_true", help="add to a database that is not fresh")
    args = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "healthywork.settings")
    import django

    django.setup()
    from django.db import connection

    print(f"Database: {connection.vendor} {connection.settings_dict['NAME']}")
    started = time.perf_counter()
    generate(
        args.documents,
        args.words,
        args.codings,
        args.codes,
        args.round_documents,
        args.organizations,
        seed=args.seed,
        force=args.force,
    )
    print(f"Done in {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main(sys.argv[1:])
