"""Video URLs from allow-listed hosts, turned into players by the app.

Authors give a page URL (a YouTube, Vimeo or PeerTube link); the app derives
the embed URL itself. No author-supplied HTML ever reaches the page, and the
player only loads when the learner asks for it.
"""

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
_VIMEO_ID = re.compile(r"^\d{4,12}$")
_PEERTUBE_ID = re.compile(r"^[A-Za-z0-9-]{8,40}$")


@dataclass(frozen=True)
class VideoSource:
    provider: str
    video_id: str
    embed_url: str
    watch_url: str


def parse_video_url(url: str) -> VideoSource | None:
    """Return the player for an allow-listed URL, or None for any other URL."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme != "https" or not parts.hostname:
        return None
    host = parts.hostname.lower()
    path = [p for p in parts.path.split("/") if p]

    if host in (
        "www.youtube.com",
        "youtube.com",
        "m.youtube.com",
        "www.youtube-nocookie.com",
        "youtu.be",
    ):
        video_id = None
        if host == "youtu.be" and path:
            video_id = path[0]
        elif path[:1] == ["watch"]:
            video_id = parse_qs(parts.query).get("v", [None])[0]
        elif len(path) >= 2 and path[0] in ("embed", "shorts", "live", "v"):
            video_id = path[1]
        if video_id and _YOUTUBE_ID.fullmatch(video_id):
            return VideoSource(
                "youtube",
                video_id,
                f"https://www.youtube-nocookie.com/embed/{video_id}?rel=0",
                f"https://www.youtube.com/watch?v={video_id}",
            )
        return None

    if host in ("vimeo.com", "www.vimeo.com", "player.vimeo.com"):
        candidates = [p for p in path if _VIMEO_ID.fullmatch(p)]
        if candidates:
            video_id = candidates[0]
            return VideoSource(
                "vimeo",
                video_id,
                f"https://player.vimeo.com/video/{video_id}?dnt=1",
                f"https://vimeo.com/{video_id}",
            )
        return None

    if host in {h.lower() for h in settings.PEERTUBE_HOSTS}:
        # /w/<id>, /videos/watch/<uuid>, /videos/embed/<uuid>
        video_id = None
        if len(path) == 2 and path[0] == "w":
            video_id = path[1]
        elif len(path) == 3 and path[0] == "videos" and path[1] in ("watch", "embed"):
            video_id = path[2]
        if video_id and _PEERTUBE_ID.fullmatch(video_id):
            return VideoSource(
                "peertube",
                video_id,
                f"https://{host}/videos/embed/{video_id}",
                f"https://{host}/w/{video_id}",
            )
    return None


def validate_video_url(url: str) -> None:
    if url and parse_video_url(url) is None:
        raise ValidationError(
            _("Give a YouTube, Vimeo or allowed PeerTube video link (https)."),
            code="video_host",
        )
