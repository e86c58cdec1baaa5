"""Full-text search on both engines, one normal form: SQLite FTS5 on the embedded default,
PostgreSQL's full-text search on the scale-out one. Apps keep their searchable column
and its index (documents: ``documents/search.py``; workspaces: ``workspaces/search.py``);
the normal form and the query are here, once.

Words are normalised the same way when stored and when asked for:

- case, accents and Arabic diacritics folded (``core.text.fold``);
- Arabic letter variants unified (alef forms, teh marbuta, alef maksura) and
  the article with its attached particles (wa-l, bi-l, fa-l, ka-l, li-l, al)
  taken off, so "al-ittisalat" and "ittisalat" meet;
- Chinese and Japanese characters each made a word of their own (these
  scripts do not separate words), and a query's run of them searched as a
  phrase: the characters side by side, never scattered.

Both engines use their plain tokeniser ("unicode61", "simple"): stemming for
six languages would need six configurations and still miss Arabic and Chinese.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import connection
from django.db.models import Model, QuerySet
from django.db.models.expressions import RawSQL

from plenary.core.text import fold

M = TypeVar("M", bound=Model)

# PostgreSQL refuses a tsvector above 1 MB; this much text stays well below it.
MAX_INDEXED_CHARS = 600_000
MAX_QUERY_TERMS = 12

_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_CHAR = re.compile(f"([{_CJK}])")
_WORD = re.compile(rf"[{_CJK}]+|[^\W{_CJK}]+")
# Alef with hamza above, below, madda, wasla: alef; teh marbuta: heh; alef maksura: yeh.
_ALEF, _HEH, _YEH = "\u0627", "\u0647", "\u064a"
_ARABIC_VARIANTS = str.maketrans(
    {"\u0623": _ALEF, "\u0625": _ALEF, "\u0622": _ALEF, "\u0671": _ALEF}
    | {"\u0629": _HEH, "\u0649": _YEH}
)
# The article (al-) alone or after wa-, bi-, fa-, ka-; and li-l- (written lam lam).
_ARABIC_ARTICLE = re.compile("^(?:[\u0648\u0628\u0641\u0643]?\u0627\u0644|\u0644\u0644)(?=\\w{2})")
_ARABIC_WORD = re.compile("[\u0600-\u06ff]+")
_PUNCTUATION = re.compile(r"[^\w\s]+")


def _strip_articles(text: str) -> str:
    return _ARABIC_WORD.sub(lambda m: _ARABIC_ARTICLE.sub("", m.group()), text)


def split_symbols(text: str) -> str:
    """Punctuation made a space: PostgreSQL's parser keeps "x.1234-projet" or an e-mail
    address as one token, which a search for "x.1234" would then miss; SQLite's
    tokenizer splits them anyway. The query's terms are split the same way."""
    return _PUNCTUATION.sub(" ", text)


def split_stored(manager: Any, field: str, batch: int = 2000) -> None:
    """Re-split the stored searchable forms in ``field`` of ``manager``'s rows (the data
    migrations that brought ``split_symbols`` in), in batches."""
    changed = []
    for row in manager.only("pk", field).iterator(chunk_size=batch):
        form = split_symbols(getattr(row, field))
        if form != getattr(row, field):
            setattr(row, field, form)
            changed.append(row)
        if len(changed) >= batch:
            manager.bulk_update(changed, [field])
            changed = []
    manager.bulk_update(changed, [field])


def searchable(text: str) -> str:
    """``text`` in the form that is stored and matched."""
    normalised = _strip_articles(split_symbols(fold(text).translate(_ARABIC_VARIANTS)))
    return _CJK_CHAR.sub(r" \1 ", normalised)


def query_terms(query: str) -> list[str]:
    """The query's words (a run of CJK characters is one term, matched as a phrase)."""
    normalised = _strip_articles(fold(query).translate(_ARABIC_VARIANTS))
    terms = _WORD.findall(normalised)
    return [" ".join(term) if _CJK_CHAR.match(term) else term for term in terms][:MAX_QUERY_TERMS]


@dataclass(frozen=True)
class Index:
    """Where an app's searchable column is indexed, on each engine.

    ``fts`` is the SQLite FTS5 table (its rowid the row's key); ``table`` and
    ``key`` the PostgreSQL table whose ``column`` has a GIN index on
    ``to_tsvector('simple', column)``.
    """

    fts: str
    table: str
    key: str
    column: str = "text"
    gin: str = ""  # the GIN index's name ("<table>_<column>_gin" by default)
    # Where one index holds many scopes (every workspace's messages, every library's
    # documents), each row's searchable form starts with its scope's word: the index
    # itself, not a join, then keeps a search to one scope (``scoped``).
    scope: str = ""

    def scope_term(self, scope_id: int) -> str:
        return f"{self.scope}{scope_id}"

    def stored(self, scope_id: int, text: str) -> str:
        """The searchable form of ``text`` in scope ``scope_id``."""
        return f"{self.scope_term(scope_id)} {searchable(text)}"[:MAX_INDEXED_CHARS]


def matching_keys(index: Index, terms: list[str]) -> RawSQL | None:
    """The keys of the rows that contain every term, as a subquery; ``None`` on an
    engine with no index (the caller scans)."""
    if connection.vendor == "sqlite":
        # FTS5 query syntax: each term a quoted string ("a b" is a phrase); all must match.
        match = " ".join('"' + term.replace('"', '""') + '"' for term in terms)
        return RawSQL(f"SELECT rowid FROM {index.fts} WHERE {index.fts} MATCH %s", [match])  # noqa: S608, S611 - fixed names
    if connection.vendor == "postgresql":
        tsquery = " && ".join(["phraseto_tsquery('simple', %s)"] * len(terms))
        return RawSQL(  # noqa: S611 - fixed SQL, the terms are parameters
            f"SELECT {index.key} FROM {index.table} "  # noqa: S608 - placeholders only
            f"WHERE to_tsvector('simple', {index.column}) @@ ({tsquery})",
            terms,
        )
    return None


def containing(queryset: QuerySet[M], index: Index, terms: list[str], field: str) -> QuerySet[M]:
    """Those of ``queryset`` whose indexed ``field`` contains every term: through the
    engine's index, or a plain scan (correct and slow) on an engine without one."""
    keys = matching_keys(index, terms)
    if keys is not None:
        return queryset.filter(pk__in=keys)
    for term in terms:
        queryset = queryset.filter(**{f"{field}__contains": term})
    return queryset


def scoped(queryset: QuerySet[M], index: Index, scope_id: int, terms: list[str]) -> QuerySet[M]:
    """``containing`` in one scope of a scoped index (the searchable column ``search``)."""
    return containing(queryset, index, [index.scope_term(scope_id), *terms], "search")


def index_operation(index: Index) -> Any:
    """The migration operation that makes ``index``: an external-content FTS5 table kept
    in step by triggers on SQLite, a GIN index on the ``simple`` tsvector on PostgreSQL,
    nothing elsewhere (a plain scan). Rows are never deleted by the services, but the
    delete trigger keeps the index right if an operator removes rows by hand."""
    from django.db import migrations

    fts, table, key, column = index.fts, index.table, index.key, index.column
    # Names fixed in the migrations, never input: S608 is about values, not these.
    sqlite_forward = [
        f"""CREATE VIRTUAL TABLE {fts} USING fts5(
            {column}, content='{table}', content_rowid='{key}',
            tokenize='unicode61 remove_diacritics 2')""",
        f"""CREATE TRIGGER {fts}_insert AFTER INSERT ON {table} BEGIN
            INSERT INTO {fts}(rowid, {column}) VALUES (new.{key}, new.{column});
        END""",  # noqa: S608
        f"""CREATE TRIGGER {fts}_update AFTER UPDATE OF {column} ON {table} BEGIN
            INSERT INTO {fts}({fts}, rowid, {column}) VALUES ('delete', old.{key}, old.{column});
            INSERT INTO {fts}(rowid, {column}) VALUES (new.{key}, new.{column});
        END""",  # noqa: S608
        f"""CREATE TRIGGER {fts}_delete AFTER DELETE ON {table} BEGIN
            INSERT INTO {fts}({fts}, rowid, {column}) VALUES ('delete', old.{key}, old.{column});
        END""",  # noqa: S608
    ]
    sqlite_backward = [
        f"DROP TRIGGER {fts}_delete",
        f"DROP TRIGGER {fts}_update",
        f"DROP TRIGGER {fts}_insert",
        f"DROP TABLE {fts}",
    ]
    gin = index.gin or f"{table}_{column}_gin"
    postgresql_forward = [
        f"CREATE INDEX {gin} ON {table} USING gin (to_tsvector('simple', {column}))"
    ]
    postgresql_backward = [f"DROP INDEX {gin}"]

    def run(sqlite: list[str], postgresql: list[str]) -> Any:
        def apply(apps: Any, schema_editor: Any) -> None:
            vendor = schema_editor.connection.vendor
            for statement in {"sqlite": sqlite, "postgresql": postgresql}.get(vendor, []):
                schema_editor.execute(statement)

        return apply

    return migrations.RunPython(
        run(sqlite_forward, postgresql_forward), run(sqlite_backward, postgresql_backward)
    )
