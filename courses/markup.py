"""The one place where Markdown becomes HTML.

Everything an author writes (fiches, transcripts, descriptions, quiz prompts,
explanations, feedback) goes through ``render_markdown``: Markdown first, then
bleach with an allow-list, so that no author text can run script in a
learner's browser. Raw HTML outside the allow-list is shown as text, not
trusted; allowed tags (``<b>``, ``<em>``...) render as Markdown would.

Images are not embedded: nothing loads from another site, and a learner on a
slow link chooses whether to open one. ``![alt](url)`` becomes a link to the
image labelled with its alternative text.
"""

import functools
import re

import bleach
import markdown
from bleach.linkifier import Linker, build_url_re
from markdown.extensions import Extension
from markdown.inlinepatterns import (
    IMAGE_LINK_RE,
    IMAGE_REFERENCE_RE,
    ImageInlineProcessor,
    ImageReferenceInlineProcessor,
)

ALLOWED_TAGS = frozenset(
    {
        "p",
        "br",
        "hr",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "strong",
        "em",
        "b",
        "i",
        "code",
        "pre",
        "blockquote",
        "ul",
        "ol",
        "li",
        "a",
        "abbr",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "kbd",
        "sup",
        "sub",
        "dl",
        "dt",
        "dd",
        "del",
    }
)
ALLOWED_ATTRIBUTES = {
    "a": ["href", "title", "rel"],
    "abbr": ["title"],
    "th": ["align"],
    "td": ["align"],
    "ol": ["start"],
}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto", "tel"})


def _external_links(attrs, new=False):
    """Links leaving the site open normally but tell nothing of where from."""
    href = attrs.get((None, "href"), "").strip().lower()
    if new and not href.startswith(("http://", "https://")):
        # Bare text becomes a link only to the web; the cleaner has already
        # vetted every link the author wrote.
        return None
    if href.startswith(("http://", "https://", "//")):
        attrs[(None, "rel")] = "noopener noreferrer nofollow"
    return attrs


_cleaner = bleach.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    protocols=ALLOWED_PROTOCOLS,
    # Disallowed tags are shown as text, not silently dropped: the author sees them.
    strip=False,
    strip_comments=True,
)


def _image_as_link(el):
    if el is not None and el.tag == "img":
        el.tag = "a"
        el.set("href", el.attrib.pop("src", ""))
        el.text = el.attrib.pop("alt", "") or el.get("href")
    return el


class _ImageLink(ImageInlineProcessor):
    def handleMatch(self, m, data):
        el, start, end = super().handleMatch(m, data)
        return _image_as_link(el), start, end


class _ImageReferenceLink(ImageReferenceInlineProcessor):
    def makeTag(self, href, title, text):
        return _image_as_link(super().makeTag(href, title, text))


class _ImagesAsLinks(Extension):
    def extendMarkdown(self, md):
        md.inlinePatterns.register(_ImageLink(IMAGE_LINK_RE, md), "image_link", 150)
        md.inlinePatterns.register(
            _ImageReferenceLink(IMAGE_REFERENCE_RE, md), "image_reference", 140
        )


# Markdown "extra" without footnotes (their markup is not allow-listed),
# attr_list and md_in_html (authors do not style or nest raw HTML).
_EXTENSIONS = [
    "abbr",
    "def_list",
    "fenced_code",
    "tables",
    "sane_lists",
    "smarty",
    _ImagesAsLinks(),
]

# No skip_tags: bleach double-escapes entities inside skipped tags.
# Bare text is linked only for http(s): bleach's default list also turns
# "data:", "ftp:", "irc:"... into links, after the cleaner has run, which would
# bypass ALLOWED_PROTOCOLS (tests/courses/test_xss.py).
_linker = Linker(
    callbacks=[_external_links], url_re=build_url_re(protocols=frozenset({"http", "https"}))
)


def render_markdown(text: str, *, top_heading: int = 2) -> str:
    """Render author Markdown to sanitised HTML. Headings start at h2 (the
    page has its own h1), or at ``top_heading`` for text shown under a
    heading of the page. A pure function of its arguments: texts of a usual
    size are remembered (the same fiche is rendered again by every save, load
    and preview), long ones rendered each time to bound the memory."""
    if not text:
        return ""
    if len(text) > _REMEMBERED_MAX:
        return _render(text, top_heading)
    return _render_remembered(text, top_heading)


_REMEMBERED_MAX = 20_000  # characters: 512 of them are ~20 MB at most


def _render(text: str, top_heading: int) -> str:
    html = markdown.markdown(
        text,
        extensions=_EXTENSIONS,
        output_format="html",
    )
    html = _shift_headings(html, top_heading)
    return _linker.linkify(_cleaner.clean(html))


_render_remembered = functools.lru_cache(maxsize=512)(_render)


_HEADING_TAG = re.compile(r"<(/?)h([1-6])(?=[\s>])", re.IGNORECASE)


def _shift_headings(html: str, top: int = 2) -> str:
    """The author's highest heading becomes the page's level ``top`` (h2 under
    the page's h1), whether they wrote '#' or '##'; a heading never goes more
    than one level below the one before it, nor below h6. Screen reader users
    move through a page by its headings: a skipped level reads as a missing
    section (RGAA 9.1, WCAG 1.3.1)."""
    levels = [int(m.group(2)) for m in _HEADING_TAG.finditer(html) if not m.group(1)]
    if not levels:
        return html
    shift = top - min(levels)
    previous = top - 1
    current = top

    def replace(match: re.Match) -> str:
        nonlocal previous, current
        if not match.group(1):  # an opening tag; headings do not nest
            current = min(int(match.group(2)) + shift, previous + 1, 6)
            previous = current
        return f"<{match.group(1)}h{current}"

    return _HEADING_TAG.sub(replace, html)
