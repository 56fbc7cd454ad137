"""`stagebureau admin` makes regions and users; `stagebureau serve` answers over HTTP."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from api.cli import main


def test_admin_creates_region_and_bureau_user_who_can_log_in(tmp_path, monkeypatch, capsys):
    url = f"sqlite:///{tmp_path / 'admin.db'}"
    monkeypatch.setenv("STAGEBUREAU_PASSWORD", "a long password")
    assert (
        main(["admin", "--database", url, "create-region", "Twente", "--plan-budget", "5e5"]) == 0
    )
    assert main(["admin", "--database", url, "create-user", "b@twente.nl", "--role", "bureau",
                 "--region", "Twente"]) == 0  # fmt: skip
    assert main(["admin", "--database", url, "create-region", "Twente"]) == 2
    assert main(["admin", "--database", url, "create-user", "s@twente.nl", "--role", "school",
                 "--region", "Twente", "--school", "NOPE"]) == 2  # fmt: skip
    assert main(["admin", "--database", url, "create-user", "x@twente.nl", "--role", "bureau",
                 "--region", "Twente (demo)"]) == 2  # fmt: skip
    err = capsys.readouterr().err
    assert "exists already" in err and "needs --school" in err
    assert "no region 'Twente (demo)'; the regions are: 'Twente'" in err


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_answers_with_the_openapi_document(tmp_path):
    port = free_port()
    exe = str(Path(sys.executable).with_name("stagebureau"))
    server = subprocess.Popen(
        [exe, "serve", "--port", str(port), "--database", f"sqlite:///{tmp_path / 's.db'}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                response = httpx.get(f"http://127.0.0.1:{port}/openapi.json", timeout=1)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "server did not start"
                time.sleep(0.2)
        assert response.status_code == 200
        assert "/rounds/{round_id}/solve" in response.json()["paths"]
    finally:
        server.terminate()
        server.wait(timeout=10)
