"""WebSocket routes of the floor app.

The session id is any path segment: the consumer itself closes the socket with
4404 for one that is not a session (a route that did not match would answer
the handshake with an HTTP error, which browsers cannot tell from a network
failure, so the page would retry forever).
"""

from django.urls import URLPattern, URLResolver, path

from plenary.live.consumers import SessionConsumer

websocket_urlpatterns: list[URLPattern | URLResolver] = [
    path("ws/sessions/<str:session_id>/", SessionConsumer.as_asgi()),
]
