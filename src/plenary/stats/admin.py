"""What the secretariat records for the annual report: notes, costs, incidents."""

from django.contrib import admin
from django.http import HttpRequest

from plenary.stats.models import Incident, ReportInputs, ReportJob, ServiceCost


@admin.register(ReportInputs)
class ReportInputsAdmin(admin.ModelAdmin):
    list_display = ["year", "currency", "travel_cost_per_person"]


@admin.register(ServiceCost)
class ServiceCostAdmin(admin.ModelAdmin):
    list_display = ["year", "service", "cost_per_hour"]
    list_filter = ["year", "service"]


@admin.register(Incident)
class IncidentAdmin(admin.ModelAdmin):
    list_display = ["service", "started_at", "ended_at", "description"]
    list_filter = ["service"]
    date_hierarchy = "started_at"


@admin.register(ReportJob)
class ReportJobAdmin(admin.ModelAdmin):
    list_display = ["year", "language", "status", "progress", "created_at", "finished_at"]
    list_filter = ["status", "language"]
    readonly_fields = [f.name for f in ReportJob._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Jobs are created by asking for a report, never by hand.
        return False
