"""A badge image for every course that has none uploaded, distinct per
course: the level by colour and by a word (in the course's language), the
competence area by an icon drawn here, and the course's title, wrapped and
sized to stay legible when the badge is shown at 90 px.

One layout, two renderings: SVG (text and shapes) and PNG (Pillow, with the
font shipped in badges/fonts/; nothing fetched). The icons are lists of
simple shapes, so that both renderings draw the very same thing.
"""

import io
from pathlib import Path
from xml.sax.saxutils import escape

from PIL import Image, ImageDraw, ImageFont

SIZE = 400
CENTRE = SIZE / 2
# Level -> (medal, ribbon, pips). White text on both colours: contrast >= 4.5:1.
LEVELS = {
    "beginner": ("#1f6f43", "#14532d", 1),
    "intermediate": ("#1d4f91", "#123463", 2),
    "advanced": ("#7a2e8e", "#4f1c5c", 3),
}
WHITE = "#ffffff"
# DejaVu Sans Bold, shipped with the app (free licence beside it): Pillow's
# own default font has no accented letters. The SVG names it first, so a
# viewer that has it (most Linux desktops) draws the same widths.
FONT = Path(__file__).resolve().parent / "fonts" / "DejaVuSans-Bold.ttf"
FONT_FAMILY = "'DejaVu Sans', Verdana, Arial, sans-serif"

# The title's box: between the icon and the ribbon, inside the medal.
TITLE_TOP, TITLE_BOTTOM, TITLE_WIDTH = 132, 268, 268
# Largest first; at 90 px the image is shown at 0.225 of its size, so 32 is
# about 7 px there: the smallest we accept. Longer titles are cut with "…".
TITLE_SIZES = (52, 46, 40, 36, 32)
LINE_HEIGHT = 1.14
RIBBON_TOP, RIBBON_BOTTOM = 282, 334
LEVEL_SIZE = 30

# Icons of the five DigComp 2.2 areas, on a 64 x 64 grid, as shapes:
# ("circle", cx, cy, r, fill, stroke_width), ("rect", x0, y0, x1, y1, radius, fill, stroke_width),
# ("polygon", points, fill, stroke_width), ("line", points, width, colour).
# fill: "fg" (white), "bg" (the medal's colour) or None (outline only).
ICONS = {
    # 1 Information and data literacy: a magnifying glass.
    "1": [
        ("line", [(38, 38), (56, 56)], 9, "fg"),
        ("circle", 26, 26, 17, None, 7),
    ],
    # 2 Communication and collaboration: two speech bubbles.
    "2": [
        ("rect", 2, 4, 42, 32, 7, "fg", 0),
        ("polygon", [(10, 30), (10, 42), (22, 30)], "fg", 0),
        ("rect", 22, 22, 62, 50, 7, "bg", 5),
        ("polygon", [(46, 49), (54, 60), (54, 49)], "fg", 0),
    ],
    # 3 Digital content creation: a pencil.
    "3": [
        ("polygon", [(16, 38), (44, 10), (54, 20), (26, 48)], "fg", 0),
        ("polygon", [(47, 7), (51, 3), (61, 13), (57, 17)], "fg", 0),
        ("polygon", [(14, 41), (23, 50), (6, 58)], "fg", 0),
    ],
    # 4 Safety: a shield with a tick.
    "4": [
        ("polygon", [(32, 2), (57, 11), (55, 36), (32, 62), (9, 36), (7, 11)], "fg", 0),
        ("line", [(20, 32), (29, 42), (46, 22)], 7, "bg"),
    ],
    # 5 Problem solving: a light bulb.
    "5": [
        ("circle", 32, 24, 19, "fg", 0),
        ("polygon", [(21, 34), (43, 34), (40, 46), (24, 46)], "fg", 0),
        ("rect", 23, 49, 41, 53, 2, "fg", 0),
        ("rect", 26, 56, 38, 60, 2, "fg", 0),
    ],
}
# A course without a competence: a star.
DEFAULT_ICON = [
    (
        "polygon",
        [
            (32, 2),
            (40, 23),
            (62, 24),
            (45, 38),
            (51, 60),
            (32, 48),
            (13, 60),
            (19, 38),
            (2, 24),
            (24, 23),
        ],
        "fg",
        0,
    )
]
ICON_SIZE, ICON_TOP = 64, 56


def _font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FONT), size)


def _width(text: str, size: int) -> float:
    return _font(size).getlength(text)


def _wrap(words: list[str], size: int) -> list[str]:
    """Greedy wrap to TITLE_WIDTH at ``size``; a word too long alone is cut."""
    lines: list[str] = []
    for word in words:
        while _width(word, size) > TITLE_WIDTH:
            cut = len(word) - 1
            while cut > 1 and _width(word[:cut] + "-", size) > TITLE_WIDTH:
                cut -= 1
            lines.append(word[:cut] + "-")
            word = word[cut:]
        if lines and _width(f"{lines[-1]} {word}", size) <= TITLE_WIDTH:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines


def _max_lines(size: int) -> int:
    return min(3, int((TITLE_BOTTOM - TITLE_TOP) // (size * LINE_HEIGHT)))


def title_layout(title: str) -> tuple[int, list[str]]:
    """(font size, lines): the largest size at which the title fits the box
    without cutting a word; else, with a word too long cut, the fewest lines;
    else, at the smallest size, as many lines as fit, the last ended with "…"."""
    words = title.split() or [""]
    for size in TITLE_SIZES:
        if any(_width(word, size) > TITLE_WIDTH for word in words):
            continue
        lines = _wrap(words, size)
        if len(lines) <= _max_lines(size):
            return size, lines
    cut = [(size, _wrap(words, size)) for size in TITLE_SIZES]
    fitting = [(len(lines), -size, lines) for size, lines in cut if len(lines) <= _max_lines(size)]
    if fitting:
        count, minus_size, lines = min(fitting)
        return -minus_size, lines
    size = TITLE_SIZES[-1]
    lines = _wrap(words, size)[: _max_lines(size)]
    last = lines[-1]
    while last and _width(last + "…", size) > TITLE_WIDTH:
        last = last[:-1].rstrip()
    lines[-1] = last + "…"
    return size, lines


def _baselines(size: int, count: int) -> list[float]:
    """Baselines of ``count`` lines centred in the title box."""
    step = size * LINE_HEIGHT
    middle = (TITLE_TOP + TITLE_BOTTOM) / 2
    first = middle - step * (count - 1) / 2 + size * 0.36  # cap height ~0.72 em
    return [round(first + i * step, 1) for i in range(count)]


def _ribbon_points() -> list[tuple[float, float]]:
    """A banner across the medal, its ends notched."""
    top, bottom, mid = RIBBON_TOP, RIBBON_BOTTOM, (RIBBON_TOP + RIBBON_BOTTOM) / 2
    return [
        (14, top),
        (386, top),
        (370, mid),
        (386, bottom),
        (14, bottom),
        (30, mid),
    ]


def _pips(count: int) -> list[tuple[float, float, float]]:
    """Small discs under the ribbon, one per level step: (cx, cy, r)."""
    gap = 18
    first = CENTRE - gap * (count - 1) / 2
    return [(first + i * gap, 350, 5) for i in range(count)]


def _icon(area: str | None) -> list[tuple]:
    return ICONS.get((area or "").split(".")[0], DEFAULT_ICON)


def _icon_to_svg(shapes: list[tuple], bg: str) -> str:
    colours = {"fg": WHITE, "bg": bg, None: "none"}
    out = []
    for shape in shapes:
        kind = shape[0]
        if kind == "circle":
            _k, cx, cy, r, fill, stroke = shape
            out.append(
                f'<circle cx="{cx}" cy="{cy}" r="{r}" fill="{colours[fill]}"'
                + (f' stroke="{WHITE}" stroke-width="{stroke}"' if stroke else "")
                + "/>"
            )
        elif kind == "rect":
            _k, x0, y0, x1, y1, radius, fill, stroke = shape
            out.append(
                f'<rect x="{x0}" y="{y0}" width="{x1 - x0}" height="{y1 - y0}" rx="{radius}" '
                f'fill="{colours[fill]}"'
                + (f' stroke="{WHITE}" stroke-width="{stroke}"' if stroke else "")
                + "/>"
            )
        elif kind == "polygon":
            _k, points, fill, _stroke = shape
            pts = " ".join(f"{x},{y}" for x, y in points)
            out.append(f'<polygon points="{pts}" fill="{colours[fill]}"/>')
        elif kind == "line":
            _k, points, width, colour = shape
            colour = colours[colour]
            d = "M" + " L".join(f"{x} {y}" for x, y in points)
            out.append(
                f'<path d="{d}" fill="none" stroke="{colour}" stroke-width="{width}" '
                'stroke-linecap="round" stroke-linejoin="round"/>'
            )
    return "".join(out)


def _label(title: str, level_label: str) -> str:
    return f"{title} – {level_label}" if level_label else title


def badge_svg(*, title: str, level: str, level_label: str, area: str | None = None) -> str:
    """The badge as SVG. ``area``: the DigComp area code ("1" to "5") of the
    course's competences, or None."""
    medal, ribbon, pips = LEVELS.get(level, LEVELS["beginner"])
    size, lines = title_layout(title)
    text = "".join(
        f'<text x="{CENTRE:g}" y="{y}" font-size="{size}">{escape(line)}</text>'
        for y, line in zip(_baselines(size, len(lines)), lines, strict=True)
    )
    label = escape(_label(title, level_label), {'"': "&quot;"})
    scale_x = CENTRE - ICON_SIZE / 2
    ribbon_pts = " ".join(f"{x:g},{y:g}" for x, y in _ribbon_points())
    pip_marks = "".join(
        f'<circle cx="{x:g}" cy="{y}" r="{r}" fill="{WHITE}"/>' for x, y, r in _pips(pips)
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{SIZE}" height="{SIZE}" '
        f'viewBox="0 0 {SIZE} {SIZE}" role="img" aria-label="{label}">'
        f"<title>{escape(_label(title, level_label))}</title>"
        f'<circle cx="200" cy="200" r="192" fill="{ribbon}"/>'
        f'<circle cx="200" cy="200" r="174" fill="{medal}" stroke="{WHITE}" stroke-width="6"/>'
        f'<g transform="translate({scale_x:g} {ICON_TOP})">{_icon_to_svg(_icon(area), medal)}</g>'
        f'<g fill="{WHITE}" font-family="{FONT_FAMILY}" font-weight="700" text-anchor="middle">'
        f"{text}</g>"
        f'<polygon points="{ribbon_pts}" fill="{ribbon}" stroke="{WHITE}" stroke-width="4" '
        'stroke-linejoin="round"/>'
        f'<text x="200" y="{RIBBON_BOTTOM - 15}" font-size="{LEVEL_SIZE}" fill="{WHITE}" '
        f'font-family="{FONT_FAMILY}" font-weight="700" text-anchor="middle">'
        f"{escape(level_label)}</text>"
        f"{pip_marks}"
        "</svg>"
    )


# PNG: drawn at twice the size, then scaled down, for smooth edges.
SCALE = 2


def _s(value: float) -> float:
    return value * SCALE


def _draw_icon(draw: ImageDraw.ImageDraw, shapes: list[tuple], bg: str) -> None:
    ox, oy = CENTRE - ICON_SIZE / 2, ICON_TOP
    colours = {"fg": WHITE, "bg": bg, None: None}

    def at(x: float, y: float) -> tuple[float, float]:
        return _s(ox + x), _s(oy + y)

    for shape in shapes:
        kind = shape[0]
        if kind == "circle":
            _k, cx, cy, r, fill, stroke = shape
            (x0, y0), (x1, y1) = at(cx - r, cy - r), at(cx + r, cy + r)
            if stroke:  # the stroke straddles the outline, as in SVG
                h = stroke / 2
                (x0, y0), (x1, y1) = at(cx - r - h, cy - r - h), at(cx + r + h, cy + r + h)
                draw.ellipse(
                    (x0, y0, x1, y1), fill=colours[fill], outline=WHITE, width=int(_s(stroke))
                )
            else:
                draw.ellipse((x0, y0, x1, y1), fill=colours[fill])
        elif kind == "rect":
            _k, x0, y0, x1, y1, radius, fill, stroke = shape
            h = stroke / 2
            box = (*at(x0 - h, y0 - h), *at(x1 + h, y1 + h))
            draw.rounded_rectangle(
                box,
                radius=_s(radius + h),
                fill=colours[fill],
                outline=WHITE if stroke else None,
                width=int(_s(stroke)) if stroke else 0,
            )
        elif kind == "polygon":
            _k, points, fill, _stroke = shape
            draw.polygon([at(x, y) for x, y in points], fill=colours[fill])
        elif kind == "line":
            _k, points, width, colour = shape
            colour = colours[colour]
            w = _s(width)
            pts = [at(x, y) for x, y in points]
            draw.line(pts, fill=colour, width=int(w), joint="curve")
            for x, y in (pts[0], pts[-1]):  # round caps
                draw.ellipse((x - w / 2, y - w / 2, x + w / 2, y + w / 2), fill=colour)


def badge_png(*, title: str, level: str, level_label: str, area: str | None = None) -> bytes:
    """The same badge as ``badge_svg``, as PNG."""
    medal, ribbon, pips = LEVELS.get(level, LEVELS["beginner"])
    big = SIZE * SCALE
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)

    def disc(r: float, **kwargs) -> None:
        draw.ellipse((_s(CENTRE - r), _s(CENTRE - r), _s(CENTRE + r), _s(CENTRE + r)), **kwargs)

    disc(192, fill=ribbon)
    disc(177, fill=WHITE)
    disc(171, fill=medal)
    _draw_icon(draw, _icon(area), medal)
    size, lines = title_layout(title)
    font = _font(int(_s(size)))
    for y, line in zip(_baselines(size, len(lines)), lines, strict=True):
        draw.text((_s(CENTRE), _s(y)), line, font=font, fill=WHITE, anchor="ms")
    ribbon_pts = [(_s(x), _s(y)) for x, y in _ribbon_points()]
    draw.polygon(ribbon_pts, fill=ribbon, outline=WHITE, width=int(_s(4)))
    draw.text(
        (_s(CENTRE), _s(RIBBON_BOTTOM - 15)),
        level_label,
        font=_font(int(_s(LEVEL_SIZE))),
        fill=WHITE,
        anchor="ms",
    )
    for x, y, r in _pips(pips):
        draw.ellipse((_s(x - r), _s(y - r), _s(x + r), _s(y + r)), fill=WHITE)
    image = image.resize((SIZE, SIZE), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
