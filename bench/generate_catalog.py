"""Fill the database the settings select with a large, invented initiative catalog.

    python bench/generate_catalog.py [--organizations 50000] [--initiatives 200000] [--people 0]

The organizations come from `generate_registry` (the same invented registry, people optional: the
catalog does not need them); the initiatives are worded from the demo catalog's templates
(`healthywork.catalog.demo`), led by those organizations across every sector with the demo's
pattern (labor organizations advocate and organize, health organizations train and set internal
policies), with 0-3 partner organizations, 0-3 healthy-work conditions and worker populations,
some tags, a status and dates. The same seed gives the same rows. Rows go in with `bulk_create`
in batches, the many-to-many links as rows of their through tables, `search_text` computed as
`Initiative.refresh_search_text` computes it (the SQLite full-text triggers fire on the inserts);
then the statistics are refreshed.

The database is the usual one: HEALTHYWORK_DATA_DIR (SQLite) or DATABASE_URL (PostgreSQL); run
`healthywork migrate` on it first. It refuses a database that already holds organizations,
people or initiatives unless given --force.
"""

import argparse
import os
import random
import sys
import time
import uuid
from collections import defaultdict
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import generate_registry  # noqa: E402  (the organizations, the batches, the refusal's spirit)

BATCH_SIZE = generate_registry.BATCH_SIZE

# Families the demo catalog has no action weights for (the registry has these sectors too).
EXTRA_ACTION_WEIGHTS: dict[str, dict[str, int]] = {
    "government": {
        "legislation-regulation": 24,
        "legal-services-rights": 16,
        "public-policy-advocacy": 10,
        "training-education": 14,
        "direct-services": 12,
        "research-data": 10,
        "communications-awareness": 9,
        "coalition-building": 5,
    },
    "business": {
        "internal-policy": 40,
        "training-education": 28,
        "direct-services": 10,
        "communications-awareness": 10,
        "coalition-building": 6,
        "research-data": 6,
    },
}
# Partners come mostly from the lead's own side; a health-labor pair is rare (the scan's finding).
ALLIES = {
    "labor": ["labor", "legal", "community", "research"],
    "legal": ["labor", "legal", "community", "research"],
    "health": ["health", "community", "research", "government"],
}
OTHER_SIDE = {"labor": "health", "legal": "health", "health": "labor"}
PARTNER_COUNTS = [(0, 40), (1, 30), (2, 20), (3, 10)]
ROLE_WEIGHTS = [("partner", 70), ("funder", 12), ("lead", 10), ("target", 8)]
EXTRA_TAGS = [
    "pilot", "multilingual", "rural", "grant-funded", "evaluation under way", "COVID-19",
    "heat", "youth", "Healthy Work Collaborative", "Spanish-language", "community-based research",
    "health equity", "racial equity", "policy win", "worker-led", "train the trainer", "toolkit",
    "public hearing", "ordinance", "data collection", "listening sessions", "media campaign",
    "cross-sector", "faith communities", "schools", "clinics", "hospitals", "unions",
    "small businesses", "staffing agencies",
]  # fmt: skip
EXTRA_SENTENCES = [
    "It reached {reach:,} workers in its first year.",
    "Materials are available in English and Spanish.",
    "Worker leaders shaped the plan from the start.",
    "An evaluation with a university partner is under way.",
    "It began after listening sessions with {pop}.",
    "Funded by a two-year foundation grant.",
    "Run together with {partners} partner organizations.",
    "The first results were presented at a public hearing.",
    "A toolkit from the project is shared with other coalitions.",
    "Volunteers and staff meet monthly to review progress.",
]  # fmt: skip
SOURCES = ["Environmental scan interview", "Stakeholder meeting", "Organization's website", "Annual report"]


def _weighted(rng: random.Random, weights: dict[str, int] | list[tuple[Any, int]]) -> Any:
    pairs = list(weights.items()) if isinstance(weights, dict) else weights
    return rng.choices([value for value, _ in pairs], [weight for _, weight in pairs])[0]


def _suits(template: Any, lead: dict[str, Any]) -> bool:
    """As `demo.Template.suits`, for every sector of the registry (the demo knows seven)."""
    if template.requires and template.requires not in lead["populations"]:
        return False
    kinds = {lead["family"], lead["sector"], lead["subsector"]}
    return not template.by or bool(kinds & set(template.by.split("|")))


def _place(rng: random.Random, lead: dict[str, Any]) -> tuple[str, str]:
    """(phrase for the title, geography) where an initiative of this organization takes place."""
    state = generate_registry.STATE_NAMES.get(lead["state"], lead["state"])
    if lead["level"] == "national" or not state:
        return "nationwide", "United States"
    if lead["level"] == "state" or not lead["city"]:
        return rng.choice([(f"in {state}", state), ("statewide", state)])
    if rng.random() < 0.3 and lead["county"]:
        return f"in {lead['county']} County", f"{lead['county']} County, {state}"
    return f"in {lead['city']}", f"{lead['city']}, {state}"


def _status_and_dates(rng: random.Random) -> tuple[str, date | None, date | None]:
    """A status and dates between 2008 and 2026, the end never before the start."""
    from healthywork.catalog.demo import STATUS_WEIGHTS

    status = str(_weighted(rng, STATUS_WEIGHTS))
    if status == "proposed":
        return (
            status,
            (date(rng.randint(2025, 2027), rng.randint(1, 12), 1) if rng.random() < 0.7 else None),
            None,
        )
    if rng.random() < 0.05:
        return status, None, None  # dates not known
    start = date(rng.randint(2008, 2025 if status == "active" else 2023), rng.randint(1, 12), 1)
    if status == "active":
        end = date(rng.randint(2026, 2028), rng.randint(1, 12), 28) if rng.random() < 0.3 else None
        return status, start, end
    months = start.month - 1 + rng.randint(6, 60)
    end_year = min(start.year + months // 12, 2026)
    end = date(end_year, months % 12 + 1, 28) if end_year > start.year else date(end_year, 12, 31)
    return status, start, end


class Catalog:
    """The taxonomies and organizations the initiatives are drawn over, read once."""

    def __init__(self) -> None:
        from healthywork.catalog.models import ActionType, Condition
        from healthywork.partners.models import Organization, Population

        # In a fixed order, so that the same seed draws the same rows on every database.
        self.action_types = dict(ActionType.objects.order_by("slug").values_list("slug", "pk"))
        self.conditions = dict(Condition.objects.order_by("slug").values_list("slug", "pk"))
        self.populations = dict(Population.objects.order_by("slug").values_list("slug", "pk"))
        served: dict[int, list[str]] = defaultdict(list)
        links = Organization.populations.through.objects.order_by("organization_id", "population__slug")
        for organization_id, slug in links.values_list("organization_id", "population__slug"):
            served[organization_id].append(slug)
        fields = ["pk", "name", "aliases", "sector__slug", "sector__family", "subsector", "level"]
        fields += ["city", "county", "state"]
        self.leads: list[dict[str, Any]] = []
        self.by_family: dict[str, list[int]] = defaultdict(list)
        self.names: dict[int, str] = {}
        rows = Organization.objects.filter(merged_into__isnull=True).order_by("pk").values_list(*fields)
        for pk, name, aliases, sector, family, subsector, level, city, county, state in rows:
            self.leads.append(
                {
                    "pk": pk,
                    "name": name,
                    "aliases": aliases,
                    "sector": sector,
                    "family": family,
                    "subsector": subsector,
                    "level": level,
                    "city": city,
                    "county": county,
                    "state": state,
                    "populations": served.get(pk, []),
                }
            )
            self.by_family[family].append(pk)
            self.names[pk] = name
        if not self.leads:
            raise SystemExit("No organizations to lead the initiatives: generate the registry first.")
        self.all_ids = [lead["pk"] for lead in self.leads]


def _partners(rng: random.Random, catalog: Catalog, lead: dict[str, Any]) -> list[tuple[int, str]]:
    """0-3 other organizations, each with a role, mostly from the lead's own side."""
    wanted = _weighted(rng, PARTNER_COUNTS)
    chosen: dict[int, str] = {}
    for _attempt in range(wanted * 3):
        if len(chosen) == wanted:
            break
        family = lead["family"]
        if family in OTHER_SIDE and rng.random() < 0.04:
            pool = catalog.by_family.get(OTHER_SIDE[family]) or catalog.all_ids
        elif family in ALLIES and rng.random() < 0.9:
            pool = catalog.by_family.get(rng.choice(ALLIES[family])) or catalog.all_ids
        else:
            pool = catalog.all_ids
        pk = rng.choice(pool)
        if pk != lead["pk"] and pk not in chosen:
            chosen[pk] = _weighted(rng, ROLE_WEIGHTS)
    return list(chosen.items())


def initiative_plan(rng: random.Random, catalog: Catalog, lead: dict[str, Any]) -> dict[str, Any]:
    """One invented initiative led by `lead`: field values, links and the search text."""
    from healthywork.catalog.demo import (
        ACTION_WEIGHTS,
        EVIDENCE_WEIGHTS,
        POPULATION_NOUNS,
        PSE_WEIGHTS,
        TEMPLATES,
        TWH_CHOICES,
    )
    from healthywork.core.search import search_document
    from healthywork.partners.models import split_list

    weights = ACTION_WEIGHTS.get(lead["family"]) or EXTRA_ACTION_WEIGHTS.get(lead["family"])
    action_type = _weighted(rng, weights or {slug: 1 for slug in TEMPLATES})
    suitable = [template for template in TEMPLATES[action_type] if _suits(template, lead)]
    template = rng.choice(suitable or [t for t in TEMPLATES[action_type] if not t.requires])
    population = (
        template.population or template.requires or rng.choice(lead["populations"] or list(POPULATION_NOUNS))
    )
    where, geography = _place(rng, lead)
    noun = POPULATION_NOUNS.get(population, "workers")
    words = {"pop": noun, "Pop": noun.capitalize(), "where": where, "org": lead["name"]}
    title = template.title.format(**words)
    status, start, end = _status_and_dates(rng)
    shape = rng.random()
    if shape < 0.06:
        title = f"Pilot: {title}"
    elif shape < 0.14:
        title = f"{title}, phase {rng.randint(2, 4)}"
    elif shape < 0.34 and start:
        title = f"{title} ({start.year})"

    partners = [] if action_type == "internal-policy" else _partners(rng, catalog, lead)
    summary = template.summary.format(**words)
    if rng.random() < 0.6:
        extra = rng.choice(EXTRA_SENTENCES)
        summary += " " + extra.format(
            reach=rng.randint(2, 400) * 25, pop=noun, partners=len(partners) or "two"
        )

    conditions = template.conditions.split()
    if rng.random() < 0.15:
        conditions.append(rng.choice(list(catalog.conditions)))
    conditions = list(dict.fromkeys(conditions))[:3] if rng.random() >= 0.08 else []
    populations = [population] if population in catalog.populations else []
    for _extra in range(_weighted(rng, [(0, 60), (1, 30), (2, 10)])):
        populations.append(rng.choice(lead["populations"] or list(catalog.populations)))
    populations = list(dict.fromkeys(populations))[:3] if rng.random() >= 0.08 else []
    tags = [tag.strip() for tag in template.tags.split(";") if tag.strip() and rng.random() < 0.5]
    for _extra in range(_weighted(rng, [(0, 65), (1, 30), (2, 5)])):
        tags.append(rng.choice(EXTRA_TAGS))
    tags = list(dict.fromkeys(tags))

    pse_class = (
        template.pse if template.pse and rng.random() < 0.8 else _weighted(rng, PSE_WEIGHTS[action_type])
    )
    level = lead["level"]
    if level == "local" and rng.random() < 0.12:
        level = "regional"
    # As Initiative.refresh_search_text: partners as InitiativePartner's ordering gives them.
    partner_names = [
        catalog.names[pk] for pk, _role in sorted(partners, key=lambda p: (p[1], catalog.names[p[0]]))
    ]
    search_text = search_document(
        title,
        summary,
        geography,
        lead["name"],
        " ".join(split_list(lead["aliases"])),
        " ".join(partner_names),
    )
    return {
        "fields": {
            "public_id": uuid.UUID(int=rng.getrandbits(128), version=4),
            "title": title,
            "summary": summary,
            "lead_organization_id": lead["pk"],
            "action_type_id": catalog.action_types[action_type],
            "pse_class": pse_class,
            "twh_level": rng.choice(TWH_CHOICES[action_type]),
            "level": level,
            "geography": geography,
            "status": status,
            "start_date": start,
            "end_date": end,
            "evidence_rating": str(_weighted(rng, EVIDENCE_WEIGHTS)) if rng.random() < 0.3 else "",
            "links": f"https://example.org/initiatives/{rng.getrandbits(40):010x}"
            if rng.random() < 0.2
            else "",
            "source": rng.choice(SOURCES) if rng.random() < 0.8 else "",
            "search_text": search_text,
        },
        "partners": partners,
        "conditions": [catalog.conditions[slug] for slug in conditions if slug in catalog.conditions],
        "populations": [catalog.populations[slug] for slug in populations],
        "tags": tags,
    }


def _refuse_if_not_fresh(force: bool) -> None:
    from healthywork.catalog.models import Initiative
    from healthywork.partners.models import Organization, Person

    held = {
        "organizations": Organization.objects.count(),
        "people": Person.objects.count(),
        "initiatives": Initiative.objects.count(),
    }
    if any(held.values()) and not force:
        listed = ", ".join(f"{count:,} {name}" for name, count in held.items())
        raise SystemExit(
            f"This database already holds {listed}; it may be a real one. "
            "Use a fresh database (`healthywork migrate` on an empty one), or --force if you are sure."
        )


def _analyze() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("INSERT INTO catalog_initiative_fts(catalog_initiative_fts) VALUES('optimize')")
            cursor.execute("ANALYZE")
        elif connection.vendor == "postgresql":
            for table in (
                "catalog_initiative",
                "catalog_initiativepartner",
                "catalog_initiative_conditions",
                "catalog_initiative_populations",
                "catalog_initiative_tags",
                "catalog_tag",
            ):
                cursor.execute(f"VACUUM ANALYZE {table}")


def _check_search_text(rng: random.Random, sample: int = 200) -> int:
    """How many of `sample` initiatives keep the search text `refresh_search_text` would give."""
    from healthywork.catalog.models import Initiative

    ids = list(Initiative.objects.order_by("pk").values_list("pk", flat=True))
    wrong = 0
    for initiative in Initiative.objects.filter(pk__in=rng.sample(ids, min(sample, len(ids)))).select_related(
        "lead_organization"
    ):
        stored = initiative.search_text
        initiative.refresh_search_text()
        wrong += initiative.search_text != stored
    return wrong


def generate(
    organizations: int = 50_000,
    initiatives: int = 200_000,
    people: int = 0,
    seed: int = 2017,
    force: bool = False,
    log: Callable[[str], None] = print,
) -> dict[str, float]:
    """Add `organizations` organizations (and `people` people) with `generate_registry`, then
    `initiatives` initiatives over every organization in the database. Returns the seconds of each
    step. Needs a migrated database and Django set up."""
    from django.db import transaction

    from healthywork.catalog.models import Initiative, InitiativePartner, Tag

    _refuse_if_not_fresh(force)
    timings: dict[str, float] = {}
    if organizations or people:
        timings.update(generate_registry.generate(organizations, people, seed=seed, force=True, log=log))

    started = time.perf_counter()
    rng = random.Random(seed + 1)
    catalog = Catalog()
    Conditions = Initiative.conditions.through
    Populations = Initiative.populations.through
    Tags = Initiative.tags.through
    tag_ids: dict[str, int] = dict(Tag.objects.values_list("name", "pk"))
    links = {"partners": 0, "conditions": 0, "populations": 0, "tags": 0}
    for start, stop in generate_registry._batches(initiatives):
        plans = [initiative_plan(rng, catalog, rng.choice(catalog.leads)) for _ in range(start, stop)]
        with transaction.atomic():
            new_tags = {tag for plan in plans for tag in plan["tags"]} - set(tag_ids)
            if new_tags:
                Tag.objects.bulk_create([Tag(name=name) for name in sorted(new_tags)])
                tag_ids = dict(Tag.objects.values_list("name", "pk"))
            created = Initiative.objects.bulk_create([Initiative(**plan["fields"]) for plan in plans])
            rows = {
                "partners": [
                    InitiativePartner(initiative_id=initiative.pk, organization_id=pk, role=role)
                    for initiative, plan in zip(created, plans, strict=True)
                    for pk, role in plan["partners"]
                ],
                "conditions": [
                    Conditions(initiative_id=initiative.pk, condition_id=pk)
                    for initiative, plan in zip(created, plans, strict=True)
                    for pk in plan["conditions"]
                ],
                "populations": [
                    Populations(initiative_id=initiative.pk, population_id=pk)
                    for initiative, plan in zip(created, plans, strict=True)
                    for pk in plan["populations"]
                ],
                "tags": [
                    Tags(initiative_id=initiative.pk, tag_id=tag_ids[name])
                    for initiative, plan in zip(created, plans, strict=True)
                    for name in plan["tags"]
                ],
            }
            InitiativePartner.objects.bulk_create(rows["partners"])
            Conditions.objects.bulk_create(rows["conditions"])
            Populations.objects.bulk_create(rows["populations"])
            Tags.objects.bulk_create(rows["tags"])
        for name, batch in rows.items():
            links[name] += len(batch)
    timings["initiatives"] = time.perf_counter() - started
    log(
        f"{initiatives:,} initiatives ({links['partners']:,} partners, {links['conditions']:,} conditions, "
        f"{links['populations']:,} populations, {links['tags']:,} tags) in {timings['initiatives']:.1f} s"
    )

    started = time.perf_counter()
    _analyze()
    timings["analyze_catalog"] = time.perf_counter() - started
    log(f"catalog statistics refreshed in {timings['analyze_catalog']:.1f} s")
    wrong = _check_search_text(random.Random(seed))
    if wrong:
        raise SystemExit(f"{wrong} sampled initiatives have a search text refresh_search_text would change")
    return timings


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--organizations",
        "--orgs",
        type=int,
        default=50_000,
        help="organizations to generate first (0: lead with the ones already there)",
    )
    parser.add_argument("--initiatives", type=int, default=200_000)
    parser.add_argument("--people", type=int, default=0, help="people to generate (the catalog needs none)")
    parser.add_argument("--seed", type=int, default=2017)
    parser.add_argument("--force", action="store_true", help="add to a database that is not empty")
    args = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "healthywork.settings")
    import django

    django.setup()
    from django.db import connection

    print(f"Database: {connection.vendor} {connection.settings_dict['NAME']}")
    started = time.perf_counter()
    generate(args.organizations, args.initiatives, args.people, seed=args.seed, force=args.force)
    print(f"Done in {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main(sys.argv[1:])
