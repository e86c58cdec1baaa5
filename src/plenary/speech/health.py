"""``/healthz``: installed models per task and the connected speech workers."""

from __future__ import annotations

from plenary.core.health import ComponentHealth, register
from plenary.speech.engines import catalog
from plenary.speech.models import SpeechWorker


@register("speech")
def check_speech() -> ComponentHealth:
    models = catalog.installed_models()
    workers = SpeechWorker.objects.filter(disconnected_at__isnull=True).count()
    by_task = {
        task: sorted({code for m in models if m.task == task for code in m.languages})
        for task in ("asr", "mt", "tts")
    }
    ok = bool(by_task["asr"])
    detail = f"{workers} worker(s); recognition in {', '.join(by_task['asr']) or 'no language'}"
    return ComponentHealth(ok=ok, detail=detail, data={"workers": workers, "languages": by_task})
