"""WebSocket routes of the speech app (the workers' socket; captions ride the session socket)."""

from django.urls import URLPattern, URLResolver, path

from plenary.speech.consumers import WorkerConsumer

websocket_urlpatterns: list[URLPattern | URLResolver] = [
    path("ws/speech/worker/", WorkerConsumer.as_asgi()),
]
