"""WebSocket routes of every app."""

from django.urls import URLPattern, URLResolver

from plenary.live.routing import websocket_urlpatterns as live_routes
from plenary.media.routing import websocket_urlpatterns as media_routes
from plenary.speech.routing import websocket_urlpatterns as speech_routes
from plenary.workspaces.routing import websocket_urlpatterns as workspace_routes

websocket_urlpatterns: list[URLPattern | URLResolver] = [
    *live_routes,
    *media_routes,
    *speech_routes,
    *workspace_routes,
]
