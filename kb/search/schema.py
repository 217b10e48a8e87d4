"""The Whoosh schema. Stored fields feed snippets and the status command; the DB stays the truth."""

from __future__ import annotations

from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema

from kb.search.analysis import BigramAnalyzer, JiebaAnalyzer

# Bumped whenever the fields change: an index of another version is rebuilt, not read.
SCHEMA_VERSION = 5


def build_schema() -> Schema:
    jieba_analyzer = JiebaAnalyzer()
    bigram_analyzer = BigramAnalyzer()
    return Schema(
        id=ID(stored=True, unique=True, sortable=True),  # columns: read per hit without the stored body
        slug=ID(stored=True),
        kind=ID(stored=True),
        status=ID(stored=True),
        department=ID(stored=True),
        validity=ID(stored=True, sortable=True),  # a column: ranking reads it for every hit
        positions=KEYWORD(stored=True, commas=True),
        title=TEXT(analyzer=jieba_analyzer, stored=True, field_boost=4.0, phrase=True),
        title_bigram=TEXT(analyzer=bigram_analyzer, field_boost=3.5, phrase=True),
        # The number is searched in title_bigram, the tags in facts: fewer fields, smaller queries.
        doc_number=STORED,
        tags=STORED,
        # The body is indexed by bigrams alone, without positions (jieba and positions over every body
        # were most of a rebuild's time); quoted phrases are checked against the stored text.
        body=STORED,
        body_bigram=TEXT(analyzer=bigram_analyzer, phrase=False),
        facts=TEXT(analyzer=jieba_analyzer, field_boost=3.0, phrase=False),
        facts_bigram=TEXT(analyzer=bigram_analyzer, field_boost=3.0, phrase=False),
        pinyin=KEYWORD(lowercase=True, scorable=True, field_boost=3.0),
        sequence=STORED,
    )
