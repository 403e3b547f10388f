"""Video links: only https pages of YouTube, Vimeo and listed PeerTube hosts
become players, and the app builds the embed URL itself."""

import pytest
from django.core.exceptions import ValidationError

from courses.video import parse_video_url, validate_video_url

YOUTUBE_ID = "dQw4w9WgXcQ"
PEERTUBE_UUID = "9c9de5e8-0a1e-484a-b099-e80766180a6d"


@pytest.fixture(autouse=True)
def _peertube_hosts(settings):
    settings.PEERTUBE_HOSTS = ["tube.example.org", "Videos.Example.NET"]


@pytest.mark.parametrize(
    "url",
    [
        f"https://www.youtube.com/watch?v={YOUTUBE_ID}",
        f"https://youtube.com/watch?v={YOUTUBE_ID}",
        f"https://m.youtube.com/watch?v={YOUTUBE_ID}",
        f"https://www.youtube.com/watch?feature=share&v={YOUTUBE_ID}",
        f"https://youtu.be/{YOUTUBE_ID}",
        f"https://youtu.be/{YOUTUBE_ID}?t=42",
        f"https://www.youtube.com/shorts/{YOUTUBE_ID}",
        f"https://www.youtube.com/embed/{YOUTUBE_ID}",
        f"https://www.youtube-nocookie.com/embed/{YOUTUBE_ID}",
        f"https://www.youtube.com/live/{YOUTUBE_ID}",
        f"  https://www.youtube.com/watch?v={YOUTUBE_ID}  ",
    ],
)
def test_youtube_page_becomes_a_nocookie_player(url):
    source = parse_video_url(url)

    assert source is not None
    assert source.provider == "youtube"
    assert source.video_id == YOUTUBE_ID
    assert source.embed_url == f"https://www.youtube-nocookie.com/embed/{YOUTUBE_ID}?rel=0"
    assert source.watch_url == f"https://www.youtube.com/watch?v={YOUTUBE_ID}"


@pytest.mark.parametrize(
    "url",
    [
        "https://vimeo.com/123456",
        "https://www.vimeo.com/123456",
        "https://player.vimeo.com/video/123456",
        "https://vimeo.com/channels/staffpicks/123456",
    ],
)
def test_vimeo_page_becomes_a_do_not_track_player(url):
    source = parse_video_url(url)

    assert source is not None
    assert source.provider == "vimeo"
    assert source.video_id == "123456"
    assert source.embed_url == "https://player.vimeo.com/video/123456?dnt=1"
    assert source.watch_url == "https://vimeo.com/123456"


@pytest.mark.parametrize(
    "url, video_id",
    [
        ("https://tube.example.org/w/kkGMgK9ZtnKfYAgnEtQxbv", "kkGMgK9ZtnKfYAgnEtQxbv"),
        (f"https://tube.example.org/videos/watch/{PEERTUBE_UUID}", PEERTUBE_UUID),
        (f"https://tube.example.org/videos/embed/{PEERTUBE_UUID}", PEERTUBE_UUID),
        (f"https://TUBE.example.org/w/{PEERTUBE_UUID}", PEERTUBE_UUID),
    ],
)
def test_peertube_page_on_a_listed_host_becomes_a_player_on_that_host(url, video_id):
    source = parse_video_url(url)

    assert source is not None
    assert source.provider == "peertube"
    assert source.video_id == video_id
    assert source.embed_url == f"https://tube.example.org/videos/embed/{video_id}"
    assert source.watch_url == f"https://tube.example.org/w/{video_id}"


def test_listed_peertube_host_is_compared_ignoring_case():
    source = parse_video_url(f"https://videos.example.net/w/{PEERTUBE_UUID}")

    assert source is not None
    assert source.embed_url == f"https://videos.example.net/videos/embed/{PEERTUBE_UUID}"


def test_peertube_host_follows_the_setting(settings):
    url = f"https://framatube.org/w/{PEERTUBE_UUID}"
    assert parse_video_url(url) is None

    settings.PEERTUBE_HOSTS = ["framatube.org"]

    assert parse_video_url(url).provider == "peertube"


REFUSED = {
    "http-youtube": f"http://www.youtube.com/watch?v={YOUTUBE_ID}",
    "http-vimeo": "http://vimeo.com/123456",
    "http-peertube": f"http://tube.example.org/w/{PEERTUBE_UUID}",
    "no-scheme": f"www.youtube.com/watch?v={YOUTUBE_ID}",
    "protocol-relative": f"//www.youtube.com/watch?v={YOUTUBE_ID}",
    "ftp": f"ftp://www.youtube.com/watch?v={YOUTUBE_ID}",
    "javascript": "javascript:alert(1)",
    "javascript-with-host-text": f"javascript://www.youtube.com/%0Aalert(1)//watch?v={YOUTUBE_ID}",
    "data": "data:text/html,<script>alert(1)</script>",
    "other-host": f"https://dailymotion.com/video/{YOUTUBE_ID}",
    "lookalike-suffix": f"https://youtube.com.evil.org/watch?v={YOUTUBE_ID}",
    "lookalike-prefix": f"https://evilyoutube.com/watch?v={YOUTUBE_ID}",
    "lookalike-subdomain": f"https://evil.youtube.com/watch?v={YOUTUBE_ID}",
    "lookalike-youtu-be": f"https://youtu.be.evil.org/{YOUTUBE_ID}",
    "lookalike-vimeo": "https://vimeo.com.evil.org/123456",
    "userinfo-trick": f"https://www.youtube.com@evil.org/watch?v={YOUTUBE_ID}",
    "host-in-path": f"https://evil.org/www.youtube.com/watch?v={YOUTUBE_ID}",
    "trailing-dot": f"https://youtube.com./watch?v={YOUTUBE_ID}",
    "youtube-id-too-short": "https://www.youtube.com/watch?v=dQw4w9WgXc",
    "youtube-id-too-long": "https://www.youtube.com/watch?v=dQw4w9WgXcQQ",
    "youtube-id-bad-chars": "https://www.youtube.com/watch?v=dQw4w9<XcQ>",
    "youtube-id-html": "https://youtu.be/%22onload%3Dx",
    "youtube-no-id": "https://www.youtube.com/watch",
    "youtube-home": "https://www.youtube.com/",
    "youtube-channel": "https://www.youtube.com/@somechannel",
    "youtu-be-empty": "https://youtu.be/",
    "vimeo-id-letters": "https://vimeo.com/abcdef",
    "vimeo-id-too-short": "https://vimeo.com/123",
    "vimeo-home": "https://vimeo.com/",
    "peertube-host-not-listed": f"https://peertube.evil.org/w/{PEERTUBE_UUID}",
    "peertube-lookalike-host": f"https://tube.example.org.evil.org/w/{PEERTUBE_UUID}",
    "peertube-id-too-short": "https://tube.example.org/w/abc",
    "peertube-id-bad-chars": "https://tube.example.org/w/abc$def%20ghi",
    "peertube-other-path": f"https://tube.example.org/c/channel/{PEERTUBE_UUID}",
    "peertube-extra-segment": f"https://tube.example.org/w/{PEERTUBE_UUID}/extra",
    "empty": "",
    "spaces": "   ",
    "malformed-ipv6": "https://[::1/watch",
}


@pytest.mark.parametrize("url", REFUSED.values(), ids=REFUSED.keys())
def test_url_outside_the_allow_list_gets_no_player(url):
    assert parse_video_url(url) is None


REFUSED_NOT_EMPTY = {name: url for name, url in REFUSED.items() if url.strip()}


@pytest.mark.parametrize("url", REFUSED_NOT_EMPTY.values(), ids=REFUSED_NOT_EMPTY.keys())
def test_validate_video_url_refuses_url_outside_the_allow_list(url):
    with pytest.raises(ValidationError) as excinfo:
        validate_video_url(url)

    assert excinfo.value.code == "video_host"


@pytest.mark.parametrize(
    "url",
    [
        f"https://youtu.be/{YOUTUBE_ID}",
        "https://vimeo.com/123456",
        f"https://tube.example.org/w/{PEERTUBE_UUID}",
    ],
)
def test_validate_video_url_accepts_allowed_urls(url):
    assert validate_video_url(url) is None


def test_validate_video_url_accepts_an_empty_link():
    """An uploaded video file may stand in for the link."""
    assert validate_video_url("") is None


def test_youtube_id_with_trailing_encoded_newline_is_refused():
    assert parse_video_url(f"https://www.youtube.com/watch?v={YOUTUBE_ID}%0A") is None
