"""render_markdown: author Markdown in, HTML that cannot run script out.

The XSS corpus is checked on the parsed output, not on its text: whatever the
author wrote, the result may hold only allow-listed tags, no ``on*``
attribute, and no link to a scheme other than http(s), mailto or tel.
"""

import re
from html.parser import HTMLParser

import pytest

from courses.markup import ALLOWED_PROTOCOLS, ALLOWED_TAGS, render_markdown

# Written out here rather than imported, so that widening the allow-list in
# courses/markup.py makes a test fail and gets a second look.
SAFE_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "strong", "em", "b", "i", "code", "pre",
    "blockquote", "ul", "ol", "li", "a", "abbr", "table", "thead", "tbody", "tr", "th", "td",
    "kbd", "sup", "sub", "dl", "dt", "dd", "del",
}  # fmt: skip
SAFE_SCHEMES = {"http", "https", "mailto", "tel"}


class _Collector(HTMLParser):
    """Every start tag with its attributes (values unescaped, as a browser
    reads them), and the visible text."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, attrs))

    def handle_startendtag(self, tag, attrs):
        self.elements.append((tag, attrs))

    def handle_data(self, data):
        self.text.append(data)


def _parse(output: str) -> _Collector:
    collector = _Collector()
    collector.feed(output)
    collector.close()
    return collector


# What a browser ignores before and inside a URL's scheme: leading/trailing
# C0 controls and spaces, and tabs/newlines anywhere.
_IGNORED_IN_URL = re.compile(r"[\x00-\x20\x7f]")
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
URL_ATTRIBUTES = {
    "href",
    "src",
    "action",
    "formaction",
    "background",
    "poster",
    "data",
    "xlink:href",
    "srcset",
}


def _scheme(url: str) -> str | None:
    """The scheme a browser reads in an (already unescaped) attribute value."""
    match = _SCHEME.match(_IGNORED_IN_URL.sub("", url))
    return match.group(1).lower() if match else None


def assert_nothing_executable(output: str) -> None:
    for tag, attrs in _parse(output).elements:
        assert tag in SAFE_TAGS, f"<{tag}> is not allow-listed: {output!r}"
        for name, value in attrs:
            assert not name.lower().startswith("on"), f"event handler {name} in {output!r}"
            if name.lower() in URL_ATTRIBUTES and value is not None:
                # The parser has already unescaped the value once, as a browser
                # does; unescaping again would read text the browser never decodes.
                cleaned = _IGNORED_IN_URL.sub("", value).lower()
                assert not cleaned.startswith(("javascript:", "data:", "vbscript:")), output
                # Stronger than the prefix check: a URL either has no scheme
                # (a relative link) or an allow-listed one.
                assert _scheme(value) in SAFE_SCHEMES | {None}, output


XSS_CORPUS = {
    "script": "<script>alert(1)</script>",
    "script-uppercase": "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "script-split": "<scr<script>ipt>alert(1)</script>",
    "img-onerror": "<img src=x onerror=alert(1)>",
    "img-onerror-quoted": '<img src="x" onerror="alert(1)">',
    "body-onload": "<body onload=alert(1)>",
    "p-onclick": "<p onclick=alert(1)>hi</p>",
    "abbr-onclick": '<abbr title="x" onclick="alert(1)">A</abbr>',
    "td-background": '<table><tr><td background="javascript:x" onclick=x>x</td></tr></table>',
    "details-ontoggle": "<details open ontoggle=alert(1)>",
    "svg-onload": "<svg onload=alert(1)>",
    "math-xlink": '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    "style": "<style>body{background:url(javascript:alert(1))}</style>",
    "iframe": "<iframe src=javascript:alert(1)></iframe>",
    "object": '<object data="javascript:alert(1)"></object>',
    "embed": "<embed src=javascript:alert(1)>",
    "video-source-onerror": '<video><source onerror="alert(1)"></video>',
    "form-action": '<form action="javascript:alert(1)"><button>x</button></form>',
    "base-href": '<base href="javascript:alert(1)//">',
    "meta-refresh": '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    "link-stylesheet": "<link rel=stylesheet href=//evil.example/x.css>",
    "noscript-mxss": '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "comment": "<!-- <script>alert(1)</script> -->",
    "cdata": "<![CDATA[<script>alert(1)</script>]]>",
    "md-link-javascript": "[x](javascript:alert(1))",
    "md-link-mixed-case": "[x](JaVaScRiPt:alert(1))",
    "md-link-tab-entity": "[x](jav&#x09;ascript:alert(1))",
    "md-link-decimal-entity": "[x](&#106;avascript:alert(1))",
    "md-link-colon-entity": "[x](javascript&colon;alert(1))",
    # A browser does not percent-decode a scheme: these two stay relative links.
    "md-link-url-encoded-colon": "[x](javascript%3Aalert(1))",
    "md-link-url-encoded-newline": "[x](java%0Ascript:alert(1))",
    "md-link-leading-space": "[x]( javascript:alert(1))",
    "md-link-angle-brackets": "[x](<javascript:alert(1)>)",
    "md-link-quotes": "[x](javascript:alert('1'))",
    "md-link-data": "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "md-link-vbscript": "[x](vbscript:msgbox(1))",
    "md-autolink": "<javascript:alert(1)>",
    "md-image-javascript": "![x](javascript:alert(1))",
    "md-image-onerror": '![x](https://example.org/a.png "x" onerror="alert(1)")',
    "md-reference-link": "[x][evil]\n\n[evil]: javascript:alert(1)",
    "md-reference-link-mixed-case": "[x][evil]\n\n[evil]: JAVASCRIPT:alert(1)",
    "md-attr-list-onclick": '[x](https://example.org){: onclick="alert(1)" }',
    "md-attr-list-href": '[x](https://example.org){: href="javascript:alert(1)" }',
    "md-attr-list-heading": '# Title {: onmouseover="alert(1)" }',
    "md-in-html": '<div markdown="1" onclick="alert(1)">*x*</div>',
    "raw-a-javascript": '<a href="javascript:alert(1)">x</a>',
    "raw-a-tab-entity": '<a href="jav&#x09;ascript:alert(1)">x</a>',
    "raw-a-newline": '<a href="jav\nascript:alert(1)">x</a>',
    "raw-a-decimal-entity": '<a href="&#106;avascript:alert(1)">x</a>',
    "raw-a-entities-without-semicolon": '<a href="&#0000106&#0000097vascript:alert(1)">x</a>',
    "raw-a-leading-space": '<a href=" javascript:alert(1)">x</a>',
    "raw-a-data": '<a href="data:text/html,<script>alert(1)</script>">x</a>',
    "raw-a-vbscript": '<a href="vbscript:msgbox(1)">x</a>',
    "raw-a-onmouseover": '<a href="https://example.org" onmouseover="alert(1)">x</a>',
    "plain-text-javascript-url": "javascript:alert(1)",
}


@pytest.mark.parametrize("source", XSS_CORPUS.values(), ids=XSS_CORPUS.keys())
def test_author_markdown_cannot_produce_executable_html(source):
    assert_nothing_executable(render_markdown(source))


@pytest.mark.parametrize("source", XSS_CORPUS.values(), ids=XSS_CORPUS.keys())
def test_xss_payload_stays_harmless_inside_a_list_and_a_quote(source):
    assert_nothing_executable(render_markdown(f"- item\n- {source}\n\n> {source}\n"))


def test_allow_lists_hold_nothing_beyond_the_reviewed_ones():
    assert ALLOWED_TAGS <= SAFE_TAGS
    assert ALLOWED_PROTOCOLS <= SAFE_SCHEMES


def test_disallowed_tag_is_shown_as_text_for_the_author_to_see():
    output = render_markdown("<script>alert(1)</script>")

    assert "<script" not in output
    assert "".join(_parse(output).text) == "<script>alert(1)</script>"


def test_javascript_link_keeps_its_text_but_loses_its_href():
    output = render_markdown("[click me](javascript:alert(1))")

    assert output == "<p><a>click me</a></p>"


def test_checker_catches_what_it_is_meant_to_catch():
    """The corpus tests are only worth something if the checker fails on bad HTML."""
    for bad in (
        "<script>x</script>",
        '<p onclick="x">a</p>',
        '<a href="jav&#x09;ascript:alert(1)">x</a>',
        '<a href=" JAVASCRIPT:alert(1)">x</a>',
        '<a href="data:text/html,x">x</a>',
    ):
        with pytest.raises(AssertionError):
            assert_nothing_executable(bad)


def test_empty_text_renders_to_empty_string():
    assert render_markdown("") == ""


def test_author_heading_starts_at_second_level():
    output = render_markdown("# Titre\n\n## Partie\n\n### Détail")

    assert output == "<h2>Titre</h2>\n<h3>Partie</h3>\n<h4>Détail</h4>"


def test_headings_never_go_deeper_than_h6():
    output = render_markdown("# 1\n\n## 2\n\n### 3\n\n#### 4\n\n##### 5\n\n###### 6")

    assert output.endswith("<h5>4</h5>\n<h6>5</h6>\n<h6>6</h6>")


def test_the_authors_highest_heading_is_the_second_level_whatever_they_wrote():
    output = render_markdown("## En résumé\n\nTexte.\n\n### Détail")

    assert output == "<h2>En résumé</h2>\n<p>Texte.</p>\n<h3>Détail</h3>"


def test_no_heading_level_is_skipped():
    output = render_markdown("# Titre\n\n#### Trop loin\n\n## Partie\n\n###### Loin")

    assert output == "<h2>Titre</h2>\n<h3>Trop loin</h3>\n<h3>Partie</h3>\n<h4>Loin</h4>"


def test_text_under_a_heading_of_the_page_starts_one_level_lower():
    assert render_markdown("# Titre\n\n## Partie", top_heading=3) == (
        "<h3>Titre</h3>\n<h4>Partie</h4>"
    )


def test_raw_h1_is_shifted_too():
    assert render_markdown("<h1>Titre</h1>") == "<h2>Titre</h2>"


def test_lists_are_rendered():
    output = render_markdown("- un\n- deux\n\n1. premier\n2. second")

    assert (
        output
        == "<ul>\n<li>un</li>\n<li>deux</li>\n</ul>\n<ol>\n<li>premier</li>\n<li>second</li>\n</ol>"
    )


def test_external_link_gets_noopener_noreferrer_nofollow():
    output = render_markdown("[Le site](https://example.org/a)")

    assert (
        output
        == '<p><a href="https://example.org/a" rel="noopener noreferrer nofollow">Le site</a></p>'
    )


def test_bare_url_becomes_an_external_link():
    output = render_markdown("Voir https://example.org maintenant")

    assert (
        '<a href="https://example.org" rel="noopener noreferrer nofollow">https://example.org</a>'
        in output
    )


def test_author_rel_on_external_link_is_replaced():
    output = render_markdown('<a href="http://example.org" rel="opener" target="_blank">x</a>')

    assert output == '<p><a href="http://example.org" rel="noopener noreferrer nofollow">x</a></p>'


@pytest.mark.parametrize("href", ["/courses/", "mailto:equipe@example.org", "tel:+33123456789"])
def test_internal_mail_and_phone_links_are_kept_without_rel(href):
    output = render_markdown(f"[lien]({href})")

    assert output == f'<p><a href="{href}">lien</a></p>'


@pytest.mark.parametrize(
    "source",
    [
        "[x](//evil.example/)",
        "[x](HTTPS://evil.example/)",
        '<a href=" https://evil.example/">x</a>',
    ],
    ids=["protocol-relative", "uppercase-scheme", "leading-space"],
)
def test_every_external_link_gets_rel(source):
    assert 'rel="noopener noreferrer nofollow"' in render_markdown(source)


def test_code_block_shows_html_as_text_escaped_once():
    output = render_markdown("```\n<b>gras</b>\n```")

    assert output == "<pre><code>&lt;b&gt;gras&lt;/b&gt;\n</code></pre>"
    assert "&amp;lt;" not in output
    assert "<b>" not in output
    assert "".join(_parse(output).text) == "<b>gras</b>\n"


def test_indented_code_and_inline_code_show_html_as_text():
    output = render_markdown("Balise `<b>` :\n\n    <b>gras</b>")

    assert "<code>&lt;b&gt;</code>" in output
    assert "<pre><code>&lt;b&gt;gras&lt;/b&gt;\n</code></pre>" in output
    assert "&amp;" not in output


def test_ampersand_in_text_is_escaped_once():
    assert render_markdown("Tom & Jerry, a &amp; b") == "<p>Tom &amp; Jerry, a &amp; b</p>"


def test_table_and_emphasis_are_kept():
    output = render_markdown("**gras** *italique*\n\n| a | b |\n|---|---|\n| 1 | 2 |")

    assert "<strong>gras</strong> <em>italique</em>" in output
    assert "<table>" in output and "<td>1</td>" in output
    assert_nothing_executable(output)


@pytest.mark.parametrize(
    "source",
    ["![Un schéma](https://example.org/schema.png)", "Texte[^1]\n\n[^1]: Une note."],
    ids=["image", "footnote"],
)
def test_markdown_extra_features_do_not_leak_tag_text(source):
    assert "&lt;" not in render_markdown(source)
