from django.contrib import admin

from plenary.proposals import models


@admin.register(models.Conference)
class ConferenceAdmin(admin.ModelAdmin):
    list_display = ["code", "time_zone"]
    filter_horizontal = ["editions"]


@admin.register(models.AgendaItem)
class AgendaItemAdmin(admin.ModelAdmin):
    list_display = ["conference", "number", "parent", "position"]
    list_filter = ["conference"]


@admin.register(models.Committee)
class CommitteeAdmin(admin.ModelAdmin):
    list_display = ["conference", "code", "kind", "parent"]


@admin.register(models.Deadline)
class DeadlineAdmin(admin.ModelAdmin):
    list_display = ["conference", "kind", "closes_at"]


@admin.register(models.Instrument)
class InstrumentAdmin(admin.ModelAdmin):
    list_display = ["code", "kind"]


@admin.register(models.Edition)
class EditionAdmin(admin.ModelAdmin):
    list_display = ["instrument", "label", "date"]


@admin.register(models.ProposalDocument)
class ProposalDocumentAdmin(admin.ModelAdmin):
    list_display = ["__str__", "conference", "entity", "status"]
    list_filter = ["conference", "status"]
    # Documents change only through the PMS workflow (versioned, audited).
    readonly_fields = [f.name for f in models.ProposalDocument._meta.fields]
