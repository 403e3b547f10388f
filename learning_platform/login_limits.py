"""Failed logins limited per account and per client address (issue #6).

Failures are counted in the Django cache, which every app process shares
(Redis when REDIS_URL is set), in fixed windows: once an account has had
LOGIN_FAILURE_LIMIT_PER_ACCOUNT failures, or an address
LOGIN_FAILURE_LIMIT_PER_ADDRESS, within LOGIN_FAILURE_WINDOW_SECONDS, further
attempts for that account or from that address are refused, without the
password being checked, until the window ends. Other accounts logging in from
other addresses are not affected.

Usernames are counted whether or not the account exists, so that the refusal
tells nothing about who has an account. A successful login clears the
account's count, never the address's: a guesser with one valid account of
their own must not be able to reset the count of the address they guess from.

Why not django-axes: it has one failure limit for every parameter (here the
account and the address have different ones), its cache handler counts with a
get-then-set that concurrent processes can undercount, and a successful login
clears the address's count too.
"""

import hashlib
import ipaddress
import math

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

_PREFIX = "login-failures"


def client_address(request: HttpRequest | None) -> str:
    """The client's IP address: REMOTE_ADDR or, behind TRUSTED_PROXY_COUNT
    proxies, the address the outermost of them saw (the entry they appended
    to X-Forwarded-For; entries before it are the client's to invent)."""
    if request is None:
        return ""
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()[:32]


def _account_key(username: str) -> str:
    # Case-folded: "Alice" and "alice" share one count.
    return f"{_PREFIX}:account:{_digest(username.strip().casefold())}"


def _address_key(address: str) -> str:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        network = address
    else:
        # One IPv6 subscriber gets a whole /64: count the /64, not each address.
        prefix = 64 if ip.version == 6 and ip.ipv4_mapped is None else ip.max_prefixlen
        network = str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False))
    return f"{_PREFIX}:address:{_digest(network)}"


def window_minutes() -> int:
    return math.ceil(settings.LOGIN_FAILURE_WINDOW_SECONDS / 60)


def login_refused(*, username: str, address: str) -> bool:
    """Whether an attempt for ``username`` from ``address`` is refused unchecked."""
    account_key, address_key = _account_key(username), _address_key(address)
    counts = cache.get_many([account_key, address_key])
    return (
        counts.get(account_key, 0) >= settings.LOGIN_FAILURE_LIMIT_PER_ACCOUNT
        or counts.get(address_key, 0) >= settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS
    )


def login_failure_record(*, username: str, address: str) -> None:
    """Count one failed login for the account and for the address."""
    for key in (_account_key(username), _address_key(address)):
        _increment(key)


def login_failures_clear(*, username: str) -> None:
    """Forget the account's failures (a successful login, a password reset)."""
    cache.delete(_account_key(username))


def _increment(key: str) -> None:
    # add() opens the window only when none is running; incr() is atomic on
    # Redis and in local memory and keeps the window's expiry.
    window = settings.LOGIN_FAILURE_WINDOW_SECONDS
    cache.add(key, 0, timeout=window)
    try:
        cache.incr(key)
    except ValueError:  # the window closed between the two calls
        cache.set(key, 1, timeout=window)
