"""Recognised text as its audience reads it.

Whisper writes Chinese in either script, sometimes both in one sentence; the
UN's Chinese (``zh-hans``) is simplified, so captions are converted with
OpenCC's traditional-to-simplified table (phrase-aware, offline).
"""

from __future__ import annotations

from functools import cache
from typing import Any


@cache
def _converter() -> Any:
    import opencc

    return opencc.OpenCC("t2s")


def simplified(text: str) -> str:
    """``text`` with every traditional Chinese character in its simplified form."""
    return str(_converter().convert(text)) if text else text
