"""A decent badge image for every course that has none uploaded: the
course's title and level on a medal, as SVG and as PNG (Pillow, with a
font shipped in badges/fonts/, nothing fetched)."""

import io
import textwrap
from pathlib import Path
from xml.sax.saxutils import escape

from PIL import Image, ImageDraw, ImageFont

SIZE = 400
# Level -> (medal colour, ribbon colour); contrast >= 4.5:1 with white text.
COLOURS = {
    "beginner": ("#1f6f43", "#14532d"),
    "intermediate": ("#1d4f91", "#123463"),
    "advanced": ("#7a2e8e", "#4f1c5c"),
}
ISSUER = "Grains numériques"
# DejaVu Sans Bold, shipped with the app (free licence beside it): Pillow's
# own default font has no accented letters.
FONT = Path(__file__).resolve().parent / "fonts" / "DejaVuSans-Bold.ttf"


def _font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FONT), size)


def _lines(title: str) -> list[str]:
    lines = textwrap.wrap(title, width=18, break_long_words=True)[:4]
    if len(textwrap.wrap(title, width=18)) > 4:
        lines[-1] = lines[-1][:16] + "…"
    return lines


def badge_svg(*, title: str, level: str, level_label: str) -> str:
    medal, ribbon = COLOURS.get(level, COLOURS["beginner"])
    lines = _lines(title)
    top = 190 - (len(lines) - 1) * 17
    text = "".join(
        f'<text x="200" y="{top + i * 34}" font-size="28" font-weight="700">{escape(line)}</text>'
        for i, line in enumerate(lines)
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{SIZE}" height="{SIZE}" '
        f'viewBox="0 0 {SIZE} {SIZE}" role="img" aria-label="{escape(title, {chr(34): "&quot;"})}">'
        f"<title>{escape(title)}</title>"
        f'<circle cx="200" cy="200" r="190" fill="{ribbon}"/>'
        f'<circle cx="200" cy="200" r="172" fill="{medal}" stroke="#ffffff" stroke-width="6"/>'
        f'<g fill="#ffffff" font-family="sans-serif" text-anchor="middle">'
        f'<text x="200" y="92" font-size="20">{escape(ISSUER)}</text>'
        f"{text}"
        f'<text x="200" y="318" font-size="24" font-style="italic">{escape(level_label)}</text>'
        f"</g></svg>"
    )


def badge_png(*, title: str, level: str, level_label: str) -> bytes:
    medal, ribbon = COLOURS.get(level, COLOURS["beginner"])
    image = Image.new("RGBA", (SIZE, SIZE), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((10, 10, 390, 390), fill=ribbon)
    draw.ellipse((28, 28, 372, 372), fill=medal, outline="#ffffff", width=6)
    small, big = _font(18), _font(26)
    draw.text((200, 92), ISSUER, font=small, fill="#ffffff", anchor="ms")
    lines = _lines(title)
    top = 190 - (len(lines) - 1) * 17
    for i, line in enumerate(lines):
        draw.text((200, top + i * 34), line, font=big, fill="#ffffff", anchor="ms")
    draw.text((200, 318), level_label, font=_font(22), fill="#ffffff", anchor="ms")
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
