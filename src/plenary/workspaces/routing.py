"""WebSocket route of the workspaces (any id segment: the consumer closes with 4404)."""

from django.urls import URLPattern, URLResolver, path

from plenary.workspaces.consumers import WorkspaceConsumer

websocket_urlpatterns: list[URLPattern | URLResolver] = [
    path("ws/workspaces/<str:workspace_id>/", WorkspaceConsumer.as_asgi()),
]
