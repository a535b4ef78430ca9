"""Fill the database the settings select with a large, invented partner registry.

    python bench/generate_registry.py [--organizations 50000] [--people 200000] [--seed 2017]

The database is the usual one: HEALTHYWORK_DATA_DIR (SQLite) or DATABASE_URL (PostgreSQL); run
`healthywork migrate` on it first. Every name, place and person is invented and the same seed gives
the same rows. Rows go in with `bulk_create` in batches, with the derived search columns computed
as `save()` would (the SQLite full-text triggers fire on these inserts), then the statistics are
refreshed so the query planner sees the new sizes.

It refuses a database holding more than a demo-sized registry unless given --force, so nobody
pads a real registry with invented partners by mistake.
"""

import argparse
import os
import random
import sys
import time
import uuid
from collections.abc import Callable
from datetime import date
from typing import Any

# Above this many organizations or people the database is not a fresh or demo one.
DEMO_LIMIT = 1_000
BATCH_SIZE = 2_000
MERGED_SHARE = 0.01  # organizations merged into another (hidden from the list)

# Invented places: city, county, state. Illinois comes first and most often, as in the program.
PLACES: list[tuple[str, str, str]] = [
    ("Chicago", "Cook", "IL"),
    ("Cicero", "Cook", "IL"),
    ("Evanston", "Cook", "IL"),
    ("Skokie", "Cook", "IL"),
    ("Oak Park", "Cook", "IL"),
    ("Harvey", "Cook", "IL"),
    ("Aurora", "Kane", "IL"),
    ("Elgin", "Kane", "IL"),
    ("Joliet", "Will", "IL"),
    ("Waukegan", "Lake", "IL"),
    ("Rockford", "Winnebago", "IL"),
    ("Belvidere", "Boone", "IL"),
    ("Peoria", "Peoria", "IL"),
    ("Springfield", "Sangamon", "IL"),
    ("Champaign", "Champaign", "IL"),
    ("Urbana", "Champaign", "IL"),
    ("Bloomington", "McLean", "IL"),
    ("Decatur", "Macon", "IL"),
    ("Carbondale", "Jackson", "IL"),
    ("Moline", "Rock Island", "IL"),
    ("Naperville", "DuPage", "IL"),
    ("Wheaton", "DuPage", "IL"),
    ("Gary", "Lake", "IN"),
    ("Indianapolis", "Marion", "IN"),
    ("Fort Wayne", "Allen", "IN"),
    ("Milwaukee", "Milwaukee", "WI"),
    ("Madison", "Dane", "WI"),
    ("Green Bay", "Brown", "WI"),
    ("Detroit", "Wayne", "MI"),
    ("Flint", "Genesee", "MI"),
    ("Grand Rapids", "Kent", "MI"),
    ("Cleveland", "Cuyahoga", "OH"),
    ("Columbus", "Franklin", "OH"),
    ("Toledo", "Lucas", "OH"),
    ("St. Louis", "St. Louis City", "MO"),
    ("Kansas City", "Jackson", "MO"),
    ("Minneapolis", "Hennepin", "MN"),
    ("St. Paul", "Ramsey", "MN"),
    ("Des Moines", "Polk", "IA"),
    ("Omaha", "Douglas", "NE"),
    ("Louisville", "Jefferson", "KY"),
    ("Nashville", "Davidson", "TN"),
    ("Memphis", "Shelby", "TN"),
    ("Atlanta", "Fulton", "GA"),
    ("Birmingham", "Jefferson", "AL"),
    ("New Orleans", "Orleans", "LA"),
    ("Houston", "Harris", "TX"),
    ("Dallas", "Dallas", "TX"),
    ("San Antonio", "Bexar", "TX"),
    ("El Paso", "El Paso", "TX"),
    ("Austin", "Travis", "TX"),
    ("Albuquerque", "Bernalillo", "NM"),
    ("Phoenix", "Maricopa", "AZ"),
    ("Tucson", "Pima", "AZ"),
    ("Denver", "Denver", "CO"),
    ("Salt Lake City", "Salt Lake", "UT"),
    ("Las Vegas", "Clark", "NV"),
    ("Los Angeles", "Los Angeles", "CA"),
    ("Oakland", "Alameda", "CA"),
    ("Fresno", "Fresno", "CA"),
    ("Salinas", "Monterey", "CA"),
    ("San Diego", "San Diego", "CA"),
    ("Portland", "Multnomah", "OR"),
    ("Seattle", "King", "WA"),
    ("Yakima", "Yakima", "WA"),
    ("Boston", "Suffolk", "MA"),
    ("Worcester", "Worcester", "MA"),
    ("Providence", "Providence", "RI"),
    ("Hartford", "Hartford", "CT"),
    ("New York", "New York", "NY"),
    ("Buffalo", "Erie", "NY"),
    ("Newark", "Essex", "NJ"),
    ("Philadelphia", "Philadelphia", "PA"),
    ("Pittsburgh", "Allegheny", "PA"),
    ("Baltimore", "Baltimore City", "MD"),
    ("Washington", "District of Columbia", "DC"),
    ("Richmond", "Richmond City", "VA"),
    ("Durham", "Durham", "NC"),
    ("Charlotte", "Mecklenburg", "NC"),
    ("Miami", "Miami-Dade", "FL"),
    ("Orlando", "Orange", "FL"),
]
ILLINOIS_PLACES = 22  # the first rows above; they get half of all organizations

STATE_NAMES = {
    "IL": "Illinois", "IN": "Indiana", "WI": "Wisconsin", "MI": "Michigan", "OH": "Ohio",
    "MO": "Missouri", "MN": "Minnesota", "IA": "Iowa", "NE": "Nebraska", "KY": "Kentucky",
    "TN": "Tennessee", "GA": "Georgia", "AL": "Alabama", "LA": "Louisiana", "TX": "Texas",
    "NM": "New Mexico", "AZ": "Arizona", "CO": "Colorado", "UT": "Utah", "NV": "Nevada",
    "CA": "California", "OR": "Oregon", "WA": "Washington", "MA": "Massachusetts",
    "RI": "Rhode Island", "CT": "Connecticut", "NY": "New York", "NJ": "New Jersey",
    "PA": "Pennsylvania", "MD": "Maryland", "DC": "District of Columbia", "VA": "Virginia",
    "NC": "North Carolina", "FL": "Florida",
}  # fmt: skip

LEVEL_WEIGHTS = [("local", 55), ("regional", 20), ("state", 15), ("national", 10)]

ADJECTIVES = [
    "Allied", "Bridge", "Common", "Dignity", "Fair", "First", "Greater", "Heartland", "Horizon",
    "Justice", "Lakeshore", "Main Street", "New", "North Side", "Open Door", "Prairie", "Pathways",
    "Riverside", "South Side", "Solid Ground", "Sunrise", "Together", "United", "West Side",
]  # fmt: skip
TRADES = [
    "Warehouse", "Food and Commercial", "Home Care", "Hotel and Restaurant", "Building Service",
    "Construction", "Nurses", "Teachers", "Transit", "Meatpacking", "Janitorial", "Farm",
    "Domestic", "Retail", "Laundry", "Airport", "Childcare", "Steel",
]  # fmt: skip
CAUSES = [
    "Healthy Work", "Fair Scheduling", "Safe Jobs", "Worker Health", "Economic Justice",
    "Immigrant Rights", "Paid Leave", "Living Wages", "Heat Safety", "Health Equity",
    "Workplace Dignity", "Good Jobs",
]  # fmt: skip
SAINTS = ["St. Anthony", "St. Mary", "Mercy", "Providence", "St. Joseph", "Holy Cross", "St. Luke"]

FIRST_NAMES = [
    "Maria", "José", "Juan", "Guadalupe", "Luis", "Ana", "Carmen", "Jorge", "Rosa", "Miguel",
    "Alejandra", "Francisco", "Lucía", "Ricardo", "Sofía", "James", "Mary", "Robert", "Patricia",
    "Michael", "Linda", "David", "Barbara", "William", "Elizabeth", "Keisha", "Darnell", "Tamika",
    "Andre", "Latoya", "Marcus", "Ebony", "Wei", "Mei", "Jun", "Hoa", "Minh", "Thu", "Priya",
    "Rahul", "Anil", "Fatima", "Omar", "Aisha", "Yusuf", "Katarzyna", "Piotr", "Agnieszka",
    "Tomasz", "Olena", "Dmytro", "Nadia", "Samuel", "Grace", "Emmanuel", "Chidi", "Ngozi",
    "Daniel", "Sarah", "Kevin", "Emily", "Brian", "Jessica", "Anthony", "Ashley", "Aaliyah",
    "Diego", "Valentina", "Mateo", "Camila", "Noor", "Hassan", "Leila", "Tuan", "Linh",
]  # fmt: skip
LAST_NAMES = [
    "García", "Rodríguez", "Martínez", "Hernández", "López", "González", "Pérez", "Sánchez",
    "Ramírez", "Torres", "Flores", "Rivera", "Gómez", "Díaz", "Reyes", "Morales", "Smith",
    "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Wilson", "Anderson", "Taylor",
    "Thomas", "Moore", "Jackson", "White", "Harris", "Washington", "Robinson", "Walker",
    "Nguyen", "Tran", "Le", "Pham", "Chen", "Wang", "Li", "Zhang", "Liu", "Kim", "Park", "Lee",
    "Patel", "Shah", "Singh", "Khan", "Ahmed", "Ali", "Kowalski", "Nowak", "Wiśniewski",
    "Wójcik", "Kovalenko", "Shevchenko", "Okafor", "Adeyemi", "Mensah", "Murphy", "O'Brien",
    "Sullivan", "Schmidt", "Müller", "Novak", "Rossi", "Cohen", "Goldberg", "Jovanović",
]  # fmt: skip

POPULATION_TOPICS = [
    "low-wage workers", "temporary and staffing-agency workers", "day laborers",
    "domestic workers", "immigrant workers", "restaurant workers", "farmworkers",
    "warehouse workers", "home care aides", "community health workers", "young workers",
    "gig drivers", "janitors", "meatpacking workers", "nurses' aides",
]  # fmt: skip
ISSUES = [
    "wage theft", "heat stress", "unpredictable schedules", "paid sick leave", "injury prevention",
    "job training", "workplace safety", "language access", "mental health", "retaliation",
    "health insurance", "overtime pay", "ergonomics", "chemical exposure", "workers' compensation",
]  # fmt: skip
VERBS = [
    "organizes", "serves", "trains", "represents", "advocates for", "studies", "supports",
    "offers legal help to", "runs clinics for", "funds programs for",
]  # fmt: skip

TITLES = [
    "Executive Director", "Program Manager", "Organizer", "Lead Organizer", "Community Health Worker",
    "Policy Analyst", "Staff Attorney", "Paralegal", "Researcher", "Professor", "Epidemiologist",
    "Health Educator", "Outreach Coordinator", "Board Member", "President", "Business Agent",
    "Shop Steward", "Nurse", "Case Manager", "Communications Director", "Volunteer",
]  # fmt: skip

# Per sector slug: (name pattern, subsector). Pattern fields: {city} {county} {state} {state_name}
# {adjective} {trade} {cause} {saint} {surname} {number}.
SECTOR_PATTERNS: dict[str, list[tuple[str, str]]] = {
    "public-health": [
        ("{county} County Department of Public Health", "health department"),
        ("{city} Health Department", "health department"),
        ("{state_name} Public Health Association", "state association"),
        ("{city} Community Health Coalition", "health coalition"),
        ("{adjective} Health Alliance of {city}", "health coalition"),
        ("{county} County Environmental Health Office", "environmental health"),
    ],
    "healthcare": [
        ("{city} Community Hospital", "hospital"),
        ("{saint} Medical Center {city}", "hospital"),
        ("{adjective} Family Health Center", "federally qualified health center"),
        ("{county} County Health System", "public health system"),
        ("{city} Occupational Health Clinic", "occupational clinic"),
        ("{adjective} Community Clinic", "community clinic"),
    ],
    "nonprofit": [
        ("{adjective} Futures {city}", "community organization"),
        ("{city} Community Action Agency", "community organization"),
        ("Coalition for {cause} in {city}", "coalition"),
        ("{adjective} Neighbors Network", "faith-based organization"),
        ("{cause} Project of {state_name}", "health nonprofit"),
        ("{surname} Family Foundation", "foundation"),
    ],
    "labor": [
        ("{trade} Workers Local {number}", "union"),
        ("{city} Workers' Center", "worker center"),
        ("Centro de Trabajadores de {city}", "worker center"),
        ("{city} Area Labor Council", "labor council"),
        ("{adjective} Workers Alliance", "worker advocacy organization"),
    ],
    "legal": [
        ("{city} Legal Aid Society", "legal aid"),
        ("{state_name} Employment Law Project", "law project"),
        ("{surname} & {surname} Workers' Law Office", "private firm"),
        ("{city} Immigrant Rights Law Center", "law clinic"),
    ],
    "research": [
        ("Institute for {cause} Research", "research institute"),
        ("{state_name} Labor Research Center", "university center"),
        ("{city} Center for Occupational Health", "university center"),
        ("{adjective} Policy Lab", "think tank"),
    ],
    "education": [
        ("{city} Community College", "community college"),
        ("University of {city}", "university"),
        ("{saint} College", "college"),
        ("{city} Adult Education Center", "adult education"),
        ("{adjective} Workforce Academy", "training program"),
    ],
    "government": [
        ("{city} Office of Labor Standards", "labor standards office"),
        ("{county} County Board", "county board"),
        ("{state_name} Department of Labor", "state agency"),
        ("{adjective} Workforce Board", "workforce board"),
        ("{city} Commission on Human Relations", "city agency"),
    ],
    "business": [
        ("{surname} Staffing", "staffing agency"),
        ("{city} Chamber of Commerce", "chamber of commerce"),
        ("{adjective} Logistics", "employer"),
        ("{surname} Manufacturing Co.", "employer"),
        ("{city} Restaurant Association", "industry association"),
    ],
}
GENERIC_PATTERNS = [("{adjective} {cause} Network", "network"), ("{city} {cause} Group", "group")]


def _weighted_choice(rng: random.Random, weights: list[tuple[str, int]]) -> str:
    return rng.choices([value for value, _ in weights], [weight for _, weight in weights])[0]


def _place(rng: random.Random) -> tuple[str, str, str]:
    if rng.random() < 0.5:
        return PLACES[rng.randrange(ILLINOIS_PLACES)]
    return rng.choice(PLACES)


def _acronym(name: str) -> str:
    letters = [word[0] for word in name.replace("&", " ").split() if word[:1].isupper()]
    return "".join(letters) if len(letters) >= 3 else ""


def organization_values(rng: random.Random, sector_slug: str) -> dict[str, Any]:
    """One invented organization of the sector `sector_slug`, as field values."""
    pattern, subsector = rng.choice(SECTOR_PATTERNS.get(sector_slug, GENERIC_PATTERNS))
    city, county, state = _place(rng)
    level = _weighted_choice(rng, LEVEL_WEIGHTS)
    name = pattern.format(
        city=city,
        county=county,
        state=state,
        state_name=STATE_NAMES[state],
        adjective=rng.choice(ADJECTIVES),
        trade=rng.choice(TRADES),
        cause=rng.choice(CAUSES),
        saint=rng.choice(SAINTS),
        surname=rng.choice(LAST_NAMES),
        number=rng.randint(1, 1999),
    )
    acronym = _acronym(name)
    aliases = acronym if acronym and rng.random() < 0.3 else ""
    first_issue, second_issue = rng.sample(ISSUES, 2)
    description = (
        f"{subsector.capitalize()} that {rng.choice(VERBS)} {rng.choice(POPULATION_TOPICS)} "
        f"in {city or state} and {county} County, with a focus on {first_issue} and "
        f"{second_issue}. (Invented for the benchmark.)"
    )
    languages = "English; Spanish" if rng.random() < 0.4 else "English"
    domain = "".join(character for character in name.lower() if character.isalnum())[:40]
    website = f"https://{domain}.example.org" if rng.random() < 0.6 else ""
    return {
        "public_id": uuid.UUID(int=rng.getrandbits(128), version=4),
        "name": name,
        "aliases": aliases,
        "subsector": subsector,
        "level": level,
        "city": city if level != "state" else "",
        "county": county,
        "state": state,
        "website": website,
        "description": description,
        "languages": languages,
    }


ASCII_LETTERS = str.maketrans("áéíóúñśćżźłęąšž", "aeiounsczzleasz", "'")


def person_values(rng: random.Random) -> dict[str, Any]:
    """One invented person, as field values (search_text included, as `Person.save` makes it)."""
    from healthywork.core.search import search_document

    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    name = f"{first} {last}"
    may_be_contacted = rng.random() < 0.7
    email_name = f"{first}.{last}".lower().translate(ASCII_LETTERS)
    email = f"{email_name}{rng.randint(1, 999)}@example.org" if may_be_contacted else ""
    return {
        "public_id": uuid.UUID(int=rng.getrandbits(128), version=4),
        "name": name,
        "email": email,
        "phone": f"({rng.randint(200, 989)}) 555-{rng.randint(0, 9999):04d}" if rng.random() < 0.5 else "",
        "preferred_language": "es" if last in LAST_NAMES[:16] and rng.random() < 0.5 else "en",
        "may_be_contacted": may_be_contacted,
        "may_be_named": may_be_contacted and rng.random() < 0.5,
        "consent_recorded_on": date(rng.randint(2016, 2024), rng.randint(1, 12), rng.randint(1, 28))
        if may_be_contacted
        else None,
        "search_text": search_document(name, email),
    }


def affiliation_values(rng: random.Random) -> dict[str, Any]:
    start = date(rng.randint(2000, 2024), rng.randint(1, 12), 1)
    ended = rng.random() < 0.25
    end = date(min(start.year + rng.randint(0, 6), 2025), 12, 31) if ended else None
    return {"title": rng.choice(TITLES), "start_date": start, "end_date": end}


def _refuse_if_not_fresh(force: bool) -> None:
    from healthywork.partners.models import Organization, Person

    organizations, people = Organization.objects.count(), Person.objects.count()
    if (organizations > DEMO_LIMIT or people > DEMO_LIMIT) and not force:
        raise SystemExit(
            f"This database already holds {organizations:,} organizations and {people:,} people "
            f"(more than the demo's {DEMO_LIMIT:,}); it may be a real registry. "
            "Use a fresh database, or --force if you are sure."
        )


def _analyze() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            # Merge the full-text index's segments, as a long-lived index would be after
            # automerge, then give the planner fresh statistics.
            cursor.execute(
                "INSERT INTO partners_organization_fts(partners_organization_fts) VALUES('optimize')"
            )
            cursor.execute("INSERT INTO partners_person_fts(partners_person_fts) VALUES('optimize')")
            cursor.execute("ANALYZE")
        elif connection.vendor == "postgresql":
            for table in (
                "partners_organization",
                "partners_organization_populations",
                "partners_person",
                "partners_affiliation",
            ):
                cursor.execute(f"VACUUM ANALYZE {table}")


def _batches(total: int) -> list[tuple[int, int]]:
    return [(start, min(start + BATCH_SIZE, total)) for start in range(0, total, BATCH_SIZE)]


def generate(
    organizations: int = 50_000,
    people: int = 200_000,
    seed: int = 2017,
    force: bool = False,
    log: Callable[[str], None] = print,
) -> dict[str, float]:
    """Add `organizations` organizations and `people` people (1–2 affiliations each).

    Returns the seconds each step took. Needs a migrated database and Django set up.
    """
    from django.db import transaction

    from healthywork.partners.models import Affiliation, Organization, Person, Population, Sector

    _refuse_if_not_fresh(force)
    rng = random.Random(seed)
    sectors = list(Sector.objects.order_by("slug"))
    population_ids = list(Population.objects.order_by("slug").values_list("pk", flat=True))
    if not sectors:
        raise SystemExit("No sectors: run `healthywork migrate` first (it seeds them).")
    timings: dict[str, float] = {}

    started = time.perf_counter()
    organization_ids: list[int] = []
    Membership = Organization.populations.through
    for start, stop in _batches(organizations):
        batch = []
        for _ in range(start, stop):
            sector = rng.choice(sectors)
            organization = Organization(sector=sector, **organization_values(rng, sector.slug))
            organization.refresh_derived()
            batch.append(organization)
        with transaction.atomic():
            created = Organization.objects.bulk_create(batch)
            ids = [organization.pk for organization in created]
            if population_ids:
                Membership.objects.bulk_create(
                    Membership(organization_id=pk, population_id=population_id)
                    for pk in ids
                    for population_id in rng.sample(population_ids, rng.randint(0, 3))
                )
        organization_ids += ids
    merged = rng.sample(range(1, len(organization_ids)), int(len(organization_ids) * MERGED_SHARE))
    Organization.objects.bulk_update(
        [
            Organization(pk=organization_ids[index], merged_into_id=organization_ids[index - 1])
            for index in merged
        ],
        ["merged_into"],
        batch_size=BATCH_SIZE,
    )
    timings["organizations"] = time.perf_counter() - started
    log(f"{organizations:,} organizations in {timings['organizations']:.1f} s")

    started = time.perf_counter()
    affiliations = 0
    for start, stop in _batches(people):
        batch = [Person(**person_values(rng)) for _ in range(start, stop)]
        with transaction.atomic():
            created = Person.objects.bulk_create(batch)
            links = [
                Affiliation(
                    person_id=person.pk,
                    organization_id=organization_id,
                    **affiliation_values(rng),
                )
                for person in created
                for organization_id in rng.sample(organization_ids, 1 if rng.random() < 0.6 else 2)
            ]
            Affiliation.objects.bulk_create(links)
        affiliations += len(links)
    timings["people"] = time.perf_counter() - started
    log(f"{people:,} people, {affiliations:,} affiliations in {timings['people']:.1f} s")

    started = time.perf_counter()
    _analyze()
    timings["analyze"] = time.perf_counter() - started
    log(f"statistics refreshed in {timings['analyze']:.1f} s")
    return timings


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--organizations", "--orgs", type=int, default=50_000)
    parser.add_argument("--people", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=2017)
    parser.add_argument("--force", action="store_true", help="add to a database that is not fresh")
    args = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "healthywork.settings")
    import django

    django.setup()
    from django.db import connection

    print(f"Database: {connection.vendor} {connection.settings_dict['NAME']}")
    started = time.perf_counter()
    generate(args.organizations, args.people, seed=args.seed, force=args.force)
    print(f"Done in {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main(sys.argv[1:])
