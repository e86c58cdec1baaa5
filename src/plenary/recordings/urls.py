from django.urls import URLPattern, URLResolver, path

from plenary.recordings import views

app_name = "recordings"
urlpatterns: list[URLPattern | URLResolver] = [
    path("meetings/<slug:code>/recordings/", views.archive, name="archive"),
    path("recordings/<int:pk>/", views.player, name="player"),
    path("recordings/<int:pk>/remove/", views.remove, name="remove"),
    path("recordings/<int:pk>/cut/", views.cut, name="cut"),
    path("recordings/<int:pk>/files/<path:name>", views.file, name="file"),
    path("recordings/<int:pk>/live/<path:name>", views.live_file, name="live"),
    path("recordings/<int:pk>/transcript/<str:language>.vtt", views.subtitles, name="subtitles"),
]
