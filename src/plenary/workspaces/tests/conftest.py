from __future__ import annotations

from pathlib import Path

import pytest

from plenary.documents.tests.helpers import store_in
from plenary.workspaces.tests.helpers import Cast, make_cast


@pytest.fixture(autouse=True)
def library_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return store_in(tmp_path / "library", monkeypatch)


@pytest.fixture
def cast(db: None) -> Cast:
    return make_cast()
