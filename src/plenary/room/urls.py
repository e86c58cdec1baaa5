from django.urls import URLPattern, URLResolver, path

from plenary.room import views

app_name = "room"
urlpatterns: list[URLPattern | URLResolver] = [
    path("sessions/<int:session_id>/", views.room, name="session"),
]
