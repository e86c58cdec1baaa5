"""The workspace pages. Thin: rules in ``services``, reads in ``queries``, what
every page does (forms with or without JavaScript) in ``pages``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from plenary.core.errors import PermissionRefusal, refusals_as_http
from plenary.documents.uploads import SizeLimit, accepts, upload_view
from plenary.live.standing import display_name
from plenary.workspaces import pages, queries
from plenary.workspaces import search as search_messages
from plenary.workspaces.events import call_json, message_json
from plenary.workspaces.forms import (
    ChannelForm,
    DigestForm,
    EditForm,
    InviteForm,
    OwnTranslationForm,
    PostForm,
    SearchForm,
    TopicForm,
    WorkspaceForm,
    WorkspaceSettingsForm,
)
from plenary.workspaces.models import Channel, MailChoice, Message, Subscription, Topic
from plenary.workspaces.services import (
    access,
    digests,
    library,
    mail,
    reading,
    setup,
    translation,
)
from plenary.workspaces.services import messages as posting
from plenary.workspaces.services.messages import EMOJI
from plenary.workspaces.start import start_page

Place = access.Place
LIBRARY_HITS = 10  # documents of the library shown above the messages a search finds
# The message the topic page's <template> is rendered from (topic.js fills it in).
TEMPLATE_MESSAGE: dict[str, Any] = {
    "id": 0, "author_id": 0, "author": "", "entity": "", "html": "", "language": "", "at": "",
    "edited": False, "hidden": False, "reply_to": None, "reactions": [], "attachments": [],
}  # fmt: skip


# --- Pages ------------------------------------------------------------------


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    everything_mine = list(access.my_workspaces(request.user))
    mine = [workspace for workspace in everything_mine if workspace.archived_at is None]
    others = access.readable_workspaces(request.user).exclude(
        pk__in=[w.pk for w in everything_mine]
    )
    return render(
        request,
        "workspaces/index.html",
        {
            "mine": mine,
            "archived": [workspace for workspace in everything_mine if workspace not in mine],
            "others": others.filter(archived_at__isnull=True),
            "may_create": getattr(request.user, "can_organise", False),
        },
    )


@login_required
def create(request: HttpRequest) -> HttpResponse:
    with refusals_as_http():
        setup.check_create(request.user)
    form = WorkspaceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        workspace, _reply = pages.attempt(
            request,
            form,
            lambda: setup.do_create_workspace(
                request.user,
                slug=data["slug"],
                names={data["name_language"]: data["name"]},
                descriptions={data["name_language"]: data["description"]},
                kind=data["kind"],
                visibility=data["visibility"],
                sector=data["sector"],
                entity_ids=[entity.pk for entity in data["entities"]],
            ),
        )
        if workspace is not None:
            return redirect("workspaces:home", workspace.slug)
    return render(request, "workspaces/create.html", {"form": form})


@login_required
def settings(request: HttpRequest, slug: str) -> HttpResponse:
    """The workspace's staff change its name, readers, member entities, sector, archive."""
    place = pages.place(request, slug)
    with refusals_as_http():
        setup.check_manage(place)
    workspace = place.workspace
    language = pages.language() if pages.language() in workspace.names else "en"
    form = WorkspaceSettingsForm(
        request.POST or None,
        initial={
            "name": workspace.names.get(language, workspace.name),
            "name_language": language,
            "description": workspace.descriptions.get(language, ""),
            "visibility": workspace.visibility,
            "entities": list(workspace.entities.all()),
            "sector": workspace.sector,
            "archived": workspace.archived_at is not None,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        changed, _reply = pages.attempt(
            request,
            form,
            lambda: setup.do_change_workspace(
                request.user,
                place,
                names={data["name_language"]: data["name"]},
                descriptions={data["name_language"]: data["description"]},
                visibility=data["visibility"],
                entity_ids=[entity.pk for entity in data["entities"]],
                sector=data["sector"],
                archived=data["archived"],
            ),
        )
        if changed is not None:
            messages.success(request, _("The workspace's settings are saved."))
            return redirect("workspaces:home", slug)
    return render(
        request,
        "workspaces/settings.html",
        {"place": place, "workspace": workspace, "form": form},
        status=400 if form.is_bound else 200,
    )


@require_GET
def home(request: HttpRequest, slug: str) -> HttpResponse:
    place = pages.place(request, slug)
    return render(
        request,
        "workspaces/home.html",
        {
            "place": place,
            "workspace": place.workspace,
            "channels": queries.channels(place),
            "recent": queries.recent_topics(place),
            "channel_form": ChannelForm() if place.is_moderator else None,
        },
    )


@require_GET
def channel(request: HttpRequest, slug: str, channel: str) -> HttpResponse:
    place = pages.place(request, slug)
    found = pages.channel(place, channel)
    return _channel_page(request, place, found, TopicForm())


def _channel_page(
    request: HttpRequest, place: Place, channel: Channel, form: TopicForm, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "workspaces/channel.html",
        {
            "place": place,
            "workspace": place.workspace,
            "channel": channel,
            "page": queries.topics(place, channel, request.GET.get("page", 1)),
            "form": form,
            "may_start": place.may_write
            and (not channel.moderators_post or place.is_moderator)
            and channel.archived_at is None,
            "level": reading.level_of(request.user, channel=channel),
        },
        status=status,
    )


@require_POST
@upload_view
def start_topic(
    request: HttpRequest, slug: str, channel: str, limit: SizeLimit | None
) -> HttpResponse:
    place = pages.place(request, slug)
    found = pages.channel(place, channel)
    form = TopicForm(request.POST, request.FILES)
    if not accepts(form, limit):
        if pages.wants_json(request):
            return pages.form_errors(form)
        return _channel_page(request, place, found, form, status=400)
    message, reply = pages.attempt(
        request,
        form,
        lambda: posting.do_start_topic(
            request.user,
            place,
            found.pk,
            form.cleaned_data["title"],
            form.cleaned_data["text"],
            language=pages.language(),
            upload=form.cleaned_data["file"],
        ),
    )
    if reply is not None:
        return reply
    if message is None:
        return _channel_page(request, place, found, form, status=400)
    url = message.get_absolute_url()
    if pages.wants_json(request):
        return JsonResponse({"ok": True, "id": message.pk, "url": url})
    return redirect(url)


@require_GET
def topic(request: HttpRequest, slug: str, channel: str, pk: int) -> HttpResponse:
    place = pages.place(request, slug)
    found = pages.topic(place, pages.channel(place, channel), pk)
    reply_to = request.GET.get("reply_to", "")
    initial = {"reply_to": reply_to} if reply_to.isdigit() and len(reply_to) < 19 else {}
    return _topic_page(request, place, found, PostForm(initial=initial))


def _topic_page(
    request: HttpRequest, place: Place, topic: Topic, form: PostForm, status: int = 200
) -> HttpResponse:
    before = request.GET.get("before")
    shown = queries.messages(
        place, topic, int(before) if before and before.isdigit() and len(before) < 19 else None
    )
    last_read = queries.last_read(place, topic)
    if place.user_id is not None and shown.messages and not before:
        reading.do_mark_read(request.user, place, topic.pk, shown.messages[-1]["id"])
    return render(
        request,
        "workspaces/topic.html",
        {
            "place": place,
            "workspace": place.workspace,
            "channel": topic.channel,
            "topic": topic,
            "shown": shown,
            # Not "messages": that is the messages framework's (base.html shows them).
            "entries": [
                {**m, "reactions": shown.reactions.get(m["id"], []), "unread": m["id"] > last_read}
                for m in shown.messages
            ],
            "form": form,
            "may_post": place.may_write
            and (topic.locked_at is None or place.is_moderator)
            and topic.channel.archived_at is None,
            "emoji": EMOJI,
            "call": call_json(queries.open_call(topic)),
            "level": reading.level_of(request.user, topic=topic),
            "template_message": TEMPLATE_MESSAGE,
        },
        status=status,
    )


@require_POST
@upload_view
def post(
    request: HttpRequest, slug: str, channel: str, pk: int, limit: SizeLimit | None
) -> HttpResponse:
    place = pages.place(request, slug)
    found = pages.topic(place, pages.channel(place, channel), pk)
    form = PostForm(request.POST, request.FILES)
    if not accepts(form, limit):
        if pages.wants_json(request):
            return pages.form_errors(form)
        return _topic_page(request, place, found, form, status=400)
    message, reply = pages.attempt(
        request,
        form,
        lambda: posting.do_post(
            request.user,
            place,
            found.pk,
            form.cleaned_data["text"],
            language=pages.language(),
            reply_to_id=form.cleaned_data.get("reply_to"),
            upload=form.cleaned_data["file"],
        ),
    )
    if reply is not None:
        return reply
    if message is None:
        return _topic_page(request, place, found, form, status=400)
    if pages.wants_json(request):
        return JsonResponse({"ok": True, "id": message.pk})
    return redirect(message.get_absolute_url())


def _message(place: Place, pk: int) -> Message:
    with refusals_as_http():
        return posting.get_message(place, pk)


@login_required
def edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    place = pages.place(request, slug)
    message = _message(place, pk)
    form = EditForm(request.POST or None, initial={"text": message.text})
    if request.method == "POST":
        if not form.is_valid():
            if pages.wants_json(request):
                return pages.form_errors(form)
        else:
            edited, reply = pages.attempt(
                request,
                form,
                lambda: posting.do_edit(request.user, place, pk, form.cleaned_data["text"]),
            )
            if reply is not None:
                return reply
            if edited is not None:
                if pages.wants_json(request):
                    return JsonResponse({"ok": True, "id": edited.pk})
                return redirect(edited.get_absolute_url())
    elif message.author_id != place.user_id:
        with refusals_as_http():
            raise PermissionRefusal(_("Only its author edits a message."))
    return render(
        request,
        "workspaces/edit.html",
        {"place": place, "workspace": place.workspace, "message": message, "form": form},
    )


@require_GET
def history(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    place = pages.place(request, slug)
    message = _message(place, pk)
    return render(
        request,
        "workspaces/history.html",
        {
            "place": place,
            "workspace": place.workspace,
            "message": message,
            "revisions": list(message.revisions.select_related("replaced_by")),
        },
    )


def _done(request: HttpRequest, url: str, **fields: Any) -> HttpResponse:
    if pages.wants_json(request):
        return JsonResponse({"ok": True, **fields})
    return redirect(url)


@require_GET
def read_in(request: HttpRequest, slug: str, pk: int, language: str) -> HttpResponse:
    """The message in ``language`` (JSON for the page's script, else a page of its own)."""
    place = pages.place(request, slug)
    shown, reply = pages.attempt(request, None, lambda: translation.read_in(place, pk, language))
    if reply is not None:
        return reply
    label = translation.labels()[shown.kind] if shown is not None else ""
    if pages.wants_json(request):
        return JsonResponse(
            {"html": shown.html, "language": shown.language, "kind": shown.kind, "label": label}
        )
    message = _message(place, pk)  # the page shows the original beside it
    return render(
        request,
        "workspaces/translated.html",
        {
            "place": place,
            "workspace": place.workspace,
            "message": message,
            "shown": shown,
            "label": label,
        },
    )


@login_required
def translate_own(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The author gives their message in another language."""
    place = pages.place(request, slug)
    message = _message(place, pk)
    if message.author_id != place.user_id:
        raise PermissionDenied(_("Only its author translates a message this way."))
    form = OwnTranslationForm(request.POST or None, original=message.language)
    if request.method == "POST" and form.is_valid():
        _saved, _reply = pages.attempt(
            request,
            form,
            lambda: translation.do_translate_own(
                request.user, place, pk, form.cleaned_data["language"], form.cleaned_data["text"]
            ),
        )
        if not form.errors:
            messages.success(
                request, _("Your translation is saved; readers of that language see it first.")
            )
            return redirect(message.get_absolute_url())
    return render(
        request,
        "workspaces/translate_own.html",
        {
            "place": place,
            "workspace": place.workspace,
            "message": message,
            "form": form,
            "existing": translation.own_translations(message),
        },
    )


@require_POST
@login_required
def react(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    place = pages.place(request, slug)
    emoji = request.POST.get("emoji", "")
    on = request.POST.get("on", "1") != "0"
    message, reply = pages.attempt(
        request, None, lambda: posting.do_react(request.user, place, pk, emoji, on)
    )
    if reply is not None:
        return reply
    return _done(
        request, message.get_absolute_url() if message else reverse("workspaces:home", args=[slug])
    )


@require_POST
@login_required
def hide(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    place = pages.place(request, slug)
    hidden = request.POST.get("hidden", "1") != "0"
    message, reply = pages.attempt(
        request, None, lambda: posting.do_hide(request.user, place, pk, hidden)
    )
    if reply is not None:
        return reply
    if message is None:
        return _done(request, reverse("workspaces:home", args=[slug]))
    # The moderator's page shows it at once, its socket connected or not.
    return _done(request, message.get_absolute_url(), message=message_json(message))


@require_POST
@login_required
def moderate_topic(request: HttpRequest, slug: str, channel: str, pk: int) -> HttpResponse:
    place = pages.place(request, slug)
    found = pages.topic(place, pages.channel(place, channel), pk)
    action = request.POST.get("action", "")
    actions = {
        "lock": lambda: posting.do_lock(request.user, place, found.pk, True),
        "unlock": lambda: posting.do_lock(request.user, place, found.pk, False),
        "pin": lambda: posting.do_pin(request.user, place, found.pk, True),
        "unpin": lambda: posting.do_pin(request.user, place, found.pk, False),
    }
    if action not in actions:
        messages.error(request, _("Unknown action."))
    else:
        _result, reply = pages.attempt(request, None, actions[action])
        if reply is not None:
            return reply
    return _done(request, reverse("workspaces:topic", args=[slug, channel, found.pk]))


@require_POST
@login_required
def set_level(request: HttpRequest, slug: str, channel: str, pk: int | None = None) -> HttpResponse:
    place = pages.place(request, slug)
    found = pages.channel(place, channel)
    level = request.POST.get("level", "")
    if pk is not None:
        target = {"topic_id": pages.topic(place, found, pk).pk}
        url = reverse("workspaces:topic", args=[slug, channel, pk])
    else:
        target = {"channel_id": found.pk}
        url = reverse("workspaces:channel", args=[slug, channel])
    _result, reply = pages.attempt(
        request, None, lambda: reading.do_set_level(request.user, place, level, **target)
    )
    return reply or _done(request, url, level=level)


@require_POST
@login_required
def mark_channel_read(request: HttpRequest, slug: str, channel: str) -> HttpResponse:
    place = pages.place(request, slug)
    found = pages.channel(place, channel)
    reading.do_mark_channel_read(request.user, place, found.pk)
    return _done(request, reverse("workspaces:channel", args=[slug, channel]))


@require_POST
@login_required
def join(request: HttpRequest, slug: str) -> HttpResponse:
    place = pages.place(request, slug)
    membership, _reply = pages.attempt(request, None, lambda: setup.do_join(request.user, place))
    if membership is not None:
        messages.success(request, _("You are a member of this workspace now."))
    return redirect("workspaces:home", slug)


@require_POST
@login_required
def create_channel(request: HttpRequest, slug: str) -> HttpResponse:
    place = pages.place(request, slug)
    form = ChannelForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Name the channel."))
        return redirect("workspaces:home", slug)
    created, _reply = pages.attempt(
        request,
        None,
        lambda: setup.do_create_channel(
            request.user,
            place,
            form.cleaned_data["name"],
            description=form.cleaned_data["description"],
            moderators_post=form.cleaned_data["moderators_post"],
        ),
    )
    if created is not None:
        return redirect("workspaces:channel", slug, created.slug)
    return redirect("workspaces:home", slug)


def members(request: HttpRequest, slug: str) -> HttpResponse:
    place = pages.place(request, slug)
    with refusals_as_http():
        people, count = setup.roster(place)
    form = InviteForm(request.POST or None) if place.is_moderator else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied(_("Only the workspace's moderators and staff may do this."))
        if form.is_valid():
            membership, _reply = pages.attempt(
                request,
                form,
                lambda: setup.do_invite(
                    request.user, place, form.cleaned_data["person"], form.cleaned_data["role"]
                ),
            )
            if membership is not None:
                messages.success(
                    request,
                    _("%(person)s is a member now.") % {"person": display_name(membership.user)},
                )
                return redirect("workspaces:members", slug)
    return render(
        request,
        "workspaces/members.html",
        {
            "place": place,
            "workspace": place.workspace,
            "people": people,
            "count": count,
            "form": form,
        },
    )


SEARCH_PAGE = 50


@dataclass(frozen=True)
class Results:
    """A page of search results, without counting them all (a count of every match
    would cost as much as the search itself)."""

    items: list[Any]
    number: int

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return len(self.items) > SEARCH_PAGE

    @property
    def shown(self) -> list[Any]:
        return self.items[:SEARCH_PAGE]


def results_page(found: Any, number: int) -> Results:
    start = (number - 1) * SEARCH_PAGE
    return Results(list(found[start : start + SEARCH_PAGE + 1]), number)


@login_required
def start(request: HttpRequest) -> HttpResponse:
    """The personal start page (``workspaces.start``)."""
    return render(request, "workspaces/start.html", {"page": start_page(request.user)})


@require_GET
def search(request: HttpRequest, slug: str) -> HttpResponse:
    place = pages.place(request, slug)
    form = SearchForm(request.GET or None, workspace=place.workspace)
    page = None
    shelved: Any = []  # the library's documents that match the words
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        author = (
            get_user_model().objects.filter(username__iexact=data["author"]).first()
            if data["author"]
            else None
        )
        filters = search_messages.Filters(
            query=data["q"],
            channel_id=data["channel"].pk if data["channel"] else None,
            author_id=author.pk if author else (-1 if data["author"] else None),
            entity_id=data["entity"].pk if data["entity"] else None,
            since=data["since"],
            until=data["until"],
            with_files=data["with_files"],
        )
        number = request.GET.get("page", "1")
        page = results_page(
            search_messages.messages(place, filters),
            int(number) if number.isdigit() and len(number) < 6 else 1,
        )
        if data["q"]:
            shelved = library.documents(place, data["q"])[:LIBRARY_HITS]
    kept = request.GET.copy()
    kept.pop("page", None)
    return render(
        request,
        "workspaces/search.html",
        {
            "place": place,
            "workspace": place.workspace,
            "form": form,
            "page": page,
            "shelved": shelved,
            "query_string": kept.urlencode(),
        },
    )


@login_required
def notices(request: HttpRequest) -> HttpResponse:
    choice = MailChoice.objects.filter(user_id=request.user.pk or 0).first()
    form = DigestForm(
        request.POST or None, initial={"digest": choice.digest if choice else "daily"}
    )
    if request.method == "POST" and form.is_valid():
        MailChoice.objects.update_or_create(
            user_id=request.user.pk, defaults={"digest": form.cleaned_data["digest"]}
        )
        messages.success(request, _("Your choice is saved."))
        return redirect("workspaces:notices")
    return render(
        request,
        "workspaces/notices.html",
        {"notices": queries.notices(request.user), "digest_form": form},
    )


def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """One click from an e-mail, signed in or not: no more e-mail about a channel.

    GET asks (a link checker must not unsubscribe anyone); POST, from the page or
    from the mail client (RFC 8058), mutes the channel."""
    found = mail.read_unsubscribe(token)
    channel = (
        Channel.objects.select_related("workspace").filter(pk=found[1]).first() if found else None
    )
    if found is None or channel is None:
        raise Http404(_("This link is not valid."))
    if request.method == "POST":
        Subscription.objects.update_or_create(
            user_id=found[0], channel=channel, defaults={"level": Subscription.Level.MUTE}
        )
        return render(request, "workspaces/unsubscribed.html", {"muted": channel})
    return render(request, "workspaces/unsubscribe.html", {"muted": channel})


def stop_digests(request: HttpRequest, token: str) -> HttpResponse:
    """One click from a digest: no more digests (GET asks, POST stops)."""
    user_id = digests.read_stop(token)
    if user_id is None or not get_user_model().objects.filter(pk=user_id).exists():
        raise Http404(_("This link is not valid."))
    if request.method == "POST":
        MailChoice.objects.update_or_create(
            user_id=user_id, defaults={"digest": MailChoice.Digest.NEVER}
        )
        return render(request, "workspaces/unsubscribed.html", {"muted": None})
    return render(request, "workspaces/unsubscribe.html", {"muted": None})
