"""Write audit entries. Call inside the same transaction as the change."""

from __future__ import annotations

from typing import Any

from django.db import models

from plenary.core.models import AuditEntry


def record(actor: Any, action: str, target: models.Model, **data: Any) -> AuditEntry:
    """Append ``action`` on ``target`` by ``actor`` (a user or ``None`` for the system)."""
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        target_repr=str(target)[:255],
        data=data,
    )


def entries_for(target: models.Model) -> models.QuerySet[AuditEntry]:
    return AuditEntry.objects.filter(target_type=target._meta.label_lower, target_id=str(target.pk))
