from django.urls import URLPattern, URLResolver, path

from plenary.guidance import views

app_name = "guidance"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.index, name="index"),
    path("guidelines/<str:sector>/", views.guideline, name="guideline"),
    path("guidelines/<str:sector>/v<int:version>/", views.guideline, name="guideline_version"),
    path("guidelines/<str:sector>/new/", views.guideline_new, name="guideline_new"),
    path("acknowledge/<int:pk>/", views.acknowledge, name="acknowledge"),
    path("meetings/<int:meeting_id>/setting/", views.meeting_setting, name="meeting_setting"),
    path("practice/", views.practice, name="practice"),
    path("self-test/", views.self_test, name="self_test"),
    path("guides/<slug:role>/", views.guide, name="guide"),
    path("completed/<slug:module>/", views.complete, name="complete"),
    path("probe/ping/", views.probe_ping, name="probe_ping"),
    path("probe/payload/", views.probe_payload, name="probe_payload"),
]
