"""QR codes drawn by the app (segno), as inline SVG: no image service, no
file. A phone's camera opens the link; the text beside it says the same."""

from functools import lru_cache

import segno
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe


@lru_cache(maxsize=256)  # a pure function of its text: a cohort page draws the same code each time
def qr_svg(data: str, *, label: str) -> SafeString:
    """An accessible SVG of ``data`` (error correction M: a printed sheet
    survives a fold or a stain), sized by CSS (class ``qr``)."""
    svg = segno.make(data, error="m").svg_inline(
        scale=4, border=4, omitsize=True, svgclass="qr", lineclass="qr-line"
    )
    # segno writes a bare <svg ...>: give it a role and a name.
    svg = svg.replace("<svg ", f'<svg role="img" aria-label="{escape(label)}" ', 1)
    return mark_safe(svg)
