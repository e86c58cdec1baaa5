"""Adapters to the speech engines (STYLE.md §6).

Each engine sits behind a small typed interface in :mod:`.base`; a second
engine (NVIDIA Riva, another MT) is a new module here, not an edit everywhere.
Nothing in this package downloads anything: models come from installed
packages or from the operator's folders (``PLENARY_SPEECH_MODEL_DIRS``).
"""
