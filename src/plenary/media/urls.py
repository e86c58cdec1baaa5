from django.urls import URLPattern, URLResolver, path

from plenary.media import views

app_name = "media"
urlpatterns: list[URLPattern | URLResolver] = [
    path("sessions/<int:session_id>/listen/", views.listen, name="listen"),
    path("sessions/<int:session_id>/room-feed/", views.room_feed, name="room_feed"),
]
