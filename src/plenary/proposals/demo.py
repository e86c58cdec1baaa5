"""The demo extract: base texts and a conference, for ``plenary demo`` and trials."""

from __future__ import annotations

from pathlib import Path

from plenary.proposals.importer import import_file
from plenary.proposals.models import Conference

DEMO_FILE = Path(__file__).parent / "data" / "demo-extract.json"
DEMO_CONFERENCE = "WRC-27"


def load_demo() -> Conference:
    """Load the demo extract once (idempotent) and return its conference."""
    existing = Conference.objects.filter(code=DEMO_CONFERENCE).first()
    if existing is not None:
        return existing
    import_file(DEMO_FILE.read_bytes())
    return Conference.objects.get(code=DEMO_CONFERENCE)
