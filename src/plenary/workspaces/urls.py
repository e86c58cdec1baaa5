from django.urls import URLPattern, URLResolver, path

from plenary.workspaces import call_views, group_views, library_views, views

app_name = "workspaces"
_ws = "<slug:slug>/"
_channel = _ws + "c/<str:channel>/"
_topic = _channel + "<int:pk>/"
_message = _ws + "messages/<int:pk>/"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.index, name="index"),
    path("new/", views.create, name="create"),
    path("notices/", views.notices, name="notices"),
    path("start/", views.start, name="start"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("digests/stop/<str:token>/", views.stop_digests, name="stop_digests"),
    path("files/<int:pk>/", library_views.download, name="file"),
    path(_ws, views.home, name="home"),
    path(_ws + "library/", library_views.index, name="library"),
    path(_ws + "library/add/", library_views.add, name="library_add"),
    path(_ws + "library/<int:pk>/", library_views.document, name="library_document"),
    path(_ws + "library/<int:pk>/versions/", library_views.add_version, name="library_version"),
    path(_ws + "join/", views.join, name="join"),
    path(_ws + "members/", views.members, name="members"),
    path(_ws + "settings/", views.settings, name="settings"),
    path(_ws + "groups/", group_views.index, name="groups"),
    path(_ws + "groups/<slug:handle>/", group_views.change, name="change_group"),
    path(_ws + "groups/<slug:handle>/remove/", group_views.remove, name="remove_group"),
    path(_ws + "search/", views.search, name="search"),
    path(_ws + "channels/", views.create_channel, name="create_channel"),
    path(_channel, views.channel, name="channel"),
    path(_channel + "topics/", views.start_topic, name="start_topic"),
    path(_channel + "read/", views.mark_channel_read, name="channel_read"),
    path(_channel + "level/", views.set_level, name="channel_level"),
    path(_topic, views.topic, name="topic"),
    path(_topic + "post/", views.post, name="post"),
    path(_topic + "level/", views.set_level, name="topic_level"),
    path(_topic + "moderate/", views.moderate_topic, name="moderate_topic"),
    path(_topic + "call/", call_views.start, name="start_call"),
    path(_ws + "calls/<int:pk>/join/", call_views.join, name="join_call"),
    path(_ws + "calls/<int:pk>/end/", call_views.end, name="end_call"),
    path(_message + "edit/", views.edit, name="edit"),
    path(_message + "history/", views.history, name="history"),
    path(_message + "react/", views.react, name="react"),
    path(_message + "hide/", views.hide, name="hide"),
    path(_message + "in/<str:language>/", views.read_in, name="read_in"),
    path(_message + "translate/", views.translate_own, name="translate_own"),
]
