"""Presence and attendance facts belong to the live kernel (``live.0001``).

The tables keep their rows and take the kernel's names; the floor forgets
the models.
"""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("floor", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.AlterModelTable("presence", "live_presence"),
                migrations.AlterModelTable("attendancerecord", "live_attendancerecord"),
            ],
            state_operations=[
                migrations.DeleteModel("Presence"),
                migrations.DeleteModel("AttendanceRecord"),
            ],
        ),
    ]
