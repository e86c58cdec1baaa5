from django.urls import URLPattern, URLResolver, path, re_path

from plenary.stats import views

app_name = "stats"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.dashboard, name="dashboard"),
    re_path(r"^export\.(?P<fmt>csv|xlsx)$", views.export, name="export"),
    path("reports/", views.reports, name="reports"),
    path("reports/<int:job_id>/", views.report_job, name="report_job"),
    re_path(
        r"^reports/(?P<job_id>\d+)/file\.(?P<fmt>docx|pdf)$", views.report_file, name="report_file"
    ),
    path("public/", views.public, name="public"),
    path("public/<int:year>/", views.public, name="public_year"),
]
