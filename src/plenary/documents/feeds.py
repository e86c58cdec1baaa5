"""A meeting's register as an Atom feed: the published documents anyone may read.

Feed readers do not sign in, so the feed lists public documents only (the
register page shows participants the rest). ``?agenda=<id>`` narrows it to one
agenda item.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from plenary.core.errors import refusals_as_http
from plenary.documents.models import Document
from plenary.documents.services.access import SHOWN_STATES, visible_documents
from plenary.meetings.models import Meeting
from plenary.meetings.queries import visible_meeting

FEED_SIZE = 50


class RegisterFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request: HttpRequest, code: str) -> Meeting:
        with refusals_as_http():
            meeting = visible_meeting(AnonymousUser(), code)
        self.agenda = request.GET.get("agenda", "")
        return meeting

    def title(self, meeting: Meeting) -> str:
        return _("Documents of %(meeting)s") % {"meeting": meeting.title}

    def link(self, meeting: Meeting) -> str:
        return reverse("documents:register", args=[meeting.code])

    def items(self, meeting: Meeting) -> Any:
        documents = visible_documents(AnonymousUser(), meeting).filter(state__in=SHOWN_STATES)
        if self.agenda.isdigit():
            documents = documents.filter(agenda_items=int(self.agenda))
        return documents.select_related("entity").order_by("-published_at")[:FEED_SIZE]

    def item_title(self, document: Document) -> str:
        return f"{document.reference}: {document.title}"

    def item_description(self, document: Document) -> str:
        return document.abstract

    def item_link(self, document: Document) -> str:
        return reverse("documents:detail", args=[document.pk])

    def item_pubdate(self, document: Document) -> dt.datetime | None:
        return document.published_at

    def item_author_name(self, document: Document) -> str:
        return document.entity.name if document.entity else _("Secretariat")
