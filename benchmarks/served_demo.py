"""The platform as a bureau meets it: a served demo database, attacked and loaded (issue 11).

Builds the demo region into a fresh SQLite file, serves it with `stagebureau serve` in its own
process, and checks over HTTP on 127.0.0.1 what the hardening promised: a `null` in a PATCH is
refused and the region stays readable; a name typed as a formula comes out inert in CSV and XLSX;
guessing a password gets 429 within 25 tries; the security headers are on; `GET /users/me`
stays fast while a 20,000-row pupil upload is parsed (the timing: median and worst of the
requests made during the upload); a Windows-1252 CSV is read. Nothing here imports the
platform: it is a client, as a school's browser or script would be.

    .venv/bin/python -m benchmarks.served_demo [--rows 20000]
"""

from __future__ import annotations

import argparse
import csv
import io
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx
import openpyxl

DEMO_USER, DEMO_PASSWORD = "bureau@twente.example", "demo-bureau"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serve(database: str) -> tuple[subprocess.Popen[bytes], str]:
    exe = str(Path(sys.executable).with_name("stagebureau"))
    subprocess.run([exe, "demo", "--database", database, "--students", "300"], check=True,
                   stdout=subprocess.DEVNULL)  # fmt: skip
    port = free_port()
    server = subprocess.Popen([exe, "serve", "--port", str(port), "--database", database],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            httpx.get(base + "/openapi.json", timeout=1)
            return server, base
        except httpx.TransportError:
            time.sleep(0.2)
    server.terminate()
    raise RuntimeError("the server did not start")


def check(base: str, rows: int) -> None:
    client = httpx.Client(base_url=base, timeout=600)
    login = {"username": DEMO_USER, "password": DEMO_PASSWORD}
    token = client.post("/login/access-token", data=login).json()["access_token"]
    auth = {"Authorization": f"Bearer {token}"}

    company = client.get("/companies", headers=auth).json()[0]
    refused = client.patch(f"/companies/{company['id']}", headers=auth,
                           json={"version": company["version"], "sectors": None})  # fmt: skip
    still = client.get("/companies", headers=auth).status_code
    opened = client.post("/rounds", headers=auth, json={"name": "after a null"}).status_code
    print(f"null PATCH: {refused.status_code}; afterwards GET /companies {still}, "
          f"POST /rounds {opened}")  # fmt: skip

    school = client.get("/schools", headers=auth).json()[0]
    published = next(r for r in client.get("/rounds", headers=auth).json()
                     if r["status"] == "published")  # fmt: skip
    assignments = client.get(f"/rounds/{published['id']}/assignments", headers=auth).json()
    placed = {a["student"] for a in assignments}
    pupil = next(p for p in client.get("/pupils", headers=auth).json()
                 if p["school_id"] == school["id"] and p["code"] in placed)  # fmt: skip
    client.patch(f"/pupils/{pupil['id']}", headers=auth,
                 json={"version": pupil["version"], "first_name": '=HYPERLINK("x")'})  # fmt: skip
    export = f"/rounds/{published['id']}/export/schools/{school['id']}"
    text = client.get(export + ".csv", headers=auth).text
    dialect = csv.Sniffer().sniff(text.splitlines()[0])
    cells = [cell for row in csv.reader(io.StringIO(text), dialect) for cell in row]
    sheet = openpyxl.load_workbook(io.BytesIO(client.get(export + ".xlsx", headers=auth).content))
    formulas = sum(cell.data_type == "f" for row in sheet.active.iter_rows() for cell in row)
    print(f"formula-like name: CSV cells starting '=': {sum(c.startswith('=') for c in cells)}, "
          f"kept inert: {any(c.startswith(chr(39) + '=') for c in cells)}; "
          f"XLSX formula cells: {formulas}")  # fmt: skip

    for attempt in range(1, 26):
        answer = client.post("/login/access-token", data={**login, "password": f"guess{attempt}"})
        if answer.status_code == 429:
            break
    print(f"wrong passwords until {answer.status_code}: {attempt} "
          f"(Retry-After {answer.headers.get('Retry-After')} s)")  # fmt: skip

    headers = client.get("/users/me", headers=auth).headers
    wanted = ("Content-Security-Policy", "X-Frame-Options", "X-Content-Type-Options",
              "Referrer-Policy", "Cache-Control")  # fmt: skip
    print("security headers present:", all(name in headers for name in wanted))

    table = io.StringIO()
    writer = csv.writer(table)
    writer.writerow(["code", "first_name", "profile", "track", "year"])
    writer.writerows([f"load{i}", "Zoë", "PIE", "kb", 3] for i in range(rows))
    done, result = threading.Event(), {}

    def upload() -> None:
        files = {"file": ("pupils.csv", table.getvalue().encode(), "text/csv")}
        url = f"{base}/uploads/pupils?school_id={school['id']}"
        result["status"] = httpx.post(url, headers=auth, files=files, timeout=600).status_code
        done.set()

    threading.Thread(target=upload).start()
    latencies = []
    while not done.is_set():
        started = time.perf_counter()
        client.get("/users/me", headers=auth)
        latencies.append(time.perf_counter() - started)
        time.sleep(0.05)
    print(f"{rows:,}-row upload {result['status']}; GET /users/me meanwhile: "
          f"{len(latencies)} requests, median {1000 * statistics.median(latencies):.0f} ms, "
          f"worst {1000 * max(latencies):.0f} ms")  # fmt: skip

    legacy = "code;first_name;profile;track;year\r\nw1;Zoë;PIE;kb;3\r\n".encode("cp1252")
    files = {"file": ("pupils.csv", legacy, "text/csv")}
    answer = client.post(f"/uploads/pupils?school_id={school['id']}", headers=auth, files=files)
    print(f"Windows-1252 CSV: {answer.status_code}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        server, base = serve(f"sqlite:///{Path(folder) / 'demo.db'}")
        try:
            check(base, args.rows)
        finally:
            server.terminate()
            server.wait(10)


if __name__ == "__main__":
    main()
