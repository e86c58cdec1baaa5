"""TTS through Piper and espeak-ng, and the AI voice's RTP, read back by Whisper."""

from __future__ import annotations

import socket

import numpy as np
import pytest

from plenary.speech.engines import catalog, loader
from plenary.speech.engines.base import ModelMissing, Recognizer
from plenary.speech.rtp import OpusDecoder
from plenary.speech.tests.speechdata import word_error_rate
from plenary.speech.voice import AiVoice, parse_destination


def test_piper_is_the_english_voice_and_espeak_the_labelled_fallback() -> None:
    assert catalog.pick_voice("en").engine == "piper"  # type: ignore[union-attr]
    spanish = catalog.pick_voice("es")
    assert spanish is not None and spanish.engine == "espeak-ng" and spanish.fallback
    assert loader.synthesizer(spanish).is_fallback


def test_no_voice_for_chinese_is_refused() -> None:
    # espeak-ng's Mandarin is broken on Debian 12, and no Piper voice is installed.
    assert catalog.pick_voice("zh-hans") is None
    with pytest.raises(ModelMissing):
        AiVoice("zh-hans", "127.0.0.1:9")


def test_piper_speech_lasts_like_speech() -> None:
    speech = loader.synthesizer(catalog.pick_voice("en")).synthesize("Thank you, Chair.")  # type: ignore[arg-type]
    assert speech.samples.dtype == np.int16
    assert 0.5 < speech.duration < 3.0
    assert np.abs(speech.samples).max() > 1000


@pytest.mark.parametrize("destination", ["nohost", "host:", "host:70000", ":80"])
def test_bad_voice_destination_is_refused(destination: str) -> None:
    with pytest.raises(ValueError):
        parse_destination(destination)


def test_ai_voice_announces_itself_then_speaks_over_rtp(tiny_en: Recognizer) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as receiver:
        receiver.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
        receiver.bind(("127.0.0.1", 0))
        receiver.settimeout(30)  # the first packet waits for synthesis
        voice = AiVoice("en", f"127.0.0.1:{receiver.getsockname()[1]}", realtime=False)
        voice.start()
        voice.say("We support the proposal.")
        voice.stop()
        decoder = OpusDecoder()
        audio = []
        try:
            while True:
                audio.append(decoder.decode(receiver.recv(2048)))
                receiver.settimeout(2)
        except TimeoutError:
            pass
        voice.join(timeout=5)
    heard = "".join(w.text for w in tiny_en.transcribe(np.concatenate(audio), language="en"))
    expected = (
        "You are listening to machine interpretation, produced automatically. "
        "We support the proposal."
    )
    assert word_error_rate(expected, heard) <= 0.2
