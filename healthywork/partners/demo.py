"""The demo partner registry: the real organizations of the Healthy Work Collaborative's public
record (see `demo/hwc-public-facts.md`), invented organizations that fill the environmental scan
out to 55, and invented people.

Real organizations carry only what their public record says, in general words; every other
organization says it is fictional, and every person is fictional. `load()` is idempotent: rows are
keyed by name and written only where a value differs, so a second run changes nothing.
"""

import random
from datetime import date
from typing import Any, TextIO

from django.db import models, transaction
from django.utils.translation import gettext as _

from healthywork.partners.models import Affiliation, Level, Organization, Person, Population, Sector

CENTER = "Center for Healthy Work"

# The teams of the Healthy Work Collaborative (2018), by case-study title; the lead comes first.
TEAMS: list[tuple[str, list[str]]] = [
    (
        "Advancing Labor Rights in Immigrant Communities",
        ["Centro de Trabajadores Unidos", "Cook County Department of Public Health", "Arise Chicago"],
    ),
    (
        "Advocating for Healthier Communities",
        [
            "Boone County Health Department",
            "Boone County Board",
            "Growth Dimensions",
            "The Workforce Connection",
        ],
    ),
    (
        "Building Community Support for Healthy Work",
        ["Arise Chicago", "Cook County Department of Public Health", "Centro de Trabajadores Unidos"],
    ),
    (
        "Comprehensive Support for Workers' Health",
        ["Cook County Health", "Legal Aid Chicago", "Chicago Workers' Collaborative"],
    ),
    (
        "Forming Strong Partnerships for Health Equity",
        [
            "Chicago Department of Public Health",
            "Restaurant Opportunities Center Chicago",
            "Collaborative for Health Equity Cook County",
        ],
    ),
    ("Raising Awareness About Precarious Work and Health", ["American Heart Association"]),
    ("Setting New Standards for Internship Equity", ["Health & Medicine Policy Research Group"]),
    (
        "Stable Employment for Community Health Workers",
        ["Illinois Public Health Association", "Benedictine University"],
    ),
]

# The seven sectors of the environmental scan (spring 2017).
SCAN_SECTORS = ["public-health", "healthcare", "nonprofit", "labor", "legal", "research", "education"]

# Team members outside the scan's sectors, and the Center that ran the scan.
NOT_SCANNED = {"Boone County Board", "Growth Dimensions", "The Workforce Connection", CENTER}

FICTIONAL = " (Fictional organization, for the demo.)"
EN = "English"
EN_ES = "English; Spanish"
NATIONAL, STATE, REGIONAL, LOCAL = Level.NATIONAL, Level.STATE, Level.REGIONAL, Level.LOCAL

# Rows: name, sector slug, subsector, level, "city, county, state", languages,
# population slugs, description.
Row = tuple[str, str, str, str, str, str, str, str]

# Real organizations: names and roles from the public record, descriptions kept general.
# fmt: off
REAL_ROWS: list[Row] = [
    ("Centro de Trabajadores Unidos",
     "labor", "worker center", LOCAL, "Chicago, Cook, IL", EN_ES,
     "immigrant-undocumented low-wage day-laborers",
     "Worker center in Chicago that organizes immigrant and low-wage workers to defend their "
     "rights on the job."),
    ("Cook County Department of Public Health",
     "public-health", "health department", LOCAL, ", Cook, IL", EN_ES,
     "low-wage immigrant-undocumented",
     "The local health department for suburban Cook County."),
    ("Arise Chicago",
     "labor", "worker center", LOCAL, "Chicago, Cook, IL", EN_ES,
     "low-wage immigrant-undocumented domestic",
     "Faith-labor worker center in Chicago that helps workers act together against injustice "
     "at work."),
    ("Boone County Health Department",
     "public-health", "health department", LOCAL, "Belvidere, Boone, IL", EN,
     "manufacturing-warehouse agricultural low-wage",
     "The local health department of Boone County, a rural county in northern Illinois whose "
     "economy rests on manufacturing and agriculture."),
    ("Boone County Board",
     "government", "county board", LOCAL, "Belvidere, Boone, IL", EN,
     "manufacturing-warehouse agricultural",
     "The elected governing board of Boone County."),
    ("Growth Dimensions",
     "business", "economic development", LOCAL, "Belvidere, Boone, IL", EN,
     "manufacturing-warehouse",
     "Economic development organization for Boone County."),
    ("The Workforce Connection",
     "government", "workforce board", REGIONAL, "Rockford, Winnebago, IL", EN,
     "low-wage manufacturing-warehouse",
     "Workforce development board for a region of northern Illinois that includes Boone "
     "County."),
    ("Cook County Health",
     "healthcare", "public health system", LOCAL, "Chicago, Cook, IL", EN_ES,
     "low-wage immigrant-undocumented care-workers",
     "The public health care system of Cook County: hospitals and community clinics."),
    ("Legal Aid Chicago",
     "legal", "legal aid", LOCAL, "Chicago, Cook, IL", EN_ES,
     "low-wage immigrant-undocumented",
     "Civil legal aid for people with low incomes in Chicago and Cook County."),
    ("Chicago Workers' Collaborative",
     "labor", "worker center", LOCAL, "Chicago, Cook, IL", EN_ES,
     "temporary-staffing immigrant-undocumented manufacturing-warehouse",
     "Worker center for temporary and staffing-agency workers in the Chicago area."),
    ("Chicago Department of Public Health",
     "public-health", "health department", LOCAL, "Chicago, Cook, IL", EN_ES,
     "low-wage restaurant-food-service",
     "The health department of the City of Chicago."),
    ("Restaurant Opportunities Center Chicago",
     "labor", "worker advocacy organization", LOCAL, "Chicago, Cook, IL", EN_ES,
     "restaurant-food-service low-wage",
     "Chicago organization of restaurant workers working for better wages and working "
     "conditions in the industry."),
    ("Collaborative for Health Equity Cook County",
     "nonprofit", "health-equity coalition", LOCAL, "Chicago, Cook, IL", EN,
     "low-wage",
     "Coalition of community organizations and public-health partners working for health "
     "equity in Cook County."),
    ("American Heart Association",
     "nonprofit", "health nonprofit", NATIONAL, "Dallas, , TX", EN,
     "low-wage",
     "National voluntary health organization working against heart disease and stroke."),
    ("Health & Medicine Policy Research Group",
     "nonprofit", "health policy nonprofit", STATE, "Chicago, Cook, IL", EN,
     "youth-interns community-health-workers",
     "Chicago-based health policy nonprofit. In 2018 its internship equity committee replaced "
     "unpaid internships with paid ones."),
    ("Illinois Public Health Association",
     "public-health", "state association", STATE, "Springfield, Sangamon, IL", EN,
     "community-health-workers",
     "Statewide association of public-health professionals and organizations in Illinois."),
    ("Benedictine University",
     "education", "university", LOCAL, "Lisle, DuPage, IL", EN,
     "community-health-workers",
     "Private university in the western suburbs of Chicago with programs in public health."),
    ("Center for Healthy Work",
     "research", "university research center", LOCAL, "Chicago, Cook, IL", EN,
     "low-wage temporary-staffing immigrant-undocumented",
     "Research center at a school of public health in Chicago and a NIOSH Total Worker Health "
     "Center of Excellence; it ran the environmental scan and the Healthy Work Collaborative."),]

# Invented organizations that fill the scan to 55: 23 health (public health and healthcare) and
# 21 labor organizations, the proportions of the published analysis, and 11 of other sectors.
FICTIONAL_ROWS: list[Row] = [
    ("Prairie County Health District",
     "public-health", "health department", LOCAL, "Harlan Springs, Prairie, IL", EN,
     "agricultural manufacturing-warehouse",
     "Rural health district; runs worksite wellness programs for local employers."),
    ("Tamarack County Public Health Department",
     "public-health", "health department", LOCAL, "Tamarack Falls, Tamarack, IL", EN_ES,
     "low-wage manufacturing-warehouse",
     "County health department with a new social-determinants-of-health unit."),
    ("Kettle River Board of Health",
     "public-health", "health department", LOCAL, "Kettle River, Tamarack, IL", EN,
     "restaurant-food-service",
     "Small-city board of health; inspects restaurants and runs food-handler courses."),
    ("Southside Healthy Jobs Coalition",
     "public-health", "community health coalition", LOCAL, "Chicago, Cook, IL", EN_ES,
     "low-wage youth-interns",
     "Neighborhood coalition linking clinics, churches and employers around health at work."),
    ("Northwest Side Community Health Worker Network",
     "public-health", "community health worker network", LOCAL, "Chicago, Cook, IL", EN_ES,
     "community-health-workers immigrant-undocumented",
     "Peer network of community health workers; trains members on workplace hazards."),
    ("Healthy Jobs Illinois Network",
     "public-health", "public health institute", STATE, "Springfield, Sangamon, IL", EN,
     "low-wage",
     "Statewide network that trains local health departments on work as a social determinant "
     "of health."),
    ("Prairie State Worksite Wellness Council",
     "public-health", "worksite wellness council", STATE, "Peoria, Peoria, IL", EN,
     "manufacturing-warehouse",
     "Council of employers and health departments that certifies worksite wellness programs."),
    ("Illinois Heat and Health Task Force",
     "public-health", "coalition", STATE, "Springfield, Sangamon, IL", EN,
     "agricultural manufacturing-warehouse day-laborers",
     "Task force on heat illness among outdoor and warehouse workers."),
    ("National Association for Work and Health Equity",
     "public-health", "professional association", NATIONAL, "Washington, , DC", EN,
     "low-wage gig-independent",
     "Association of public-health practitioners who work on employment and health."),
    ("National Forum on the Public Health Workforce",
     "public-health", "professional association", NATIONAL, "Baltimore, , MD", EN,
     "community-health-workers",
     "Forum on the working conditions of public-health and community health workers."),
    ("Kettle River Community Health Center",
     "healthcare", "community health center", LOCAL, "Kettle River, Tamarack, IL", EN_ES,
     "low-wage immigrant-undocumented agricultural",
     "Community health center; screens patients for work-related illness."),
    ("Harlan Springs Regional Hospital",
     "healthcare", "hospital", LOCAL, "Harlan Springs, Prairie, IL", EN,
     "care-workers",
     "Rural hospital and one of the county's largest employers; runs an employee wellness "
     "program."),
    ("Lakeshore Occupational Medicine Clinic",
     "healthcare", "occupational health clinic", LOCAL, "Chicago, Cook, IL", EN_ES,
     "manufacturing-warehouse temporary-staffing",
     "Clinic for work injuries and workplace medical surveillance."),
    ("Clínica Obrera Tamarack",
     "healthcare", "community health center", LOCAL, "Tamarack Falls, Tamarack, IL", EN_ES,
     "immigrant-undocumented day-laborers low-wage",
     "Evening clinic for workers who cannot leave work during the day."),
    ("Tamarack County Home Care Agency",
     "healthcare", "home health agency", LOCAL, "Tamarack Falls, Tamarack, IL", EN_ES,
     "care-workers domestic",
     "Home care agency; trains its aides on safe patient handling."),
    ("Harlan Springs Family Medicine Residency",
     "healthcare", "teaching practice", LOCAL, "Harlan Springs, Prairie, IL", EN,
     "agricultural",
     "Family medicine residency that teaches residents to take an occupational history."),
    ("Illinois Federation of Community Clinics",
     "healthcare", "clinic association", STATE, "Springfield, Sangamon, IL", EN,
     "care-workers low-wage",
     "Association of community clinics; sets model policies on paid sick leave for staff."),
    ("National Alliance of Worker Health Clinics",
     "healthcare", "clinic association", NATIONAL, "Oakland, , CA", EN,
     "low-wage temporary-staffing",
     "Alliance of clinics that specialize in occupational and environmental medicine."),
    ("Lakeshore Home Care Workers Union Local 12",
     "labor", "union", LOCAL, "Chicago, Cook, IL", EN_ES,
     "care-workers domestic",
     "Union of home care aides and personal assistants."),
    ("Prairie County Central Labor Council",
     "labor", "labor federation", LOCAL, "Harlan Springs, Prairie, IL", EN,
     "manufacturing-warehouse low-wage",
     "Council of the county's union locals; campaigns for local wage ordinances."),
    ("Tamarack Warehouse Workers Alliance",
     "labor", "worker advocacy organization", LOCAL, "Tamarack Falls, Tamarack, IL", EN_ES,
     "manufacturing-warehouse temporary-staffing",
     "Alliance of warehouse workers pressing for heat and injury standards."),
    ("United Food Processing Workers Local 407",
     "labor", "union", LOCAL, "Kettle River, Tamarack, IL", EN_ES,
     "manufacturing-warehouse immigrant-undocumented",
     "Union local at meat and food processing plants."),
    ("Casa del Trabajador Kettle River",
     "labor", "worker center", LOCAL, "Kettle River, Tamarack, IL", EN_ES,
     "day-laborers immigrant-undocumented",
     "Worker center for day laborers and recent immigrants."),
    ("Domestic Workers Circle of Tamarack",
     "labor", "worker center", LOCAL, "Tamarack Falls, Tamarack, IL", EN_ES,
     "domestic immigrant-undocumented",
     "Organization of nannies, house cleaners and caregivers."),
    ("Kettle River Restaurant Workers Association",
     "labor", "worker advocacy organization", LOCAL, "Kettle River, Tamarack, IL", EN_ES,
     "restaurant-food-service",
     "Association of restaurant workers campaigning for paid sick days."),
    ("Harlan Springs Farmworker Rights Project",
     "labor", "worker advocacy organization", LOCAL, "Harlan Springs, Prairie, IL", EN_ES,
     "agricultural immigrant-undocumented",
     "Project that organizes seasonal farmworkers on housing and heat safety."),
    ("Hotel and Hospitality Workers Local 88",
     "labor", "union", LOCAL, "Chicago, Cook, IL", EN_ES,
     "restaurant-food-service low-wage",
     "Union of hotel housekeepers, cooks and banquet staff."),
    ("Precision Metalworkers Local 316",
     "labor", "union", LOCAL, "Tamarack Falls, Tamarack, IL", EN,
     "manufacturing-warehouse",
     "Union local at machine shops and parts plants."),
    ("Southwest Side Temp Workers Committee",
     "labor", "worker center", LOCAL, "Chicago, Cook, IL", EN_ES,
     "temporary-staffing manufacturing-warehouse",
     "Committee of staffing-agency workers in warehouses and factories."),
    ("Prairie State Labor Federation",
     "labor", "labor federation", STATE, "Springfield, Sangamon, IL", EN,
     "low-wage manufacturing-warehouse",
     "Statewide federation of unions; lobbies for wage, leave and safety laws."),
    ("Prairie State Workers' Safety Committee",
     "labor", "safety and health committee", STATE, "Peoria, Peoria, IL", EN_ES,
     "low-wage temporary-staffing",
     "Committee that trains workers and stewards on hazards and their rights."),
    ("Amalgamated Care Workers Union District 9",
     "labor", "union", STATE, "Springfield, Sangamon, IL", EN_ES,
     "care-workers",
     "Statewide district of nursing home and hospital workers."),
    ("National Federation of Day Labor Centers",
     "labor", "worker center network", NATIONAL, "Los Angeles, , CA", EN_ES,
     "day-laborers immigrant-undocumented",
     "Network of day labor centers across the country."),
    ("Coalition of Temporary Workers' Centers",
     "labor", "worker center network", NATIONAL, "Newark, , NJ", EN_ES,
     "temporary-staffing",
     "Network of centers for temporary and staffing-agency workers."),
    ("National Union of Gig and Platform Workers",
     "labor", "union", NATIONAL, "New York, , NY", EN,
     "gig-independent",
     "Union of app-based drivers, couriers and other platform workers."),
    ("Kettle River Immigrant Family Services",
     "nonprofit", "social services", LOCAL, "Kettle River, Tamarack, IL", EN_ES,
     "immigrant-undocumented low-wage",
     "Social service agency for immigrant families; helps clients with workplace problems."),
    ("Prairie State Workers' Law Project",
     "legal", "worker legal services", STATE, "Chicago, Cook, IL", EN_ES,
     "low-wage temporary-staffing",
     "Legal project that brings wage theft and retaliation claims."),
    ("National Wage Justice Litigation Center",
     "legal", "impact litigation", NATIONAL, "Washington, , DC", EN,
     "gig-independent low-wage",
     "Impact litigation on misclassification and wage theft."),
    ("Institute for Precarious Work Studies",
     "research", "research institute", NATIONAL, "Minneapolis, , MN", EN,
     "gig-independent temporary-staffing",
     "Research institute on nonstandard work and its health effects."),
    ("Prairie State Occupational Health Research Consortium",
     "research", "research consortium", STATE, "Urbana, Champaign, IL", EN,
     "agricultural manufacturing-warehouse",
     "Consortium of university researchers studying injuries in agriculture and manufacturing."),
    ("Tamarack Community College",
     "education", "community college", LOCAL, "Tamarack Falls, Tamarack, IL", EN_ES,
     "community-health-workers youth-interns",
     "Community college with certificate programs for community health workers."),]
# fmt: on


def _organization_spec(row: Row, *, is_real: bool) -> dict[str, Any]:
    name, sector, subsector, level, place, languages, populations, description = row
    city, county, state = (part.strip() for part in place.split(","))
    return {
        "name": name,
        "sector": sector,
        "subsector": subsector,
        "level": level,
        "city": city,
        "county": county,
        "state": state,
        "languages": languages,
        "populations": populations.split(),
        "description": description if is_real else description + FICTIONAL,
        "is_real": is_real,
        "is_scanned": name not in NOT_SCANNED,
    }


ORGANIZATIONS = [_organization_spec(row, is_real=True) for row in REAL_ROWS] + [
    _organization_spec(row, is_real=False) for row in FICTIONAL_ROWS
]

# The organizations interviewed in the demo scan: 55 across the seven scan sectors.
SCAN_ORGANIZATIONS = [spec["name"] for spec in ORGANIZATIONS if spec["is_scanned"]]

# Invented people's names. Spanish-first people work mostly at bilingual organizations.
ENGLISH_FIRST_NAMES = """
    Abigail Bennett Corinne Dashiell Eleanor Franklin Gwendolyn Harlan Imogen Jasper Katherine
    Lionel Marigold Nathaniel Ophelia Percival Rosalind Sebastian Theodora Ulysses Vivienne
    Wendell Yvonne Zachary Adelaide Barnaby Clementine Desmond Estelle Fitzgerald Genevieve
    Horatio Isadora Jerome Lavinia Montgomery Noreen Oswald Philippa Quentin Rosemary Silas
    Tabitha Virgil Winifred Augustus Beatrix Cornelius
""".split()
ENGLISH_LAST_NAMES = """
    Ashdown Blackwood Calloway Dunmore Everhart Fairweather Greenleaf Holloway Ingleby Jessup
    Kettering Larkspur Merriweather Northcott Oakridge Pembrook Quimby Ravenscroft Stirling
    Thistlewood Underhill Vantassel Whitlock Yarborough
""".split()
SPANISH_FIRST_NAMES = [
    name.strip()
    for name in """
    María Guadalupe, José Antonio, Ana Lucía, Juan Carlos, Rosa Elena, Miguel Ángel, Luz María,
    Francisco Javier, Carmen Alicia, Luis Alberto, Marisol, Ernesto, Yolanda, Rigoberto, Araceli,
    Teodoro, Esperanza, Gilberto, Maricela, Efraín, Xóchitl, Aurelio, Socorro, Baltasar, Inés,
    Leandro, Nayeli, Abelardo, Consuelo, Eusebio, Graciela, Heriberto
""".split(",")
]
SPANISH_LAST_NAMES = """
    Arriaga Bustamante Cárdenas Echeverría Fuentes Galindo Hinojosa Izquierdo Jaramillo Larrañaga
    Montoya Nájera Olivares Peralta Quintanilla Rentería Saldívar Villaseñor
""".split()

STAFF_TITLES = {
    "worker center": ["Organizer", "Health and safety promoter"],
    "worker center network": ["Network coordinator"],
    "worker advocacy organization": ["Organizer", "Campaign coordinator"],
    "union": ["Health and safety representative", "Business agent"],
    "labor federation": ["Political director", "Education director"],
    "safety and health committee": ["Trainer"],
    "public-health": ["Health educator", "Epidemiologist", "Policy analyst"],
    "healthcare": ["Community health worker", "Nurse manager", "Occupational medicine physician"],
    "nonprofit": ["Program coordinator", "Policy manager"],
    "legal": ["Staff attorney", "Paralegal"],
    "research": ["Program manager", "Facilitator", "Research scientist"],
    "education": ["Faculty member", "Program coordinator"],
    "government": ["Program coordinator", "Planning analyst"],
    "business": ["Program manager", "Workforce specialist"],
}
LEAD_TITLES = {
    "union": "President",
    "labor federation": "President",
    "public-health": "Director of health promotion",
    "healthcare": "Medical director",
    "legal": "Managing attorney",
    "research": "Director",
    "education": "Program director",
}
DEFAULT_LEAD_TITLE = "Executive director"
BOARD_ORGANIZATIONS = {"Kettle River Immigrant Family Services", "Southside Healthy Jobs Coalition"}


def _titles(spec: dict[str, Any]) -> list[str]:
    staff = STAFF_TITLES.get(spec["subsector"]) or STAFF_TITLES[spec["sector"]]
    if spec["is_real"]:
        return staff
    lead = LEAD_TITLES.get(spec["subsector"]) or LEAD_TITLES.get(spec["sector"], DEFAULT_LEAD_TITLE)
    return [lead, *staff]


def _people() -> list[dict[str, Any]]:
    """About 80 invented people, each placed at one organization (two at team organizations, five
    at the Center), a third with an earlier job at an invented organization and a few with a
    board seat at one.

    A fixed random seed makes the plan the same on every run, which keeps `load()` idempotent.
    """
    rng = random.Random(2017)
    english = [
        f"{first} {ENGLISH_LAST_NAMES[i * 7 % len(ENGLISH_LAST_NAMES)]}"
        for i, first in enumerate(ENGLISH_FIRST_NAMES)
    ]
    spanish = [
        f"{first} {SPANISH_LAST_NAMES[i * 5 % len(SPANISH_LAST_NAMES)]}"
        for i, first in enumerate(SPANISH_FIRST_NAMES)
    ]
    team_names = {name for _title, names in TEAMS for name in names}
    places: list[dict[str, Any]] = []
    for spec in ORGANIZATIONS:
        seats = 5 if spec["name"] == CENTER else 2 if spec["name"] in team_names else 1
        places += [spec] * seats
    # Earlier jobs and board seats are placed only at invented organizations.
    invented = [spec for spec in ORGANIZATIONS if not spec["is_real"]]
    board_seats = [spec for spec in invented if spec["name"] in BOARD_ORGANIZATIONS]

    people = []
    for index, spec in enumerate(places):
        is_bilingual = "Spanish" in spec["languages"]
        prefer_spanish_pool = is_bilingual and index % 4 != 3 or not is_bilingual and index % 5 == 4
        pool = spanish if (prefer_spanish_pool and spanish) or not english else english
        name = pool.pop(0)
        is_spanish_name = pool is spanish
        first_year = 2016 if spec["name"] == CENTER else 2006
        start = date(rng.randint(first_year, 2017), rng.randint(1, 12), 1)
        ended = rng.random() < 0.08
        affiliations = [
            {
                "organization": spec["name"],
                "title": _titles(spec)[index % len(_titles(spec))],
                "start_date": start,
                "end_date": date(2019, 6, 30) if ended else None,
            }
        ]
        if index % 3 == 0:
            earlier = invented[(index * 7 + 3) % len(invented)]
            if earlier["name"] != spec["name"]:
                affiliations.append(
                    {
                        "organization": earlier["name"],
                        "title": _titles(earlier)[-1],
                        "start_date": date(start.year - rng.randint(2, 6), rng.randint(1, 12), 1),
                        "end_date": date(start.year - 1, 12, 31),
                    }
                )
        elif index % 10 == 5:
            board = board_seats[index % len(board_seats)]
            if board["name"] != spec["name"]:
                affiliations.append(
                    {
                        "organization": board["name"],
                        "title": "Board member",
                        "start_date": date(rng.randint(2012, 2018), 7, 1),
                        "end_date": None,
                    }
                )
        may_be_contacted = rng.random() < 0.75
        may_be_named = may_be_contacted and rng.random() < 0.5
        has_consent = may_be_contacted or rng.random() < 0.5
        email_name = name.lower().replace(" ", ".").translate(str.maketrans("áéíóúñ", "aeioun"))
        people.append(
            {
                "name": name,
                "email": f"{email_name}@example.org" if may_be_contacted else "",
                "phone": f"(312) 555-01{index % 100:02d}" if index % 2 == 0 else "",
                "preferred_language": "es" if is_spanish_name and index % 3 != 1 else "en",
                "may_be_contacted": may_be_contacted,
                "may_be_named": may_be_named,
                "consent_recorded_on": (
                    date(2017, rng.randint(3, 5), rng.randint(1, 28)) if has_consent else None
                ),
                "affiliations": affiliations,
            }
        )
    return people


ORGANIZATION_FIELDS = ["subsector", "level", "city", "county", "state", "description", "languages"]


def upsert(
    model: type[models.Model], lookup: dict[str, Any], values: dict[str, Any]
) -> tuple[models.Model, bool]:
    """The row matching `lookup`, created or brought up to `values`; saved only if it differs (every
    demo loader upserts this way, so loading the demo again changes nothing)."""
    obj = model.objects.filter(**lookup).order_by("pk").first()
    if obj is None:
        return model.objects.create(**lookup, **values), True
    changed = [field for field, value in values.items() if getattr(obj, field) != value]
    if changed:
        for field in changed:
            setattr(obj, field, values[field])
        obj.save(update_fields=changed)
    return obj, False


def team_organizations() -> list[tuple[str, list[Organization]]]:
    """The demo teams with their organizations from the database, lead first (after `load`)."""
    by_name = {
        organization.name: organization
        for organization in Organization.objects.filter(
            name__in={name for _title, names in TEAMS for name in names}, merged_into__isnull=True
        )
    }
    return [(title, [by_name[name] for name in names if name in by_name]) for title, names in TEAMS]


def scan_organizations() -> models.QuerySet:
    """The organizations interviewed in the demo environmental scan (after `load`)."""
    return Organization.objects.filter(name__in=SCAN_ORGANIZATIONS, merged_into__isnull=True)


@transaction.atomic
def load(stdout: TextIO) -> None:
    """Create or refresh the demo organizations, people and affiliations."""
    sectors = {sector.slug: sector for sector in Sector.objects.all()}
    populations = {population.slug: population for population in Population.objects.all()}
    organizations: dict[str, Organization] = {}
    created_organizations = 0
    for spec in ORGANIZATIONS:
        values = {field: spec[field] for field in ORGANIZATION_FIELDS}
        values["sector_id"] = sectors[spec["sector"]].pk
        organization, created = upsert(Organization, {"name": spec["name"]}, values)
        wanted = {populations[slug].pk for slug in spec["populations"] if slug in populations}
        if set(organization.populations.values_list("pk", flat=True)) != wanted:
            organization.populations.set(wanted)
        organizations[spec["name"]] = organization
        created_organizations += created

    created_people = 0
    people = _people()
    for plan in people:
        values = {key: value for key, value in plan.items() if key not in {"name", "affiliations"}}
        person, created = upsert(Person, {"name": plan["name"]}, values)
        created_people += created
        for affiliation in plan["affiliations"]:
            upsert(
                Affiliation,
                {
                    "person": person,
                    "organization": organizations[affiliation["organization"]],
                    "title": affiliation["title"],
                },
                {"start_date": affiliation["start_date"], "end_date": affiliation["end_date"]},
            )

    stdout.write(
        _(
            "Partners: %(organizations)d demo organizations (%(new_organizations)d new), "
            "%(people)d demo people (%(new_people)d new).\n"
        )
        % {
            "organizations": len(organizations),
            "new_organizations": created_organizations,
            "people": len(people),
            "new_people": created_people,
        }
    )
