from django.urls import URLPattern, URLResolver, path

from plenary.floor import views

app_name = "floor"
urlpatterns: list[URLPattern | URLResolver] = [
    path("sessions/<int:session_id>/screen/", views.screen_page, name="screen"),
]
