from django.db import migrations

from healthywork.core.search import fulltext_index


class Migration(migrations.Migration):
    dependencies = [("partners", "0001_initial")]

    operations = [
        fulltext_index("partners_organization"),
        fulltext_index("partners_person"),
    ]
