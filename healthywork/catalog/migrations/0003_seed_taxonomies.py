from django.db import migrations

ACTION_TYPES = [
    ("Public policy and advocacy", "public-policy-advocacy"),
    ("Legislation and regulation", "legislation-regulation"),
    ("Organizing and collective action", "organizing-collective-action"),
    ("Legal services and rights enforcement", "legal-services-rights"),
    ("Training and education", "training-education"),
    ("Internal organizational or business policy", "internal-policy"),
    ("Direct services and programs", "direct-services"),
    ("Research and data", "research-data"),
    ("Communications and awareness", "communications-awareness"),
    ("Coalition and network building", "coalition-building"),
]

# The Center for Healthy Work's definition of healthy jobs (see docs and the demo facts).
CONDITIONS = [
    ("Free from workplace hazards", "free-from-hazards"),
    ("A thrivable living wage", "living-wage"),
    ("Job security", "job-security"),
    ("Benefits", "benefits"),
    ("Free from discrimination and exploitation", "free-from-discrimination"),
    ("Opportunities for advancement", "advancement"),
    ("Freedom to raise concerns, organize and take part in decisions", "voice-and-organizing"),
]


def seed(apps, schema_editor):
    ActionType = apps.get_model("catalog", "ActionType")
    Condition = apps.get_model("catalog", "Condition")
    for position, (name, slug) in enumerate(ACTION_TYPES):
        ActionType.objects.get_or_create(slug=slug, defaults={"name": name, "position": position})
    for position, (name, slug) in enumerate(CONDITIONS):
        Condition.objects.get_or_create(slug=slug, defaults={"name": name, "position": position})


class Migration(migrations.Migration):
    dependencies = [("catalog", "0002_fulltext_index")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
