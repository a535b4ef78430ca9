"""Install the shipped instruments (healthywork.evaluation.shipped); idempotent."""

from django.db import migrations


def seed(apps, schema_editor):
    from healthywork.evaluation.shipped import install

    install(
        apps.get_model("evaluation", "Instrument"),
        apps.get_model("evaluation", "Dimension"),
        apps.get_model("evaluation", "Item"),
    )


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
