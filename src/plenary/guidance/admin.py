from django.contrib import admin

from plenary.guidance.models import Acknowledgement, Guideline, MeetingGuidance, TrainingCompletion


@admin.register(Guideline)
class GuidelineAdmin(admin.ModelAdmin):
    list_display = ["sector", "version", "in_force_from", "change_note"]
    list_filter = ["sector"]


@admin.register(MeetingGuidance)
class MeetingGuidanceAdmin(admin.ModelAdmin):
    list_display = ["meeting", "require_acknowledgement"]


@admin.register(Acknowledgement)
class AcknowledgementAdmin(admin.ModelAdmin):
    list_display = ["user", "guideline", "meeting", "created_at"]


@admin.register(TrainingCompletion)
class TrainingCompletionAdmin(admin.ModelAdmin):
    list_display = ["user", "module", "completed_at"]
    list_filter = ["module"]
