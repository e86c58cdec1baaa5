"""Where document files live: Django's storage named ``documents``.

A local folder outside ``MEDIA_ROOT`` by default (nothing there is reachable
by URL: every download goes through the access-checked view); an
S3-compatible bucket with django-storages for scale-out (settings
``PLENARY_DOCUMENTS_STORAGE``). The models name this callable, so migrations
do not depend on the backend an operator chose.
"""

from __future__ import annotations

from django.core.files.storage import Storage, storages


def document_storage() -> Storage:
    return storages["documents"]
