from django.db import migrations

# The seven sectors of the environmental scan, plus government and business.
SECTORS = [
    ("Public health", "public-health", "health"),
    ("Healthcare", "healthcare", "health"),
    ("Nonprofit", "nonprofit", "community"),
    ("Labor", "labor", "labor"),
    ("Legal", "legal", "legal"),
    ("Research", "research", "research"),
    ("Education", "education", "research"),
    ("Government", "government", "government"),
    ("Business", "business", "business"),
]

POPULATIONS = [
    ("Low-wage workers", "low-wage"),
    ("Temporary and staffing-agency workers", "temporary-staffing"),
    ("Gig workers and independent contractors", "gig-independent"),
    ("Domestic workers", "domestic"),
    ("Immigrant and undocumented workers", "immigrant-undocumented"),
    ("Restaurant and food service workers", "restaurant-food-service"),
    ("Agricultural workers", "agricultural"),
    ("Day laborers", "day-laborers"),
    ("Youth and interns", "youth-interns"),
    ("Community health workers", "community-health-workers"),
    ("Manufacturing and warehouse workers", "manufacturing-warehouse"),
    ("Home care and health care workers", "care-workers"),
]


def seed(apps, schema_editor):
    Sector = apps.get_model("partners", "Sector")
    Population = apps.get_model("partners", "Population")
    for name, slug, family in SECTORS:
        Sector.objects.get_or_create(slug=slug, defaults={"name": name, "family": family})
    for name, slug in POPULATIONS:
        Population.objects.get_or_create(slug=slug, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("partners", "0002_fulltext_index")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
