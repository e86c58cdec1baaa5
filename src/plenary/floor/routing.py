"""WebSocket routes of the floor app."""

from django.urls import URLPattern, URLResolver, path

from plenary.floor.consumers import SessionConsumer

websocket_urlpatterns: list[URLPattern | URLResolver] = [
    path("ws/sessions/<int:session_id>/", SessionConsumer.as_asgi()),
]
