"""The full-text index over ``Message.search`` (see ``workspaces/search.py`` and
``core.search.index_operation``).

The index's names are spelt out here rather than imported from the app: they are
those the database holds.
"""

from django.db import migrations

from plenary.core.search import Index, index_operation

INDEX = Index(
    fts="workspaces_fts",
    table="workspaces_message",
    key="id",
    column="search",
    gin="workspaces_message_search_gin",
)


class Migration(migrations.Migration):
    dependencies = [("workspaces", "0001_initial")]
    operations = [index_operation(INDEX)]
