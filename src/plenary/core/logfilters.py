"""Keep refusals out of the error log.

Django logs every 403 on ``django.request`` with the ``PermissionDenied``
traceback attached. A refused request is an expected outcome (the person
was told why), not a fault: one warning line is kept, the traceback dropped.
Real errors (5xx) keep theirs.
"""

from __future__ import annotations

import logging


class RefusalWithoutTraceback(logging.Filter):
    """Drop the traceback of 4xx responses logged by ``django.request``."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if isinstance(status, int) and 400 <= status < 500:
            record.exc_info = None
            record.exc_text = None
        return True


def install() -> None:
    """Attach the filter to the logger Django reports responses on (idempotent)."""
    logger = logging.getLogger("django.request")
    if not any(isinstance(f, RefusalWithoutTraceback) for f in logger.filters):
        logger.addFilter(RefusalWithoutTraceback())
