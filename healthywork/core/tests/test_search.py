"""Full-text search behind one function, on SQLite and PostgreSQL alike."""

from unittest import skipUnless

from django.db import connection
from django.test import TestCase

from healthywork.core.search import ensure_fulltext_indexes, search_document, search_words, text_search
from healthywork.partners.models import Organization
from healthywork.partners.tests import factories


class SearchTextTests(TestCase):
    def test_documents_are_folded_words_without_punctuation(self):
        self.assertEqual(
            search_document("Fundación", "rosa@union.example.org"), "fundacion rosa union example org"
        )

    def test_query_words_are_folded_the_same_way(self):
        self.assertEqual(search_words("  Clínica—OBRERA! "), ["clinica", "obrera"])


class TextSearchTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        factories.organization("Clínica Obrera Tamarack", sector_slug="healthcare", state="IL")
        factories.organization("Arise Chicago", state="IL")

    def names(self, **kwargs) -> list[str]:
        return sorted(text_search(Organization.objects.all(), **kwargs).values_list("name", flat=True))

    def test_every_word_must_match_as_a_prefix(self):
        self.assertEqual(self.names(query="clin tama"), ["Clínica Obrera Tamarack"])
        self.assertEqual(self.names(query="clin arise"), [])

    def test_the_filtered_form_gives_the_same_rows(self):
        for query in ["clin", "chicago", "il", "zzz"]:
            self.assertEqual(self.names(query=query), self.names(query=query, is_filtered=True), query)

    def test_an_empty_query_keeps_everything(self):
        self.assertEqual(len(self.names(query=" ,; ")), 2)


@skipUnless(connection.vendor == "sqlite", "SQLite copies a table to change a column; PostgreSQL does not")
class TriggerRepairTests(TestCase):
    def test_lost_triggers_come_back_after_migrate(self):
        table = Organization._meta.db_table
        with connection.cursor() as cursor:
            for suffix in ("ai", "ad", "au"):
                cursor.execute(f"DROP TRIGGER {table}_fts_{suffix}")
        factories.organization("Unindexed Workers United")
        self.assertEqual(text_search(Organization.objects.all(), "unindexed").count(), 0)

        ensure_fulltext_indexes(using="default")

        self.assertEqual(text_search(Organization.objects.all(), "unindexed").count(), 1)
        factories.organization("Indexed Again Coalition")
        self.assertEqual(text_search(Organization.objects.all(), "indexed again").count(), 1)
