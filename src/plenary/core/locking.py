"""Row locks for the ``do_*`` services: lock, re-read, then check and write.

Every service that changes stored state follows one order (docs/architecture.md,
"Services"): ``do_*`` opens the transaction, locks the rows the change depends
on, calls ``check_*`` (authorise and validate, no writes) against what is
stored now, then writes. Two requests that race are thus checked one after
the other, never both against the state before either.
"""

from __future__ import annotations

from typing import TypeVar

from django.db import models
from django.utils.translation import gettext as _

from plenary.core.errors import NotFoundRefusal

M = TypeVar("M", bound=models.Model)


def lock(instance: M) -> M:
    """Lock ``instance``'s row until the transaction ends and refresh it from the database.

    ``NotFoundRefusal`` if the row was deleted meanwhile. Call inside
    ``transaction.atomic()``.
    """
    model = type(instance)
    try:  # one query: the row is read under its lock
        instance.refresh_from_db(from_queryset=model._default_manager.select_for_update())
    except model.DoesNotExist:  # type: ignore[attr-defined]
        raise NotFoundRefusal(_("This no longer exists; reload the page.")) from None
    return instance
