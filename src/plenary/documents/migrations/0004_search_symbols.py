"""Stored searchable forms with punctuation split (``core.search.split_symbols``), so that
PostgreSQL finds "x.1234" inside "x.1234-projet" as SQLite always did."""

from django.db import migrations

from plenary.core.search import split_stored


def split(apps, schema_editor):  # type: ignore[no-untyped-def]
    split_stored(apps.get_model("documents", "SearchText").objects, "text")
    split_stored(apps.get_model("documents", "LibraryDocument").objects, "search")


class Migration(migrations.Migration):
    dependencies = [("documents", "0003_library")]
    operations = [migrations.RunPython(split, migrations.RunPython.noop)]
