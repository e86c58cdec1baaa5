"""The full-text index over ``SearchText.text`` (see ``documents/search.py`` and
``core.search.index_operation``).

The index's names are spelt out here rather than imported from the app: they are
those the database holds.
"""

from django.db import migrations

from plenary.core.search import Index, index_operation

INDEX = Index(fts="documents_fts", table="documents_searchtext", key="document_id", gin="documents_search_gin")


class Migration(migrations.Migration):
    dependencies = [("documents", "0001_initial")]
    operations = [index_operation(INDEX)]
