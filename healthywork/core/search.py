"""Full-text search behind one function: SQLite FTS5 on SQLite, PostgreSQL text search there.

A searchable model keeps a `search_text` column (filled in `save()`); `fulltext_index(table)`
in a migration builds the index (an FTS5 table kept in step by triggers, or a GIN index), and
`text_search(queryset, query)` filters by it. Words match as prefixes, all words must match.
"""

import re
import unicodedata

from django.db import connection, migrations
from django.db.models import BooleanField, QuerySet
from django.db.models.expressions import RawSQL

WORD = re.compile(r"\w+", re.UNICODE)


def _fold(text: str) -> str:
    """Lower case without accents, so "Fundación" and "fundacion" match on every database."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def search_document(*parts: str) -> str:
    """The text a model keeps in `search_text`: folded words separated by spaces.

    Punctuation is dropped so that PostgreSQL's parser sees plain words (it would otherwise
    keep "union.example.org" as one host name that no prefix query finds).
    """
    return " ".join(WORD.findall(_fold(" ".join(part for part in parts if part))))


def search_words(query: str) -> list[str]:
    return WORD.findall(_fold(query or ""))[:12]


def text_search(queryset: QuerySet, query: str) -> QuerySet:
    words = search_words(query)
    if not words:
        return queryset
    table = queryset.model._meta.db_table
    vendor = connection.vendor
    if vendor == "sqlite":
        match = " ".join(f'"{word}"*' for word in words)
        return queryset.filter(
            pk__in=RawSQL(f"SELECT rowid FROM {table}_fts WHERE {table}_fts MATCH %s", [match])
        )
    if vendor == "postgresql":
        tsquery = " & ".join(f"{word}:*" for word in words)
        return queryset.filter(
            RawSQL(
                f"to_tsvector('simple', {table}.search_text) @@ to_tsquery('simple', %s)",
                [tsquery],
                output_field=BooleanField(),
            )
        )
    for word in words:
        queryset = queryset.filter(search_text__icontains=word)
    return queryset


def _sqlite_statements(table: str) -> list[str]:
    fts = f"{table}_fts"
    return [
        f"CREATE VIRTUAL TABLE {fts} USING fts5(search_text, content='{table}', "
        f"content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
        f"CREATE TRIGGER {fts}_ai AFTER INSERT ON {table} BEGIN "
        f"INSERT INTO {fts}(rowid, search_text) VALUES (new.id, new.search_text); END",
        f"CREATE TRIGGER {fts}_ad AFTER DELETE ON {table} BEGIN "
        f"INSERT INTO {fts}({fts}, rowid, search_text) VALUES('delete', old.id, old.search_text); END",
        f"CREATE TRIGGER {fts}_au AFTER UPDATE OF search_text ON {table} BEGIN "
        f"INSERT INTO {fts}({fts}, rowid, search_text) VALUES('delete', old.id, old.search_text); "
        f"INSERT INTO {fts}(rowid, search_text) VALUES (new.id, new.search_text); END",
        f"INSERT INTO {fts}({fts}) VALUES('rebuild')",
    ]


def fulltext_index(table: str) -> migrations.RunPython:
    """A migration operation that builds the full-text index of `table` for the database in use."""

    def forward(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        if vendor == "sqlite":
            for statement in _sqlite_statements(table):
                schema_editor.execute(statement)
        elif vendor == "postgresql":
            schema_editor.execute(
                f"CREATE INDEX {table}_fts ON {table} USING gin (to_tsvector('simple', search_text))"
            )

    def backward(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        if vendor == "sqlite":
            for suffix in ("_ai", "_ad", "_au"):
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_fts{suffix}")
            schema_editor.execute(f"DROP TABLE IF EXISTS {table}_fts")
        elif vendor == "postgresql":
            schema_editor.execute(f"DROP INDEX IF EXISTS {table}_fts")

    return migrations.RunPython(forward, backward)
