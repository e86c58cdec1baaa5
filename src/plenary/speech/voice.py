"""AI interpretation: translated captions spoken by TTS and sent to Janus as RTP.

Each voice runs in its own thread with a queue, paced in real time as Janus
expects, so synthesis and sending never hold up recognition. The first thing
a listener hears is an announcement, in the channel's language, that this is
machine interpretation; a fallback (espeak-ng) voice says so too.
"""

from __future__ import annotations

import logging
import queue
import threading

from django.utils import translation
from django.utils.translation import gettext as _

from plenary.speech.engines import catalog, loader
from plenary.speech.engines.base import EngineError, ModelMissing, Synthesizer
from plenary.speech.rtp import OpusSender

logger = logging.getLogger(__name__)


def announcement(language: str, *, fallback: bool) -> str:
    with translation.override(language):
        text = _("You are listening to machine interpretation, produced automatically.")
        if fallback:
            text += " " + _("A basic synthetic voice is used.")
        return text


def parse_destination(destination: str) -> tuple[str, int]:
    host, _sep, port = destination.rpartition(":")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise ValueError(f"not host:port: {destination!r}")
    return host, int(port)


class AiVoice(threading.Thread):
    """Speak texts in ``language`` to ``destination`` ("host:port"), one after another."""

    def __init__(self, language: str, destination: str, *, realtime: bool = True) -> None:
        super().__init__(name=f"ai-voice-{language}", daemon=True)
        info = catalog.pick_voice(language)
        if info is None:
            raise ModelMissing(f"No voice for {language}.")
        self.language = language
        self.synthesizer: Synthesizer = loader.synthesizer(info)
        self.sender = OpusSender(*parse_destination(destination))
        self._realtime = realtime
        self._texts: queue.Queue[str | None] = queue.Queue(maxsize=50)
        self._texts.put(announcement(language, fallback=self.synthesizer.is_fallback))

    def say(self, text: str) -> None:
        try:
            self._texts.put_nowait(text)
        except queue.Full:
            logger.warning("AI voice %s is behind; dropped: %s", self.language, text[:80])

    def stop(self) -> None:
        self._texts.put(None)

    def run(self) -> None:
        while (text := self._texts.get()) is not None:
            try:
                self.sender.send(self.synthesizer.synthesize(text), realtime=self._realtime)
            except (EngineError, OSError):
                logger.exception("AI voice %s failed", self.language)
        self.sender.close()
