"""The archive of a meeting, a recording's player, and its files (thin: the rules are in
``queries`` and ``serving``)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from plenary.core.errors import NotFoundRefusal, PermissionRefusal, Refusal, refusals_as_http
from plenary.core.languages import Language
from plenary.meetings.queries import visible_meeting
from plenary.meetings.services.access import is_meeting_secretariat
from plenary.recordings import live, packaging, queries, services, serving, stage, timeline
from plenary.recordings.models import Recording, clock, parse_clock


def track_label(channel: str) -> str:
    """A channel's name in the page's language."""
    return _("Original (floor)") if channel == "floor" else str(Language(channel).label)


def _live_tracks(recording: Recording) -> list[dict[str, Any]]:
    """The channels of the live webcast, once its master playlist is there."""
    if not (recording.live_folder / "index.m3u8").is_file():
        return []
    return [
        {"index": index, "channel": channel, "label": track_label(channel)}
        for index, channel in enumerate(live.channels(recording.folder))
    ]


def _tracks(recording: Recording) -> list[dict[str, Any]]:
    files = reverse("recordings:file", args=[recording.pk, "index.m3u8"]).rsplit("/", 1)[0]
    return [
        {
            "index": index,
            "channel": track["channel"],
            "label": track_label(track["channel"]),
            "download": f"{files}/{track['audio']}?download=1",
            "gaps": [(clock(start), clock(end)) for start, end in track["gaps"]],
        }
        for index, track in enumerate(recording.tracks)
    ]


def _video(recording: Recording) -> dict[str, str]:
    """Where the player finds the master playlist with the video, and the video file."""
    file = reverse("recordings:file", args=[recording.pk, recording.video["file"]])
    return {
        "source": reverse("recordings:file", args=[recording.pk, serving.VIDEO_MASTER]),
        "download": f"{file}?download=1",
    }


@require_GET
def archive(request: HttpRequest, code: str) -> HttpResponse:
    with refusals_as_http():
        meeting = visible_meeting(request.user, code)
    if not queries.may_watch(request.user, meeting):
        raise Http404
    recordings = list(queries.of_meeting(meeting))
    return render(
        request,
        "recordings/archive.html",
        {
            "meeting": meeting,
            "recordings": recordings,
            "secretariat": is_meeting_secretariat(request.user, meeting),
            "disk_use": sum(recording.size for recording in recordings),
        },
    )


def _transcript_language(request: HttpRequest, offered: list[str]) -> str:
    """The transcript's language: the one asked for, else the reader's, else the first."""
    for wanted in (request.GET.get("transcript", ""), request.LANGUAGE_CODE):
        if wanted in offered:
            return wanted
    return offered[0] if offered else ""


@require_GET
def player(request: HttpRequest, pk: int) -> HttpResponse:
    with refusals_as_http():
        recording = queries.watchable(request.user, pk)
    ready = recording.status == Recording.Status.READY
    live_tracks = _live_tracks(recording) if recording.status == Recording.Status.RECORDING else []
    offered = queries.transcript_languages(recording) if ready else []
    language = _transcript_language(request, offered)
    return render(
        request,
        "recordings/player.html",
        {
            "recording": recording,
            "session": recording.session,
            "meeting": recording.session.meeting,
            "tracks": _tracks(recording) if ready else live_tracks,
            "live": bool(live_tracks),
            "chapters": [
                {"at": c.at, "clock": clock(c.at), "title": c.title}
                for c in (timeline.chapters(recording) if ready else [])
            ],
            "transcript_languages": [(code, Language(code).label) for code in offered],
            "transcript_language": language,
            "lines": [
                {"at": line.at, "clock": clock(line.at), "text": line.text, "speaker": line.speaker}
                for line in (timeline.transcript(recording, language) if language else [])
            ],
            "source": reverse(
                "recordings:live" if live_tracks else "recordings:file",
                args=[recording.pk, "index.m3u8"],
            ),
            "video": _video(recording) if ready and recording.video else None,
            "speeds": ["0.75", "1", "1.25", "1.5", "2"],
            "may_remove": services.may_remove(request.user, recording),
            "may_cut": services.may_cut(request.user, recording),
            "cuts": [(clock(cut["start"]), clock(cut["end"])) for cut in recording.cuts],
            "kept_until": services.kept_until(recording),
        },
    )


@require_GET
def subtitles(request: HttpRequest, pk: int, language: str) -> HttpResponse:
    """The transcript in ``language`` as WebVTT (corrections included)."""
    with refusals_as_http():
        recording = queries.watchable(request.user, pk)
    if recording.status != Recording.Status.READY or language not in Language.values:
        raise Http404(_("There is no such file in this recording."))
    response = HttpResponse(
        timeline.webvtt(timeline.transcript(recording, language)),
        content_type="text/vtt; charset=utf-8",
    )
    name = recording.download_name(language, ".vtt")
    response["Content-Disposition"] = content_disposition_header(True, name) or ""
    return response


def _playlist(text: str) -> HttpResponse:
    """A playlist made for this request (the transcript may be corrected at any time)."""
    response = HttpResponse(text, content_type=serving.CONTENT_TYPES[".m3u8"])
    response["Cache-Control"] = "private, no-cache"
    return response


def _master(recording: Recording, with_video: bool) -> HttpResponse:
    """The packaged master playlist with a subtitle rendition per transcript language,
    and the video as its variant if asked for."""
    tracks = [packaging.Track(**track) for track in recording.tracks]
    subtitles = [
        (code, f"subtitles/{code}.m3u8") for code in queries.transcript_languages(recording)
    ]
    video = stage.Video(**recording.video) if with_video else None
    return _playlist(packaging.master_playlist(tracks, subtitles, video))


@require_GET
def file(request: HttpRequest, pk: int, name: str) -> HttpResponseBase:
    with refusals_as_http():
        recording = queries.watchable(request.user, pk)
    ready = recording.status == Recording.Status.READY
    if ready and name == "index.m3u8":
        return _master(recording, with_video=False)
    if ready and recording.video and name == serving.VIDEO_MASTER:
        return _master(recording, with_video=True)
    language = serving.subtitle_language(name)
    if ready and language:
        uri = reverse("recordings:subtitles", args=[recording.pk, language])
        return _playlist(timeline.subtitle_playlist(recording.duration_s or 0, uri))
    path = serving.packaged_file(recording, name)
    download = None
    if request.GET.get("download") and path.suffix in (".m4a", ".mp4") and "/" not in name:
        download = recording.download_name(path.stem, path.suffix)
    return serving.send(request, path, download_as=download)


@require_GET
def live_file(request: HttpRequest, pk: int, name: str) -> HttpResponseBase:
    """The live webcast's playlists and segments; shared caches may keep those of a
    public webcast (a CDN in front of the origin). Most are answered ahead of Django
    (``live_http``); this view answers what that layer hands on."""
    with refusals_as_http():
        recording = queries.watchable(request.user, pk)
    path = serving.live_file(recording, name)
    shared = "public" if queries.has_public_webcast(recording.session.meeting) else "private"
    if path.suffix == ".m3u8":
        response = _playlist(live.served(path, path.read_bytes()).decode())
        response["Cache-Control"] = f"{shared}, {serving.LIVE_PLAYLIST_CACHE}"
        return response
    return serving.send(request, path, cache=f"{shared}, {serving.SEGMENT_CACHE}")


@require_POST
@login_required
def cut(request: HttpRequest, pk: int) -> HttpResponse:
    """The secretariat cuts a part (``start``, ``end`` as ``1:02:03``) with a reason."""
    with refusals_as_http():
        queries.watchable(request.user, pk)
        start = parse_clock(request.POST.get("start", ""))
        end = parse_clock(request.POST.get("end", ""))
        try:
            if start is None or end is None:
                raise Refusal(_("Write the moments as on the player, for example 1:02:03."), "span")
            services.do_cut_recording(request.user, pk, start, end, request.POST.get("reason", ""))
        except (PermissionRefusal, NotFoundRefusal):
            raise  # 403, 404
        except Refusal as refusal:  # said on the player's page, nothing cut
            messages.error(request, str(refusal))
            return redirect("recordings:player", pk)
    done = _("The part is being cut from every language; the recording plays again shortly.")
    messages.success(request, done)
    return redirect("recordings:player", pk)


@require_POST
@login_required
def remove(request: HttpRequest, pk: int) -> HttpResponse:
    with refusals_as_http():
        recording = queries.watchable(request.user, pk)
        try:
            services.do_remove_recording(request.user, pk, request.POST.get("reason", ""))
        except (PermissionRefusal, NotFoundRefusal):
            raise  # 403, 404
        except Refusal as refusal:  # said on the player's page, nothing removed
            messages.error(request, str(refusal))
            return redirect("recordings:player", pk)
    messages.success(request, _("The recording has been removed."))
    return redirect("recordings:archive", recording.session.meeting.code)
