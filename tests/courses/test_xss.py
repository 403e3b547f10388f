"""XSS corpus for author Markdown (issue #6): whatever an author writes,
``render_markdown`` gives HTML that a browser cannot execute.

The output is parsed with html5lib, the reference implementation of the
WHATWG parsing algorithm, so it is read the way a browser reads it (comments,
raw-text elements, foreign SVG/MathML content and entity decoding included),
not the way a regular expression would. tests/courses/test_markup.py holds
the first, smaller corpus and the rendering rules themselves.
"""

import re

import html5lib
import pytest

from courses.markup import render_markdown

# Elements that run script, load something, submit somewhere or change how the
# rest of the page is read. None may come out of author text.
FORBIDDEN_TAGS = {
    "script",
    "style",
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "applet",
    "form",
    "input",
    "button",
    "textarea",
    "select",
    "isindex",
    "svg",
    "math",
    "meta",
    "link",
    "base",
    "img",
    "video",
    "audio",
    "source",
    "track",
    "template",
    "noscript",
}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "poster", "background", "srcset"}
FORBIDDEN_ATTRIBUTES = {"style", "srcdoc"}
SAFE_SCHEMES = {"http", "https", "mailto"}

# A browser drops tabs and newlines anywhere in a URL and C0 controls and
# spaces around it; dropping every control character and space is stricter.
_IGNORED_IN_URL = re.compile(r"[\x00-\x20\x7f-\x9f\s]")
_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):")


def url_scheme(value: str) -> str | None:
    """The scheme a browser reads in an attribute value the parser has
    already unescaped; None for a relative URL."""
    match = _SCHEME.match(_IGNORED_IN_URL.sub("", value).lower())
    return match.group(1) if match else None


def _local(name: str) -> str:
    """``{namespace}name`` -> ``name`` (SVG, MathML and xlink names)."""
    return name.rsplit("}", 1)[-1].lower()


def executable_parts(output: str) -> list[str]:
    """What in ``output`` could run script or leave for another scheme."""
    fragment = html5lib.parseFragment(output, treebuilder="etree", namespaceHTMLElements=False)
    problems = []
    for element in fragment.iter():
        if not isinstance(element.tag, str):  # a comment
            continue
        tag = _local(element.tag)
        if tag in FORBIDDEN_TAGS:
            problems.append(f"<{tag}> element")
        for raw_name, value in element.attrib.items():
            name = _local(raw_name)
            if name.startswith("on"):
                problems.append(f"{name} handler on <{tag}>")
            if name in FORBIDDEN_ATTRIBUTES:
                problems.append(f"{name} attribute on <{tag}>")
            if name in URL_ATTRIBUTES and url_scheme(value) not in SAFE_SCHEMES | {None}:
                problems.append(f"{name}={value!r} on <{tag}>")
    return problems


def assert_not_executable(source: str) -> None:
    output = render_markdown(source)
    problems = executable_parts(output)
    assert not problems, f"{source!r} -> {output!r}: {problems}"


XSS_CORPUS = {
    # Script elements
    "script": "<script>alert(1)</script>",
    "script-mixed-case": "<ScRiPt>alert(1)</sCrIpT>",
    "script-src": '<script src="https://evil.example/x.js"></script>',
    "script-slash-attribute": "<script/xss src=//evil.example/x.js></script>",
    "script-form-feed": "<script\x0c>alert(1)</script>",
    "script-nested-brackets": "<<script>script>alert(1)<</script>/script>",
    "script-split-by-tag": "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "script-in-markdown-emphasis": "*<script>alert(1)</script>*",
    # Event handlers, on allowed tags and others
    "a-onclick": '<a href="https://example.org" onclick="alert(1)">x</a>',
    "p-onmouseover-unquoted": "<p onmouseover=alert(1)>x</p>",
    "strong-slash-onclick": "<strong/onclick=alert(1)>x</strong>",
    "abbr-onfocus": '<abbr title="x" onfocus="alert(1)" tabindex="1">x</abbr>',
    "table-onpointerenter": "<table onpointerenter=alert(1)><tr><td>x</td></tr></table>",
    "code-uppercase-onclick": '<code ONCLICK="alert(1)">x</code>',
    "a-newline-before-handler": '<a href="https://example.org"\nonclick=alert(1)>x</a>',
    "h1-onclick-shifted": '<h1 onclick="alert(1)">x</h1>',
    "details-ontoggle": "<details open ontoggle=alert(1)>x</details>",
    "marquee-onstart": "<marquee onstart=alert(1)>x</marquee>",
    "input-autofocus-onfocus": "<input autofocus onfocus=alert(1)>",
    "body-onload": "<body onload=alert(1)>",
    "audio-onerror": "<audio src=x onerror=alert(1)>",
    # Attributes breaking out of their quotes
    "a-no-space-before-handler": '<a href="https://example.org/"onmouseover="alert(1)">x</a>',
    "a-title-with-quotes": "<a title='x\" onclick=\"alert(1)'>x</a>",
    "a-backtick-quotes": "<a href=`javascript:alert(1)` onclick=`alert(1)`>x</a>",
    "md-title-breaking-quote": '[x](https://example.org "a\\" onmouseover=\\"alert(1)")',
    "md-url-breaking-quote": '[x](https://example.org/"onmouseover="alert(1))',
    "md-image-alt-breaking-quote": '![x"onerror="alert(1)](https://example.org/a.png)',
    "md-abbr-definition-quote": '*[HTML]: " onmouseover="alert(1)\n\nHTML',
    "md-fenced-code-language": '```"><script>alert(1)</script>\ncode\n```',
    # javascript:, vbscript:, data: in raw links
    "a-javascript": '<a href="javascript:alert(1)">x</a>',
    "a-javascript-uppercase": '<a href="JAVASCRIPT:alert(1)">x</a>',
    "a-javascript-unquoted": "<a href=javascript:alert(1)>x</a>",
    "a-hex-entity": '<a href="&#x6A;avascript:alert(1)">x</a>',
    "a-decimal-entity": '<a href="&#74;avascript:alert(1)">x</a>',
    "a-all-entities-no-semicolon": (
        '<a href="&#106&#97&#118&#97&#115&#99&#114&#105&#112&#116&#58alert(1)">x</a>'
    ),
    "a-padded-entity": '<a href="&#0000106avascript:alert(1)">x</a>',
    "a-colon-entity": '<a href="javascript&#58;alert(1)">x</a>',
    "a-named-colon-entity": '<a href="javascript&colon;alert(1)">x</a>',
    "a-named-tab-entity": '<a href="java&Tab;script:alert(1)">x</a>',
    "a-named-newline-entity": '<a href="java&NewLine;script:alert(1)">x</a>',
    "a-raw-tab": '<a href="java\tscript:alert(1)">x</a>',
    "a-raw-nul": '<a href="java\x00script:alert(1)">x</a>',
    "a-leading-control-char": '<a href="\x01javascript:alert(1)">x</a>',
    "a-leading-whitespace": '<a href=" \t\njavascript:alert(1)">x</a>',
    "a-duplicate-href-javascript-first": (
        '<a href="javascript:alert(1)" href="https://example.org">x</a>'
    ),
    "a-duplicate-href-javascript-second": (
        '<a href="https://example.org" href="javascript:alert(1)">x</a>'
    ),
    "a-vbscript": '<a href="vbscript:msgbox(1)">x</a>',
    "a-vbscript-mixed-case": '<a href="VbScRiPt:msgbox(1)">x</a>',
    "a-data-base64": '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    "a-data-mixed-case": '<a href="DaTa:text/html,<script>alert(1)</script>">x</a>',
    # Images (raw and Markdown)
    "img-javascript": '<img src="javascript:alert(1)">',
    "img-onerror": "<img src=x onerror=alert(1)>",
    "img-entity-encoded-src": (
        "<IMG SRC=&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;"
        "&#58;&#97;&#108;&#101;&#114;&#116;&#40;&#49;&#41;>"
    ),
    "img-data-svg": '<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">',
    "md-image-javascript": "![x](javascript:alert(1))",
    "md-image-mixed-case": "![x](JaVaScRiPt:alert(1))",
    "md-image-entity": "![x](&#106;avascript:alert(1))",
    "md-image-data-svg": "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "md-image-vbscript": "![x](vbscript:msgbox(1))",
    "md-image-reference": "![x][pic]\n\n[pic]: javascript:alert(1)",
    # Markdown links
    "md-link-javascript": "[x](javascript:alert(1))",
    "md-link-padded": "[x](  javascript:alert(1)  )",
    "md-link-colon-entity": "[x](javascript&#58;alert(1))",
    "md-link-hex-entities": "[x](&#x6a;&#x61;&#x76;&#x61;script:alert(1))",
    "md-link-named-tab-entity": "[x](java&Tab;script:alert(1))",
    "md-link-control-char": "[x](\x01javascript:alert(1))",
    "md-link-vbscript": "[x](vbscript:msgbox(1))",
    "md-link-data": "[x](data:text/html,<script>alert(1)</script>)",
    "md-link-angle-brackets": "[x](<javascript:alert(1)>)",
    "md-link-nested-in-image": "[![x](javascript:alert(1))](javascript:alert(2))",
    # Reference-style links
    "md-reference": "[x][a]\n\n[a]: javascript:alert(1)",
    "md-reference-angle-and-title": '[x][a]\n\n[a]: <javascript:alert(1)> "title"',
    "md-reference-shortcut-data": "[x]\n\n[x]: data:text/html,<script>alert(1)</script>",
    "md-reference-entity": "[x][a]\n\n[a]: &#106;avascript:alert(1)",
    "md-reference-uppercase-vbscript": "[x][a]\n\n[a]: VBSCRIPT:msgbox(1)",
    # Autolinks and bare text the linkifier sees
    "autolink-javascript": "<javascript:alert(1)>",
    "autolink-vbscript": "<vbscript:msgbox(1)>",
    "autolink-data": "<data:text/html,alert(1)>",
    "autolink-breaking-quote": '<https://example.org/" onclick="alert(1)>',
    "autolink-email-javascript": "<javascript:alert(1)@example.org>",
    "bare-javascript": "javascript:alert(1)",
    "bare-data-domain": "data:example.com/x",
    "bare-ftp": "ftp://example.org/file",
    "bare-www-breaking-quote": 'www.example.org/"onclick=alert(1)',
    # SVG and MathML
    "svg-onload": "<svg onload=alert(1)>",
    "svg-script": "<svg><script>alert(1)</script></svg>",
    "svg-xlink-href": '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
    "svg-animate-onbegin": "<svg><animate onbegin=alert(1) attributeName=x dur=1s>",
    "math-href": '<math><a href="javascript:alert(1)">x</a></math>',
    # Elements that load, submit or redirect
    "style-element": '<style>*{background:url("javascript:alert(1)")}</style>',
    "style-attribute": '<p style="background:url(javascript:alert(1))">x</p>',
    "iframe-javascript": '<iframe src="javascript:alert(1)"></iframe>',
    "iframe-srcdoc": '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    "object-data": '<object data="data:text/html,<script>alert(1)</script>"></object>',
    "embed": '<embed src="javascript:alert(1)">',
    "form-action": '<form action="javascript:alert(1)"><input type=submit></form>',
    "button-formaction": '<button formaction="javascript:alert(1)">x</button>',
    "isindex-action": "<isindex action=javascript:alert(1) type=submit>",
    "meta-refresh": '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    "base-href": '<base href="javascript:alert(1)//">',
    "link-stylesheet": '<link rel="stylesheet" href="https://evil.example/x.css">',
    # Comments, CDATA and parser-confusion (mutation XSS) tricks
    "comment-abrupt-close": "<!--><script>alert(1)</script>-->",
    "comment-bang-close": "<!-- --!><script>alert(1)</script> -->",
    "comment-conditional": "<!--[if gte IE 4]><script>alert(1)</script><![endif]-->",
    "comment-inside-href": '<a href="https://example.org/<!--">x</a><script>alert(1)</script>-->',
    "cdata": "<![CDATA[><script>alert(1)</script>]]>",
    "processing-instruction": "<? x ><script>alert(1)</script> ?>",
    "noscript-title-break": '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "textarea-raw-text": "<textarea><img src=x onerror=alert(1)></textarea>",
    "title-raw-text": "<title></title><img src=x onerror=alert(1)></title>",
    "xmp-raw-text": "<xmp><img src=x onerror=alert(1)></xmp>",
    "plaintext": "<plaintext><img src=x onerror=alert(1)>",
    "template": "<template><img src=x onerror=alert(1)></template>",
    "inline-code-then-html": "`x` <img src=x onerror=alert(1)> `y`",
}


def test_corpus_has_at_least_forty_payloads():
    assert len(XSS_CORPUS) >= 40


@pytest.mark.parametrize("source", XSS_CORPUS.values(), ids=XSS_CORPUS.keys())
def test_payload_renders_to_nothing_executable(source):
    assert_not_executable(source)


@pytest.mark.parametrize("source", XSS_CORPUS.values(), ids=XSS_CORPUS.keys())
def test_payload_inside_a_list_a_quote_and_a_table_renders_to_nothing_executable(source):
    one_line = source.replace("\n", " ")
    assert_not_executable(
        f"- item\n- {source}\n\n> {source}\n\n| a | b |\n|---|---|\n| {one_line} | x |\n"
    )


def test_whole_corpus_as_one_document_renders_to_nothing_executable():
    """A payload that leaves the parser in a strange state (an unclosed comment
    or raw-text element) must not unlock the next one."""
    assert_not_executable("\n\n".join(XSS_CORPUS.values()))
    assert_not_executable("".join(XSS_CORPUS.values()))


@pytest.mark.parametrize(
    "bad",
    [
        "<script>alert(1)</script>",
        "<svg><circle r=1></circle></svg>",
        '<p onclick="x">a</p>',
        '<a href="jav&#x09;ascript:alert(1)">x</a>',
        '<a href="\x01 JAVASCRIPT:alert(1)">x</a>',
        '<a href="data:text/html,x">x</a>',
        '<a href="vbscript:x">x</a>',
        '<form action="javascript:x"></form>',
        '<p style="color:red">x</p>',
        "<math><mi>x</mi></math>",
    ],
)
def test_checker_finds_what_it_is_meant_to_find(bad):
    """The corpus proves something only if the checker fails on bad HTML."""
    assert executable_parts(bad)


@pytest.mark.parametrize(
    "good",
    [
        '<p><a href="https://example.org/a" rel="noopener">x</a></p>',
        '<a href="/courses/">x</a>',
        '<a href="#part">x</a>',
        '<a href="mailto:equipe@example.org">x</a>',
        '<a href="//example.org/">x</a>',
        "<p>javascript:alert(1) as text</p>",
    ],
)
def test_checker_lets_safe_html_through(good):
    assert executable_parts(good) == []


def test_bare_text_is_linked_only_to_the_web():
    """bleach's linkifier knows data:, ftp:, irc:... Only http(s) may become a link."""
    output = render_markdown("data:example.com/x ftp://example.org/f irc:example.org")

    assert 'href="data:' not in output
    assert 'href="ftp:' not in output
    assert 'href="irc:' not in output
