from django.urls import URLPattern, URLResolver, path

from plenary.provisioning import views

app_name = "provisioning"
urlpatterns: list[URLPattern | URLResolver] = [
    path("meetings/<slug:code>/request/", views.request_services, name="request"),
    path("meetings/<slug:code>/calendar.ics", views.meeting_calendar, name="meeting_calendar"),
    path("requests/", views.queue, name="queue"),
    path("requests/<int:pk>/decide/", views.decide, name="decide"),
    path("requests/<int:pk>/cancel/", views.cancel, name="cancel"),
    path("join/<slug:token>/", views.join, name="join"),
    path("join-links/<int:pk>/revoke/", views.revoke_link, name="revoke_link"),
    path("webcast/<slug:token>/", views.webcast, name="webcast"),
    path("calendar/<slug:token>.ics", views.feed, name="feed"),
    path("calendar/reset/", views.reset_feed, name="reset_feed"),
]
