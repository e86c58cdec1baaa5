from __future__ import annotations

from pathlib import Path

import pytest

from plenary.documents.tests.helpers import Cast, make_cast, store_in


@pytest.fixture(autouse=True)
def document_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return store_in(tmp_path / "documents", monkeypatch)


@pytest.fixture
def cast(db: None) -> Cast:
    return make_cast()
