from django.urls import URLPattern, URLResolver, path

from plenary.speech import views

app_name = "speech"
urlpatterns: list[URLPattern | URLResolver] = [
    path("sessions/<int:session_id>/", views.live_captions, name="live"),
    path("sessions/<int:session_id>/transcript/", views.transcript, name="transcript"),
    path(
        "sessions/<int:session_id>/transcript.<str:fmt>",
        views.export,
        name="export",
    ),
    path("segments/<int:segment_id>/correct/", views.correct, name="correct"),
    path("meetings/<int:meeting_id>/glossary/", views.glossary, name="glossary"),
]
