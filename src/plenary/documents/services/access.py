"""Who sees which document, and who may submit, change or publish one.

The access matrix, in one place:

============================  ======  ==========  =====  =================
reader                        public  accredited  staff  submitted (draft)
============================  ======  ==========  =====  =================
anyone, signed in or not      yes     no          no     no
participant of the meeting    yes     yes         no     no
its entity's delegates and
focal points                  yes     yes         yes    yes
the meeting's secretariat     yes     yes         yes    yes (and withdrawn)
============================  ======  ==========  =====  =================

Only published and superseded documents reach anyone beyond the submitting
entity and the secretariat; a withdrawn document is hidden from all but the
secretariat.

The documents of a library (``services.library``) have one more row: whoever its
owner lets in — a workspace's readers read its library and its writers add to it
(``workspaces.services.library`` checks before it calls); a file is handed out
only once clean or honestly unscanned, to them as to anyone.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from plenary.accounts.models import Entity
from plenary.core.errors import NotFoundRefusal, PermissionRefusal
from plenary.documents.models import Document, FileVersion
from plenary.meetings.models import Meeting, Participation
from plenary.meetings.queries import has_way_in
from plenary.meetings.services.access import is_meeting_secretariat

# The roles whose holders submit for the entity they represent.
SUBMITTING_ROLES = (
    Participation.Role.DELEGATE,
    Participation.Role.CHAIR,
    Participation.Role.VICE_CHAIR,
)
SHOWN_STATES = (Document.State.PUBLISHED, Document.State.SUPERSEDED)


def submitting_entities(user: Any, meeting: Meeting) -> list[Entity]:
    """The entities ``user`` may submit for in ``meeting``: their own where they hold a
    delegate's (or chair's) role in it, and those they are a focal point of."""
    if not getattr(user, "is_authenticated", False):
        return []
    entities = {entity.pk: entity for entity in user.focal_point_for.all()}
    if (
        user.entity_id
        and user.entity_id not in entities
        and Participation.objects.filter(
            meeting=meeting, user=user, role__in=SUBMITTING_ROLES
        ).exists()
    ):
        entities[user.entity_id] = user.entity
    return sorted(entities.values(), key=lambda entity: entity.name)


def visible_documents(user: Any, meeting: Meeting) -> QuerySet[Document]:
    """The documents of ``meeting`` that ``user`` may see (the matrix above)."""
    documents = Document.objects.filter(series__meeting=meeting)
    if is_meeting_secretariat(user, meeting):
        return documents
    readable = Q(access=Document.Access.PUBLIC)
    if has_way_in(user, meeting):
        readable |= Q(access=Document.Access.ACCREDITED)
    visible = Q(state__in=SHOWN_STATES) & readable
    own = [entity.pk for entity in submitting_entities(user, meeting)]
    if own:
        visible |= Q(entity__in=own) & ~Q(state=Document.State.WITHDRAWN)
    return documents.filter(visible)


def get_document(user: Any, pk: int) -> Document:
    """The document if ``user`` may see it; otherwise "not found" (no existence leak)."""
    document = Document.objects.select_related("series__meeting", "entity").filter(pk=pk).first()
    if (
        document is None
        or not visible_documents(user, document.series.meeting).filter(pk=pk).exists()
    ):
        raise NotFoundRefusal(_("This document does not exist or is not visible to you."))
    return document


def may_manage(user: Any, meeting: Meeting) -> bool:
    """The meeting's secretariat (its organisers, secretariat staff, its secretariat role)."""
    return is_meeting_secretariat(user, meeting)


def check_manage(user: Any, meeting: Meeting) -> None:
    if not may_manage(user, meeting):
        raise PermissionRefusal(_("Only the meeting's secretariat may do this."))


def may_write(user: Any, document: Document) -> bool:
    """Adds file versions and languages: the secretariat, or the submitting entity's people."""
    meeting = document.series.meeting
    if may_manage(user, meeting):
        return True
    if document.state in (Document.State.WITHDRAWN, Document.State.SUPERSEDED):
        return False
    return document.entity_id is not None and document.entity_id in {
        entity.pk for entity in submitting_entities(user, meeting)
    }


def check_write(user: Any, document: Document) -> None:
    if not may_write(user, document):
        raise PermissionRefusal(
            _(
                "Only the secretariat and the submitting entity's delegates "
                "may change this document."
            )
        )


def may_download(user: Any, file: FileVersion) -> bool:
    """A visible document's file: clean or honestly unscanned for readers; the secretariat
    also opens files that wait for the scan; a file with a threat is served to nobody."""
    if file.scan == FileVersion.Scan.INFECTED:
        return False
    if file.servable:
        return True
    return may_manage(user, file.language_version.document.series.meeting)
