from django.urls import URLPattern, URLResolver, path

from plenary.interpretation import views

app_name = "interpretation"
urlpatterns: list[URLPattern | URLResolver] = [
    path("sessions/<int:session_id>/console/", views.console, name="console"),
]
