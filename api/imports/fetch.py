"""Fetching a timetable feed a school linked, without letting the link reach inside the server.

A school types the address, so the server must not become its proxy into the server's own
network (SSRF): only http(s) (a `webcal://` link, as Zermelo and Magister hand out, is its
https address), every address the host name resolves to must be a public one (no loopback,
private, link-local or reserved ranges), every redirect is checked again, and the answer is cut
off past a size and a time limit. Tests serve feeds from 127.0.0.1 and allow private hosts
through the setting `import_allow_private_hosts`.
"""

from __future__ import annotations

import ipaddress
import socket
import urllib.error
import urllib.request
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from api.imports.errors import CodedError


class FeedRefused(CodedError):
    """The link may not be fetched, or fetching it failed: the message says why."""


def feed_address(url: str) -> str:
    """The http(s) address of a link; `webcal://` is read as https."""
    parts = urlsplit(url.strip())
    scheme = "https" if parts.scheme.lower() in ("webcal", "webcals") else parts.scheme.lower()
    if scheme not in ("http", "https") or not parts.hostname:
        raise FeedRefused(
            "only http(s) or webcal links to a calendar are read", code="import.link_scheme"
        )
    return urlunsplit((scheme, parts.netloc, parts.path, parts.query, ""))


def check_host(url: str, allow_private: bool) -> None:
    """Refuse a link whose host is, or resolves to, a non-public address."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    try:
        found = socket.getaddrinfo(host, parts.port or 443, proto=socket.IPPROTO_TCP)
    except OSError as error:
        raise FeedRefused(
            f"host {host!r} not found: {error}",
            code="import.host_unknown",
            params={"host": host, "error": str(error)},
        ) from None
    if allow_private:
        return
    for *_, address in found:
        ip = ipaddress.ip_address(address[0])
        if not ip.is_global or ip.is_multicast:
            raise FeedRefused(
                f"host {host!r} is not on the public internet ({ip})",
                code="import.host_private",
                params={"host": host, "address": str(ip)},
            )


class _CheckedRedirects(urllib.request.HTTPRedirectHandler):
    def __init__(self, allow_private: bool) -> None:
        self.allow_private = allow_private

    def redirect_request(
        self, req: Any, fp: Any, code: int, msg: str, headers: Any, newurl: str
    ) -> urllib.request.Request | None:
        target = feed_address(newurl)
        check_host(target, self.allow_private)
        return super().redirect_request(req, fp, code, msg, headers, target)


def fetch_feed(url: str, *, max_bytes: int, timeout_s: float, allow_private: bool) -> bytes:
    """The body of a feed, refused past `max_bytes` or `timeout_s` (per network wait)."""
    address = feed_address(url)
    check_host(address, allow_private)
    opener = urllib.request.build_opener(_CheckedRedirects(allow_private))
    request = urllib.request.Request(
        address, headers={"User-Agent": "stagebureau timetable import", "Accept": "text/calendar"}
    )
    try:
        with opener.open(request, timeout=timeout_s) as answer:
            body: bytes = answer.read(max_bytes + 1)
    except urllib.error.HTTPError as error:
        raise FeedRefused(
            f"the calendar server answered {error.code} {error.reason}",
            code="import.feed_status",
            params={"status": error.code, "reason": str(error.reason)},
        ) from None
    except (urllib.error.URLError, OSError) as error:
        raise FeedRefused(
            f"the calendar could not be fetched: {error}",
            code="import.feed_unreachable",
            params={"error": str(error)},
        ) from None
    if len(body) > max_bytes:
        raise FeedRefused(
            f"the calendar is larger than {max_bytes // (1024 * 1024)} MB",
            code="import.feed_too_large",
            params={"mb": max_bytes // (1024 * 1024)},
        )
    return body
