"""Structured logs: one JSON object per line (``PLENARY_LOG_FORMAT=json``).

Each line has the time (UTC, ISO 8601), level, logger, message and process;
the extra fields a log call carries (Django's ``status_code``, our own) are
kept when JSON can hold them, and a traceback goes in ``exception``.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from typing import Any

# Attributes every record has: not repeated as extra fields.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "process": record.process,
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and key not in line and _plain(value):
                line[key] = value
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)


def _plain(value: object) -> bool:
    return value is None or isinstance(value, (str, int, float, bool))
