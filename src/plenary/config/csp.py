"""The Content-Security-Policy header (django-csp), with the site's own sockets allowed.

``connect-src 'self'`` covers ``ws:``/``wss:`` of the same origin only in
browsers that follow CSP level 3; the sockets (``/ws/...``) must work in the
others too, so each response also names ``ws://`` and ``wss://`` of the host
the page was requested on (already checked against ``ALLOWED_HOSTS``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from csp.middleware import CSPMiddleware, PolicyParts
from django.core.exceptions import DisallowedHost

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponseBase


class PlenaryCSPMiddleware(CSPMiddleware):
    """django-csp's middleware, adding the request host's WebSocket origins to connect-src."""

    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if report_only:
            return parts  # no report-only policy is configured
        try:
            host = request.get_host()
        except DisallowedHost:
            return parts  # the response is the refusal; 'self' is enough for it
        sockets = [f"ws://{host}", f"wss://{host}"]
        update = dict(parts.update or {})
        update["connect-src"] = [*update.get("connect-src", []), *sockets]
        parts.update = update
        return parts
