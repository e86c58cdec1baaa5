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

    # One instance serves every request: what a request asks for travels in the object.
    def get_object(self, request: HttpRequest, code: str) -> tuple[Meeting, str]:
        with refusals_as_http():
            meeting = visible_meeting(AnonymousUser(), code)
        return meeting, request.GET.get("agenda", "")

    def title(self, asked: tuple[Meeting, str]) -> str:
        return _("Documents of %(meeting)s") % {"meeting": asked[0].title}

    def link(self, asked: tuple[Meeting, str]) -> str:
        return reverse("documents:register", args=[asked[0].code])

    def items(self, asked: tuple[Meeting, str]) -> Any:
        meeting, agenda = asked
        documents = visible_documents(AnonymousUser(), meeting).filter(state__in=SHOWN_STATES)
        if agenda.isdigit():
            documents = documents.filter(agenda_items=int(agenda))
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
