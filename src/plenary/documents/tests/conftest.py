from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.storage import FileSystemStorage

from plenary.documents.models import FileVersion
from plenary.documents.tests.helpers import Cast, make_cast


@pytest.fixture(autouse=True)
def document_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test stores its document files in a folder of its own (the file fields take
    their storage once, when the models load, so the fields are pointed at it)."""
    folder = tmp_path / "documents"
    storage = FileSystemStorage(location=folder)
    for name in ("file", "pdf"):
        monkeypatch.setattr(FileVersion._meta.get_field(name), "storage", storage)
    return folder


@pytest.fixture
def cast(db: None) -> Cast:
    return make_cast()
