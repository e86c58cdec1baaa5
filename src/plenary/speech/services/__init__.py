"""Business operations of the speech plane: caption streams, workers, segments, transcripts.

``check_*`` authorise and validate; ``do_*`` write and publish (after commit).
Workers are trusted only after ``check_worker_token``; what they send is
validated again here (lengths, times, the stream being theirs), so a faulty
worker cannot write outside its own streams or flood the transcript.

- ``access``: the workers' token; who manages captions, reads and corrects the
  transcript; official languages.
- ``glossaries``: a meeting's glossary terms, who edits them, what workers get.
- ``streams``: caption streams started, stopped or following the session; AI
  voices; caption coverage; publication of a stream's state; waiting streams
  given to workers.
- ``workers``: worker registration, heartbeats, loss and expiry; partial and
  final segments from workers; gaps and outages in the record.
- ``transcripts``: reading the transcript; corrections of segments.

Each module imports only those above it in this list (access < glossaries <
streams < workers < transcripts), so there is no cycle. Callers use this
package (``services.do_start_stream(...)``), which re-exports them all.
"""

from plenary.speech.services.access import (
    MAX_TEXT,
    check_correct_segment,
    check_language,
    check_manage_captions,
    check_view_transcript,
    check_worker_token,
    worker_token,
)
from plenary.speech.services.glossaries import (
    check_manage_glossary,
    do_add_glossary_term,
    do_delete_glossary_term,
    glossary_for,
)
from plenary.speech.services.streams import (
    ACTIVE,
    WORKER_TIMEOUT,
    assignment,
    caption_coverage,
    do_follow_booth,
    do_follow_session,
    do_route_voice,
    do_start_stream,
    do_stop_stream,
)
from plenary.speech.services.transcripts import do_correct_segment, recent_segments, transcript
from plenary.speech.services.workers import (
    MAX_LAG_S,
    MIN_GAP,
    do_expire_stale_workers,
    do_final,
    do_forget_workers_of_a_previous_server,
    do_heartbeat,
    do_lost_audio,
    do_partial,
    do_register_worker,
    do_stream_failed,
    do_stream_ready,
    do_worker_lost,
)

__all__ = [
    "ACTIVE",
    "MAX_LAG_S",
    "MAX_TEXT",
    "MIN_GAP",
    "WORKER_TIMEOUT",
    "assignment",
    "caption_coverage",
    "check_correct_segment",
    "check_language",
    "check_manage_captions",
    "check_manage_glossary",
    "check_view_transcript",
    "check_worker_token",
    "do_add_glossary_term",
    "do_correct_segment",
    "do_delete_glossary_term",
    "do_expire_stale_workers",
    "do_final",
    "do_follow_booth",
    "do_follow_session",
    "do_forget_workers_of_a_previous_server",
    "do_heartbeat",
    "do_lost_audio",
    "do_partial",
    "do_register_worker",
    "do_route_voice",
    "do_start_stream",
    "do_stop_stream",
    "do_stream_failed",
    "do_stream_ready",
    "do_worker_lost",
    "glossary_for",
    "recent_segments",
    "transcript",
    "worker_token",
]
