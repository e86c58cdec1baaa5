"""WebSocket routes of the media app (the public webcast; participants use the session socket)."""

from django.urls import URLPattern, URLResolver, path

from plenary.media.consumers import WebcastConsumer

websocket_urlpatterns: list[URLPattern | URLResolver] = [
    path(
        "ws/media/webcast/<str:token>/<str:session_id>/",  # checked by the consumer (4404)
        WebcastConsumer.as_asgi(),
    ),
]
