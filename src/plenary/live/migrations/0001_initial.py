"""Presence and attendance facts move from the floor app to the live kernel.

Their tables are renamed by ``floor.0002``; here they enter the kernel's state
as they are, then their indexes take the kernel's names.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def move_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in ("presence", "attendancerecord"):
        if not ContentType.objects.filter(app_label="live", model=model).exists():
            ContentType.objects.filter(app_label="floor", model=model).update(app_label="live")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("accounts", "0003_sso_subject_unique_email"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("floor", "0002_move_presence_and_attendance_to_live"),
        ("meetings", "0002_sectors"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='AttendanceRecord',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('join', 'Joined'), ('leave', 'Left'), ('channel', 'Switched channel'), ('floor_granted', 'Was given the floor'), ('floor_ended', 'Floor ended')], max_length=16, verbose_name='kind')),
                        ('attendance', models.CharField(choices=[('onsite', 'In the room'), ('remote', 'Remotely')], max_length=8, verbose_name='attendance')),
                        ('device_class', models.CharField(blank=True, choices=[('desktop', 'Desktop or laptop'), ('tablet', 'Tablet'), ('phone', 'Phone'), ('room', 'Room system')], max_length=8, verbose_name='device')),
                        ('channel', models.CharField(blank=True, max_length=32, verbose_name='channel')),
                        ('language', models.CharField(blank=True, max_length=8, verbose_name='language')),
                        ('connection', models.CharField(blank=True, max_length=64, verbose_name='connection')),
                        ('entity_country', models.CharField(blank=True, max_length=2, verbose_name='country')),
                        ('entity_region', models.CharField(blank=True, max_length=20, verbose_name='region')),
                        ('entity_category', models.CharField(blank=True, max_length=20, verbose_name='entity category')),
                        ('at', models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name='time')),
                        ('entity', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='accounts.entity', verbose_name='entity')),
                        ('meeting', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='attendance_records', to='meetings.meeting', verbose_name='meeting')),
                        ('session', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='attendance_records', to='meetings.session', verbose_name='session')),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='attendance_records', to=settings.AUTH_USER_MODEL, verbose_name='person')),
                    ],
                    options={
                        'verbose_name': 'attendance record',
                        'verbose_name_plural': 'attendance records',
                        'ordering': ['at', 'id'],
                        'indexes': [models.Index(fields=['session', 'kind', 'at'], name='floor_atten_session_413e00_idx'), models.Index(fields=['meeting', 'kind'], name='floor_atten_meeting_52ebe7_idx'), models.Index(fields=['kind', 'at', 'user', 'session', 'attendance', 'meeting'], name='floor_atten_kind_3a789a_idx')],
                    },
                ),
                migrations.CreateModel(
                    name='Presence',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('connection', models.CharField(max_length=64, unique=True)),
                        ('attendance', models.CharField(choices=[('onsite', 'In the room'), ('remote', 'Remotely')], max_length=8)),
                        ('device_class', models.CharField(choices=[('desktop', 'Desktop or laptop'), ('tablet', 'Tablet'), ('phone', 'Phone'), ('room', 'Room system')], max_length=8)),
                        ('connected_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('seen_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('session', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='presences', to='meetings.session')),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'presence',
                        'verbose_name_plural': 'presences',
                        'indexes': [models.Index(fields=['session', 'seen_at'], name='floor_prese_session_6f102a_idx')],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_types, migrations.RunPython.noop),
        migrations.RenameIndex(
            model_name='attendancerecord',
            new_name='live_attend_session_94f110_idx',
            old_name='floor_atten_session_413e00_idx',
        ),
        migrations.RenameIndex(
            model_name='attendancerecord',
            new_name='live_attend_meeting_7d9e6e_idx',
            old_name='floor_atten_meeting_52ebe7_idx',
        ),
        migrations.RenameIndex(
            model_name='attendancerecord',
            new_name='live_attend_kind_eaa0f8_idx',
            old_name='floor_atten_kind_3a789a_idx',
        ),
        migrations.RenameIndex(
            model_name='presence',
            new_name='live_presen_session_07d308_idx',
            old_name='floor_prese_session_6f102a_idx',
        ),
    ]
