"""Stored searchable forms with punctuation split (``core.search.split_symbols``), so that
PostgreSQL finds "x.1234" inside "x.1234-projet" as SQLite always did."""

from django.db import migrations

from plenary.core.search import split_stored


def split(apps, schema_editor):  # type: ignore[no-untyped-def]
    split_stored(apps.get_model("workspaces", "Message").objects, "search")


class Migration(migrations.Migration):
    dependencies = [("workspaces", "0004_calls")]
    operations = [migrations.RunPython(split, migrations.RunPython.noop)]
