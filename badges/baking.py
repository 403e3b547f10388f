"""Baking: the assertion carried inside the badge image itself, as the Open
Badges 2.0 baking specification says.

- PNG: one ``iTXt`` chunk, keyword ``openbadges``, uncompressed, holding the
  assertion JSON, placed just before ``IEND``; an existing one is replaced.
- SVG: an ``openbadges:assertion`` element (namespace
  ``http://openbadges.org``) right after the root ``<svg>`` tag, with a
  ``verify`` attribute (the assertion URL) and the JSON in CDATA.
"""

import struct
import zlib

import defusedxml.ElementTree as SafeET

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
KEYWORD = b"openbadges"
OB_NAMESPACE = "http://openbadges.org"


class BakingError(ValueError):
    """The image is not a PNG or SVG we can bake or read."""


def _chunks(png: bytes):
    if not png.startswith(PNG_SIGNATURE):
        raise BakingError("not a PNG file")
    offset = len(PNG_SIGNATURE)
    while offset + 8 <= len(png):
        (length,) = struct.unpack(">I", png[offset : offset + 4])
        kind = png[offset + 4 : offset + 8]
        end = offset + 12 + length
        if end > len(png):
            raise BakingError("truncated PNG chunk")
        yield kind, png[offset + 8 : offset + 8 + length], png[offset:end]
        offset = end
        if kind == b"IEND":
            return
    raise BakingError("PNG without IEND")


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _is_openbadges_itxt(kind: bytes, data: bytes) -> bool:
    return kind == b"iTXt" and data.split(b"\0", 1)[0] == KEYWORD


def bake_png(png: bytes, assertion_json: str) -> bytes:
    # keyword \0 compression-flag compression-method language \0 translated-keyword \0 text
    itxt = _chunk(b"iTXt", KEYWORD + b"\0\0\0" + b"\0" + b"\0" + assertion_json.encode("utf-8"))
    out = [PNG_SIGNATURE]
    for kind, data, raw in _chunks(png):
        if _is_openbadges_itxt(kind, data):
            continue
        if kind == b"IEND":
            out.append(itxt)
        out.append(raw)
    return b"".join(out)


def unbake_png(png: bytes) -> str | None:
    for kind, data, _raw in _chunks(png):
        if _is_openbadges_itxt(kind, data):
            rest = data[len(KEYWORD) + 1 :]
            compressed, _method = rest[0], rest[1]
            _language, _translated, text = rest[2:].split(b"\0", 2)
            return (zlib.decompress(text) if compressed else text).decode("utf-8")
    return None


def bake_svg(svg: str, assertion_json: str, verify_url: str) -> str:
    start = svg.find("<svg")
    close = svg.find(">", start)
    if start < 0 or close < 0:
        raise BakingError("not an SVG file")
    tag = svg[start:close]
    if "xmlns:openbadges" not in tag:
        tag += f' xmlns:openbadges="{OB_NAMESPACE}"'
    safe_json = assertion_json.replace("]]>", "]]]]><![CDATA[>")
    element = (
        f'<openbadges:assertion verify="{_attr(verify_url)}">'
        f"<![CDATA[{safe_json}]]></openbadges:assertion>"
    )
    return svg[:start] + tag + ">" + element + svg[close + 1 :]


def _attr(value: str) -> str:
    return value.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")


def unbake_svg(svg: str) -> tuple[str, str] | None:
    """(assertion JSON, verify URL) from a baked SVG, or None."""
    try:
        root = SafeET.fromstring(svg)
    except SafeET.ParseError as exc:
        raise BakingError("not an SVG file") from exc
    element = root.find(f"{{{OB_NAMESPACE}}}assertion")
    if element is None:
        return None
    return element.text or "", element.get("verify", "")
