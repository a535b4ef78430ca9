from django.db import migrations

from healthywork.core.search import fulltext_index


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_initial")]

    operations = [fulltext_index("catalog_initiative")]
