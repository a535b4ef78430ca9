from io import StringIO

import pytest
from django.db.models import Count

from healthywork.partners import demo
from healthywork.partners.models import Affiliation, Organization, Person

pytestmark = pytest.mark.django_db


def counts() -> dict[str, int]:
    return {
        "organizations": Organization.objects.count(),
        "people": Person.objects.count(),
        "affiliations": Affiliation.objects.count(),
        "populations served": Organization.populations.through.objects.count(),
    }


def test_loading_twice_creates_nothing_new_and_changes_nothing():
    demo.load(stdout=StringIO())
    before = counts()
    stamps = dict(Organization.objects.values_list("name", "updated_at"))
    person_stamps = dict(Person.objects.values_list("name", "updated_at"))

    demo.load(stdout=StringIO())

    assert counts() == before
    assert dict(Organization.objects.values_list("name", "updated_at")) == stamps
    assert dict(Person.objects.values_list("name", "updated_at")) == person_stamps


def test_it_reports_what_it_loaded():
    output = StringIO()
    demo.load(stdout=output)
    assert "organizations" in output.getvalue()


def test_the_scan_has_55_organizations_across_seven_sectors_and_three_levels():
    demo.load(stdout=StringIO())
    scanned = demo.scan_organizations()

    assert scanned.count() == 55
    assert set(scanned.values_list("sector__slug", flat=True)) == set(demo.SCAN_SECTORS)
    assert {"national", "state", "local"} <= set(scanned.values_list("level", flat=True))
    in_scan_sectors = Organization.objects.filter(sector__slug__in=demo.SCAN_SECTORS).count()
    assert 50 <= in_scan_sectors <= 60


def test_the_scan_has_the_published_health_and_labor_shares():
    demo.load(stdout=StringIO())
    by_sector = dict(
        demo.scan_organizations()
        .values_list("sector__slug")
        .annotate(n=Count("pk"))
        .values_list("sector__slug", "n")
    )
    assert by_sector["public-health"] + by_sector["healthcare"] == 23
    assert by_sector["labor"] == 21


def test_every_team_organization_exists_with_its_lead_first():
    demo.load(stdout=StringIO())
    teams = demo.team_organizations()

    assert len(teams) == 8
    for (title, names), (loaded_title, organizations) in zip(demo.TEAMS, teams, strict=True):
        assert loaded_title == title
        assert [organization.name for organization in organizations] == names
    assert teams[0][1][0].name == "Centro de Trabajadores Unidos"
    assert Organization.objects.filter(name=demo.CENTER, sector__slug="research").exists()


def test_real_organizations_are_described_without_the_fictional_mark_and_others_with_it():
    demo.load(stdout=StringIO())
    real = {name for _title, names in demo.TEAMS for name in names} | {demo.CENTER}
    for organization in Organization.objects.all():
        is_marked = organization.description.endswith(demo.FICTIONAL)
        assert is_marked == (organization.name not in real), organization.name
        assert organization.state
        assert organization.subsector


def test_worker_centers_work_in_english_and_spanish():
    demo.load(stdout=StringIO())
    for organization in Organization.objects.filter(subsector="worker center"):
        assert organization.languages == "English; Spanish", organization.name


def test_people_are_about_80_and_each_has_one_or_two_affiliations():
    demo.load(stdout=StringIO())
    people = Person.objects.annotate(n=Count("affiliations"))

    assert 70 <= people.count() <= 90
    assert all(1 <= person.n <= 2 for person in people)
    assert people.filter(preferred_language="es").exists()
    assert people.filter(may_be_contacted=True).exists()
    assert people.filter(may_be_contacted=False).exists()
    assert people.filter(may_be_named=True).exists()
    assert people.filter(consent_recorded_on__isnull=False).exists()
    assert Affiliation.objects.filter(end_date__isnull=False).exists()
    assert not Person.objects.exclude(email="").exclude(email__endswith="@example.org").exists()


def test_every_organization_has_someone_and_every_team_organization_two():
    demo.load(stdout=StringIO())
    organizations = Organization.objects.annotate(n=Count("affiliations__person", distinct=True))
    assert all(organization.n >= 1 for organization in organizations)
    for _title, organizations_of_team in demo.team_organizations():
        for organization in organizations_of_team:
            assert organization.affiliations.count() >= 2, organization.name


def test_no_invented_person_leads_a_real_organization():
    demo.load(stdout=StringIO())
    real = {name for _title, names in demo.TEAMS for name in names} | {demo.CENTER}
    leading = set(demo.LEAD_TITLES.values()) | {demo.DEFAULT_LEAD_TITLE, "Board member"}
    assert not Affiliation.objects.filter(organization__name__in=real, title__in=leading).exists()
