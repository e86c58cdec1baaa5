"""Server-rendered bar charts: inline SVG for pages and PDFs, PNG for DOCX.

Every chart is drawn from ``(label, value)`` pairs; pages show the same pairs
as a data table next to it, and the SVG carries a title and a text
description, so that the figures never exist only as a picture.
"""

from __future__ import annotations

import io
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

BAR = "#00558c"
INK = "#1b1f24"


@dataclass(frozen=True)
class Chart:
    """A bar chart of non-negative values."""

    title: str
    pairs: list[tuple[str, float]]
    unit: str = ""

    @property
    def description(self) -> str:
        """The text alternative: every value in words."""
        if not self.pairs:
            return _("No data.")
        parts = [
            f"{label}: {value:g}{(' ' + self.unit) if self.unit else ''}"
            for label, value in self.pairs
        ]
        return f"{self.title}. " + "; ".join(parts) + "."

    @property
    def chart_id(self) -> str:
        return f"chart-{zlib.crc32(self.title.encode()):08x}"

    @property
    def svg(self) -> SafeString:
        """Horizontal bars; the value is written at the end of each bar."""
        chart_id = self.chart_id
        row, label_width, width = 26, 220, 640
        height = max(row * len(self.pairs), row) + 10
        top = max((value for _label, value in self.pairs), default=0) or 1
        bars = []
        for index, (label, value) in enumerate(self.pairs):
            y = 5 + index * row
            length = (width - label_width - 80) * value / top
            bars.append(
                f'<text x="{label_width - 8}" y="{y + 17}" text-anchor="end" fill="{INK}" '
                f'font-size="13">{escape(label[:32])}</text>'
                f'<rect x="{label_width}" y="{y + 4}" width="{length:.1f}" height="{row - 8}" '
                f'fill="{BAR}"/>'
                f'<text x="{label_width + length + 6:.1f}" y="{y + 17}" fill="{INK}" '
                f'font-size="13">{value:g}</text>'
            )
        return mark_safe(  # noqa: S308 - every label is escaped above
            f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
            f'viewBox="0 0 {width} {height}" aria-labelledby="{chart_id}-t {chart_id}-d" '
            f'direction="ltr"><title id="{chart_id}-t">{escape(self.title)}</title>'
            f'<desc id="{chart_id}-d">{escape(self.description)}</desc>{"".join(bars)}</svg>'
        )

    def png(self) -> bytes:
        """The same chart as a PNG (python-docx embeds raster images only)."""
        from PIL import Image, ImageDraw, ImageFont

        row, label_width, width = 40, 360, 1000
        height = max(row * len(self.pairs), row) + 20
        image = Image.new("RGB", (width, height), "white")
        draw = ImageDraw.Draw(image)
        font = _font(ImageFont, 20)
        top = max((value for _label, value in self.pairs), default=0) or 1
        for index, (label, value) in enumerate(self.pairs):
            y = 10 + index * row
            length = (width - label_width - 120) * value / top
            draw.text((label_width - 12, y + 8), label[:32], fill=INK, font=font, anchor="ra")
            draw.rectangle([label_width, y + 6, label_width + length, y + row - 6], fill=BAR)
            draw.text((label_width + length + 8, y + 8), f"{value:g}", fill=INK, font=font)
        buffer = io.BytesIO()
        image.save(buffer, format="PNG")
        return buffer.getvalue()


_FONTS = [
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf",
]
_ARABIC_FONT = "/usr/share/fonts/truetype/noto/NotoNaskhArabic-Regular.ttf"


def _font(image_font: Any, size: int) -> Any:
    from django.utils import translation

    candidates = ([_ARABIC_FONT] if translation.get_language() == "ar" else []) + _FONTS
    for path in candidates:
        if Path(path).exists():
            return image_font.truetype(path, size)
    return image_font.load_default()
