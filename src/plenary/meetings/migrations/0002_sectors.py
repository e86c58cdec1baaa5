from django.db import migrations

SECTOR_CODES = ["R", "T", "D", "GS"]


def create_sectors(apps, schema_editor):
    Sector = apps.get_model("meetings", "Sector")
    for code in SECTOR_CODES:
        Sector.objects.get_or_create(code=code)


class Migration(migrations.Migration):
    dependencies = [("meetings", "0001_initial")]
    operations = [migrations.RunPython(create_sectors, migrations.RunPython.noop)]
