"""A local HTTP server answering as Zermelo and Somtoday Connect do, from the recordings of
`fixtures.school_systems`, with switches for the failures an import must survive: a token the
system no longer accepts, a paging error and a malformed answer."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from fixtures.school_systems import RecordedSchool, somtoday_answers, zermelo_answers

ZERMELO_CODE = "1234 5678 9012"
ORGANISATION = "3f2c1b0a-9e8d-4c7b-8a69-5f4e3d2c1b0a"
CLIENT_ID, CLIENT_SECRET = "stagebureau", "s3cret-of-the-platform"
PAGE_CAP = 200  # the most rows either system hands out per page, whatever is asked


class RecordedSystems:
    def __init__(self, school: RecordedSchool) -> None:
        self.zermelo, self.somtoday = zermelo_answers(school), somtoday_answers(school)
        self.token = "valid-token"  # the bearer token both systems hand out
        self.accepted = "valid-token"  # ... and accept on reads (change it: a revoked token)
        self.fault: str | None = None  # "paging", "malformed" or "busy" (one 503, then well)
        self.requests: list[str] = []


def _handler(systems: RecordedSystems) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:  # quiet tests
            pass

        def _send(self, status: int, body: Any) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _busy_once(self) -> bool:
            """With the "busy" fault, answer this one request 503 and be well again."""
            if systems.fault != "busy":
                return False
            systems.fault = None
            self._send(503, {"error": "busy, try again"})
            return True

        def do_POST(self) -> None:
            url = urlsplit(self.path)
            query = {k: v[0] for k, v in parse_qs(url.query).items()}
            length = int(self.headers.get("Content-Length", 0))
            form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
            systems.requests.append(f"POST {url.path}")
            if self._busy_once():
                return
            if url.path.endswith("/api/v3/oauth/token"):
                if form.get("grant_type") == "authorization_code" and form.get(
                    "code"
                ) == ZERMELO_CODE.replace(" ", ""):
                    return self._send(
                        200,
                        {
                            "access_token": systems.token,
                            "token_type": "bearer",
                            "expires_in": 57600,
                        },
                    )
                return self._send(
                    400, {"response": {"status": 400, "message": "invalid authorization code"}}
                )
            if url.path == "/somtoday/oauth2/token":
                if (
                    form.get("grant_type"),
                    form.get("client_id"),
                    form.get("client_secret"),
                    query.get("organisation"),
                ) == ("client_credentials", CLIENT_ID, CLIENT_SECRET, ORGANISATION):
                    return self._send(
                        200,
                        {"access_token": systems.token, "token_type": "Bearer", "expires_in": 3600},
                    )
                return self._send(401, {"error": "invalid_client"})
            self._send(404, {"error": "no such endpoint"})

        def do_GET(self) -> None:
            url = urlsplit(self.path)
            query = {k: v[0] for k, v in parse_qs(url.query).items()}
            systems.requests.append(f"GET {url.path}")
            if self._busy_once():
                return
            if self.headers.get("Authorization") != f"Bearer {systems.accepted}":
                if url.path.startswith("/zermelo/"):
                    return self._send(
                        401,
                        {
                            "response": {
                                "status": 401,
                                "message": "Unauthorized",
                                "details": "token not valid",
                            }
                        },
                    )
                return self._send(401, {"errors": [{"code": 401, "problem": "Unauthorized"}]})
            if url.path.startswith("/zermelo/"):
                return self._zermelo(url.path.rsplit("/", 1)[-1], query)
            return self._somtoday(url.path.removeprefix("/somtoday/rest/v1/connect/"), query)

        def _zermelo(self, endpoint: str, query: dict[str, str]) -> None:
            rows = systems.zermelo.get(endpoint)
            if rows is None:
                return self._send(404, {"response": {"status": 404, "message": "not found"}})
            if endpoint == "appointments":
                start, end = int(query["start"]), int(query["end"])
                rows = [r for r in rows if r["start"] < end and r["end"] > start]
            if "fields" in query:
                wanted = query["fields"].split(",")
                rows = [{k: r[k] for k in wanted if k in r} for r in rows]
            first = int(query.get("startRow", 0))
            last = min(int(query.get("endRow", len(rows))), first + PAGE_CAP, len(rows))
            if systems.fault == "paging" and first > 0:
                first = max(0, first - 50)  # the second page overlaps the first
            data: Any = rows[first:last]
            if systems.fault == "malformed" and endpoint == "studentsindepartments":
                data = {"student": "not a list"}
            self._send(
                200,
                {
                    "response": {
                        "status": 200,
                        "message": "",
                        "startRow": first,
                        "endRow": last,
                        "totalRows": len(rows),
                        "data": data,
                    }
                },
            )

        def _somtoday(self, path: str, query: dict[str, str]) -> None:
            parts = path.strip("/").split("/")
            if parts == ["vestiging"]:
                return self._send(200, {"vestigingen": systems.somtoday["vestigingen"]})
            if len(parts) == 5 and parts[2] == "lesgroep" and parts[4] == "rooster":
                weeks = systems.somtoday["roosters"].get(parts[3])
                if weeks is None:
                    return self._send(404, {"errors": [{"code": 404, "problem": "Not found"}]})
                week = int(query.get("weeknummer", datetime.now().isocalendar().week))
                return self._send(
                    200, {"rooster": {"weeknummer": week, "afspraken": weeks.get(week, [])}}
                )
            key = (
                {
                    "leerling": "leerlingen",
                    "stamgroep": "stamgroepen",
                    "lesgroep": "lesgroepen",
                }.get(parts[-1])
                if len(parts) == 3
                else None
            )
            if key is None:
                return self._send(404, {"errors": [{"code": 404, "problem": "Not found"}]})
            records = systems.somtoday[key]
            offset, amount = int(query.get("offset", 0)), min(int(query.get("amount", 100)), 200)
            if systems.fault == "paging" and offset > 0:
                offset -= 10  # the next page repeats the end of the last one
            page: Any = records[offset : offset + amount]
            if systems.fault == "malformed" and key == "leerlingen":
                page = {"leerling": "not a list"}
            self._send(200, {key: page})

    return Handler


@contextmanager
def serving(systems: RecordedSystems) -> Iterator[str]:
    """The server's base URL while the block runs."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(systems))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
