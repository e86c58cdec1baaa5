"""The packaged files of a recording, to a browser that may watch it.

Only the names packaging writes are served (the master playlist, each
channel's and the video's playlist, init and segments, each channel's audio
file, the video file): anything
else, a name that tries to leave the folder included, is not found. A byte
range is honoured (players seek with them); one past the end is answered
416 with the file's size.
"""

from __future__ import annotations

import re
from pathlib import Path

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from plenary.core.languages import UN_LANGUAGES
from plenary.recordings.models import Recording
from plenary.recordings.queries import LIVE_STATUSES

_CHANNEL = "(" + "|".join(re.escape(code) for code in ("floor", *UN_LANGUAGES)) + ")"
_NAMES = re.compile(
    rf"^(index\.m3u8|{_CHANNEL}\.m4a|video\.mp4"
    rf"|({_CHANNEL}|video)/(index\.m3u8|init\.mp4|\d{{5}}\.m4s))$"
)
# The master playlist with the video as its variant (``index.m3u8``: sound only).
VIDEO_MASTER = "video.m3u8"
_SUBTITLES = re.compile(
    r"^subtitles/(" + "|".join(re.escape(c) for c in UN_LANGUAGES) + r")\.m3u8$"
)
_LIVE_NAMES = re.compile(rf"^(index\.m3u8|{_CHANNEL}/(index\.m3u8|\d{{5}}\.ts))$")
_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
CONTENT_TYPES = {
    ".m3u8": "application/vnd.apple.mpegurl",
    ".m4s": "video/iso.segment",
    ".mp4": "video/mp4",
    ".m4a": "audio/mp4",
    ".ts": "video/mp2t",
}
# Sent from memory at once (under ASGI a streamed file costs a thread hop per block).
SMALL_FILE_BYTES = 256 * 1024
# A live playlist changes every second; a segment never changes once written.
LIVE_PLAYLIST_CACHE = "no-cache"
SEGMENT_CACHE = "max-age=3600"


def packaged_file(recording: Recording, name: str) -> Path:
    if recording.status != Recording.Status.READY or not _NAMES.match(name):
        raise Http404(_("There is no such file in this recording."))
    path = recording.hls_folder / name
    if not path.is_file():
        raise Http404(_("There is no such file in this recording."))
    return path


def subtitle_language(name: str) -> str:
    """The language of a subtitle playlist's name (``subtitles/fr.m3u8``), else ""."""
    found = _SUBTITLES.match(name)
    return found.group(1) if found else ""


def is_live_name(name: str) -> bool:
    return _LIVE_NAMES.match(name) is not None


def live_file(recording: Recording, name: str) -> Path:
    """A file of the live webcast: while the session is recorded, and until its
    recording is packaged (a player then reads the ended playlists)."""
    if recording.status not in LIVE_STATUSES or not is_live_name(name):
        raise Http404(_("There is no such file in this recording."))
    path = recording.live_folder / name
    if not path.is_file():
        raise Http404(_("There is no such file in this recording."))
    return path


def send(
    request: HttpRequest,
    path: Path,
    *,
    download_as: str | None = None,
    cache: str = "private, max-age=3600",
) -> HttpResponseBase:
    """``path`` whole, or the byte range the request asks for."""
    size = path.stat().st_size
    content_type = CONTENT_TYPES[path.suffix]
    wanted = _RANGE.match(request.headers.get("Range", "").strip())
    response: HttpResponseBase
    if wanted and (wanted.group(1) or wanted.group(2)):
        first, last = wanted.groups()
        if first:
            start, end = int(first), min(int(last) if last else size - 1, size - 1)
        else:  # the last N bytes
            start, end = max(size - int(last), 0), size - 1
        if start >= size or start > end:
            response = HttpResponse(status=416)
            response["Content-Range"] = f"bytes */{size}"
            return response
        with path.open("rb") as stored:
            stored.seek(start)
            body = stored.read(end - start + 1)
        response = HttpResponse(body, status=206, content_type=content_type)
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
    elif size <= SMALL_FILE_BYTES:  # a playlist or a segment: one read, no streaming
        response = HttpResponse(path.read_bytes(), content_type=content_type)
    else:
        response = FileResponse(path.open("rb"), content_type=content_type)
    response["Accept-Ranges"] = "bytes"
    response["Cache-Control"] = cache
    if download_as:
        response["Content-Disposition"] = content_disposition_header(True, download_as) or ""
    return response
