"""Office files to PDF (LibreOffice headless) and PDF pages to images (poppler).

Each conversion runs ``soffice`` in a child process of its own, with a
throw-away profile (two conversions at once would otherwise share and lock
one) and a time limit; on time-out its whole process group is killed, so no
LibreOffice is left behind. A LibreOffice that crashes or is killed is tried
once more. Page images are PNGs from ``pdftoppm``: one size
for the screen and the phone viewer, and a small one of the first page for
the register's thumbnails.
"""

from __future__ import annotations

import logging
import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from django.conf import settings

logger = logging.getLogger(__name__)

SOFFICE_TIMEOUT_SECONDS = 600
PDFTOPPM_TIMEOUT_SECONDS = 600
# Page images 1000 px wide: sharp on a phone and readable on a room's screen.
PAGE_WIDTH_PX = 1000
THUMBNAIL_WIDTH_PX = 200


class ConversionFailed(Exception):
    pass


class TimedOut(ConversionFailed):
    pass


# A LibreOffice that dies or fails (a crash, a killed process) is tried this many times in
# all; one that runs out of time is not tried again (it would again).
SOFFICE_ATTEMPTS = 2


def to_pdf(source: Path, workdir: Path) -> Path:
    """``source`` (DOCX, XLSX, PPTX) as a PDF in ``workdir``."""
    for attempt in range(1, SOFFICE_ATTEMPTS + 1):
        try:
            return _soffice_to_pdf(source, workdir)
        except TimedOut:
            raise
        except ConversionFailed:
            if attempt == SOFFICE_ATTEMPTS:
                raise
            logger.warning("LibreOffice failed on %s; trying again", source.name, exc_info=True)
    raise AssertionError("unreachable")


def _soffice_to_pdf(source: Path, workdir: Path) -> Path:
    profile = Path(tempfile.mkdtemp(prefix="lo-profile-", dir=workdir))
    outdir = workdir / "pdf"
    outdir.mkdir(exist_ok=True)
    command = [
        settings.SOFFICE,
        "--headless",
        "--norestore",
        "--nolockcheck",
        f"-env:UserInstallation={profile.as_uri()}",
        "--convert-to",
        "pdf",
        "--outdir",
        str(outdir),
        str(source),
    ]
    try:
        _run(command, SOFFICE_TIMEOUT_SECONDS, "LibreOffice")
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    produced = outdir / (source.stem + ".pdf")
    if not produced.is_file() or produced.stat().st_size == 0:
        raise ConversionFailed("LibreOffice produced no PDF")
    return produced


def page_images(pdf: Path, outdir: Path, first: int, last: int) -> list[Path]:
    """Pages ``first``..``last`` of ``pdf`` as PNGs, in page order."""
    outdir.mkdir(parents=True, exist_ok=True)
    _run(
        [
            "pdftoppm",
            "-png",
            "-f",
            str(first),
            "-l",
            str(last),
            "-scale-to-x",
            str(PAGE_WIDTH_PX),
            "-scale-to-y",
            "-1",
            str(pdf),
            str(outdir / "p"),
        ],
        PDFTOPPM_TIMEOUT_SECONDS,
        "pdftoppm",
    )
    return sorted(outdir.glob("p-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))


def thumbnail(pdf: Path, outdir: Path) -> Path:
    """The first page, small."""
    _run(
        [
            "pdftoppm",
            "-png",
            "-singlefile",
            "-f",
            "1",
            "-l",
            "1",
            "-scale-to-x",
            str(THUMBNAIL_WIDTH_PX),
            "-scale-to-y",
            "-1",
            str(pdf),
            str(outdir / "thumb"),
        ],
        PDFTOPPM_TIMEOUT_SECONDS,
        "pdftoppm",
    )
    return outdir / "thumb.png"


def _run(command: list[str], timeout: int, what: str) -> None:
    try:
        process = subprocess.Popen(  # noqa: S603 - fixed programs, our own paths
            command,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,
            env={**os.environ, "HOME": str(Path(command[-1]).parent)},
        )
    except OSError as error:
        raise ConversionFailed(f"{what} could not start: {error}") from error
    try:
        _out, error_output = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        raise TimedOut(f"{what} took longer than {timeout} s") from None
    if process.returncode != 0:
        message = error_output.decode("utf-8", "replace").strip()[-300:]
        raise ConversionFailed(f"{what} failed ({process.returncode}): {message}")
