"""A small PxWeb v1 look-alike on 127.0.0.1 for the refresh tests (real HTTP, no mocks).

It serves the recorded responses in ``tests/fixtures/pxweb/`` (copies of
``../shared/reference/pxweb``) and derives from them what the real API answers:

- ``GET  /api/v1/fi/?config``             the limits (maxValues, maxCalls, timeWindow)
- ``GET  /api/v1/fi/StatFin/<id>.px``     metadata {title, variables: [{code, text, values,
                                           valueTexts, time?, elimination}]}
- ``POST /api/v1/fi/StatFin/<id>.px``     the rows and columns asked for, PxWeb ``json`` format

and on demand (``server.faults[(METHOD, table_id)] = [...]``, one fault per request):
``400``, ``403`` (too many values), ``429`` (``429:<s>`` sets Retry-After), ``500``, ``timeout`` (sleeps
longer than the client waits), ``malformed`` (truncated JSON), ``unknown_area`` (a response
with an area code no division has). It also answers 403 by itself when a query asks for more
than ``maxValues`` cells and 429 when calls come faster than ``maxCalls`` per ``timeWindow``,
counting both so that tests can assert they never happen.
"""

from __future__ import annotations

import copy
import hashlib
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

FIXTURES = Path(__file__).parents[1] / "fixtures" / "pxweb"
RECORDED = {"11re": "11re_2025.json", "11ra": "11ra_2025.json", "121w": "121w_2025.json",
            "12bs": "12bs_2025.json", "14ww": "14ww_2024.json", "12r5": "12r5_2026M06.json",
            "115p": "SYNTHETIC_jobs_from_2020_snapshot.json"}
# Dimensions the documentation lists for 115p besides area and year; eliminable (totals).
ELIMINABLE = {"115p": [("Pendelöinti", "Pendelöinti"), ("Koulutusaste", "Koulutusaste"),
                       ("Ikä", "Ikä")]}


class FakePxWeb:
    def __init__(self, max_values: int = 100_000, max_calls: int = 30, time_window: float = 10.0,
                 timeout_sleep: float = 2.0):
        self.config = {"apiVersion": "1.1.0", "languages": ["fi", "sv", "en"],
                       "defaultLanguage": "fi", "maxValues": max_values, "maxCalls": max_calls,
                       "timeWindow": time_window, "CORS": True}
        self.tables = {tid: json.loads((FIXTURES / name).read_text(encoding="utf-8"))
                       for tid, name in RECORDED.items()}
        # Dimensions the API lets a query leave out (it answers their total, SSS): added as
        # variables of one value where a table does not have them, marked eliminable where
        # it does (a table served in parts: 115p's commuting).
        self.eliminable = {tid: [code for code, _text in dims] for tid, dims in ELIMINABLE.items()}
        self.faults: dict[tuple[str, str], list[str]] = {}
        self.timeout_sleep = timeout_sleep
        self.log: list[tuple[float, str, str]] = []  # (time, method, table id or 'config')
        self.max_cells_asked = 0
        self.too_many_values = 0
        self.rate_violations = 0
        self.lock = threading.Lock()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    # ----------------------------------------------------------------------- lifecycle
    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/api/v1/fi/StatFin/"

    def start(self) -> FakePxWeb:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def requests(self, method: str | None = None, table: str | None = None) -> list:
        return [e for e in self.log if (method is None or e[1] == method)
                and (table is None or e[2] == table)]

    # ----------------------------------------------------------------------- data
    def add_period(self, table_id: str, new: str, from_period: str) -> None:
        """Offer one more period, synthesised from ``from_period`` with small changes.

        Counts change by a few units per municipality (deterministically); every whole-
        country row (``SSS`` area) is the sum of the municipalities, and for 11re the
        both-sexes total is men + women.
        """
        doc = self.tables[table_id]
        dims = [c for c in doc["columns"] if c["type"] in "dt"]
        ti = next(i for i, c in enumerate(dims) if c["type"] == "t")
        ai = next(i for i, c in enumerate(dims) if c["code"].lower().startswith("alue"))
        rows = [copy.deepcopy(r) for r in doc["data"] if r["key"][ti] == from_period]
        for row in rows:
            row["key"][ti] = new
            area = row["key"][ai]
            if area.startswith("KU"):
                row["values"] = [_nudge(v, area + "|".join(row["key"]) + str(j))
                                 for j, v in enumerate(row["values"])]
        if table_id == "11re":  # total = men + women per municipality
            si = next(i for i, c in enumerate(dims) if c["code"].startswith("sukupuoli"))
            by = {(r["key"][ai], r["key"][si]): r for r in rows}
            for (area, sex), row in by.items():
                if area.startswith("KU") and sex == "SSS":
                    row["values"] = [str(int(by[(area, "1")]["values"][0])
                                         + int(by[(area, "2")]["values"][0]))]
        for row in rows:  # whole country = sum of municipalities, where the rows are counts
            if row["key"][ai] != "SSS":
                continue
            others = [r for r in rows if r["key"][ai].startswith("KU") and all(
                r["key"][i] == row["key"][i] for i in range(len(dims)) if i != ai)]
            for j, value in enumerate(row["values"]):
                parts = [r["values"][j] for r in others]
                if value.lstrip("-").isdigit() and all(p.lstrip("-").isdigit() for p in parts):
                    row["values"][j] = str(sum(int(p) for p in parts))
        doc["data"].extend(rows)

    def metadata(self, table_id: str) -> dict:
        doc = self.tables[table_id]
        variables = []
        for col in doc["columns"]:
            if col["type"] not in "dt":
                continue
            i = [c for c in doc["columns"] if c["type"] in "dt"].index(col)
            values = list(dict.fromkeys(r["key"][i] for r in doc["data"]))
            if col["type"] == "t":
                values.sort()
            var = {"code": col["code"], "text": col["text"], "values": values,
                   "valueTexts": list(values),
                   "elimination": col["code"] in self.eliminable.get(table_id, [])}
            if col["type"] == "t":
                var["time"] = True
            variables.append(var)
        present = {c["code"] for c in doc["columns"]}
        for code in self.eliminable.get(table_id, []):
            if code not in present:
                variables.append({"code": code, "text": code, "values": ["SSS"],
                                  "valueTexts": ["Yhteensä"], "elimination": True})
        contents = [c for c in doc["columns"] if c["type"] == "c"]
        variables.append({"code": "Tiedot", "text": "Tiedot",
                          "values": [c["code"] for c in contents],
                          "valueTexts": [c["text"] for c in contents], "elimination": False})
        return {"title": doc["metadata"][0]["label"], "variables": variables}

    def answer(self, table_id: str, body: dict) -> tuple[int, bytes]:
        doc = self.tables[table_id]
        meta = self.metadata(table_id)
        selected = {}
        for item in body.get("query", []):
            selected[item["code"]] = list(item["selection"]["values"])
        for var in meta["variables"]:
            if var["code"] not in selected and not var["elimination"]:
                return 400, b"Bad request: variable " + var["code"].encode() + b" not selected"
            if var["code"] in selected:
                unknown = set(selected[var["code"]]) - set(var["values"])
                if unknown:
                    return 400, f"Bad request: unknown values {sorted(unknown)}".encode()
        cells = 1
        for values in selected.values():
            cells *= len(values)
        with self.lock:
            self.max_cells_asked = max(self.max_cells_asked, cells)
        if cells > self.config["maxValues"]:
            with self.lock:
                self.too_many_values += 1
            return 403, b"Too many values selected"
        dims = [c for c in doc["columns"] if c["type"] in "dt"]
        contents = [c for c in doc["columns"] if c["type"] == "c"]
        keep = [j for j, c in enumerate(contents) if c["code"] in selected.get("Tiedot", [])]
        # A dimension of the table left out of the query: the API answers its total and
        # drops the column.
        dropped = [i for i, d in enumerate(dims) if d["code"] not in selected]
        data = []
        for row in doc["data"]:
            if all(row["key"][i] in selected.get(d["code"], ["SSS"] if i in dropped
                                                 else row["key"][i:i + 1])
                   for i, d in enumerate(dims)):
                data.append({"key": [k for i, k in enumerate(row["key"]) if i not in dropped],
                             "values": [row["values"][j] for j in keep]})
        out = {"columns": [d for i, d in enumerate(dims) if i not in dropped]
               + [contents[j] for j in keep], "comments": doc["comments"],
               "data": data, "metadata": doc["metadata"]}
        return 200, json.dumps(out, ensure_ascii=False, separators=(",", ":")).encode("utf-8")

    # ----------------------------------------------------------------------- HTTP
    def _handler(self):
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # keep test output clean
                pass

            def _send(self, status: int, body: bytes, headers: dict | None = None) -> None:
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8"
                                 if status == 200 else "text/plain; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                for key, value in (headers or {}).items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(body)

            def _route(self, method: str):
                path = self.path
                if path.endswith("?config") and path.startswith("/api/v1/fi/"):
                    return "config", None
                prefix = "/api/v1/fi/StatFin/"
                if path.startswith(prefix) and path.endswith(".px"):
                    tid = path[len(prefix):-3]
                    if tid in server.tables:
                        return "table", tid
                return None, None

            def _rate_ok(self, now: float) -> bool:
                window, limit = server.config["timeWindow"], server.config["maxCalls"]
                # a little slack: arrival times jitter against the client's send times
                recent = [t for t, *_ in server.log if now - t < window * 0.8]
                return len(recent) < limit

            def _handle(self, method: str) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                kind, tid = self._route(method)
                now = time.monotonic()
                with server.lock:
                    ok = self._rate_ok(now)
                    server.log.append((now, method, tid or kind or self.path))
                    if not ok:
                        server.rate_violations += 1
                if not ok:
                    return self._send(429, b"Too many requests", {"Retry-After": "1"})
                if kind is None:
                    return self._send(404, b"Not found")
                with server.lock:
                    queue = server.faults.get((method, tid or "config"), [])
                    fault = queue.pop(0) if queue else None
                if fault == "timeout":
                    time.sleep(server.timeout_sleep)
                    return self._send(500, b"too late")
                if fault in ("400", "500"):
                    return self._send(int(fault), f"Fault {fault} on demand".encode())
                if fault == "403":
                    return self._send(403, b"Too many values selected")
                if fault is not None and fault.startswith("429"):  # "429" or "429:<seconds>"
                    wait = fault.partition(":")[2] or "0"
                    return self._send(429, b"Too many requests", {"Retry-After": wait})
                if kind == "config":
                    return self._send(200, json.dumps(server.config).encode())
                if method == "GET":
                    return self._send(200, json.dumps(server.metadata(tid),
                                                      ensure_ascii=False).encode("utf-8"))
                try:
                    body = json.loads(raw)
                except ValueError:
                    return self._send(400, b"Bad request: body is not JSON")
                status, payload = server.answer(tid, body)
                if status == 200 and fault == "malformed":
                    payload = payload[: len(payload) // 2]
                if status == 200 and fault == "unknown_area":
                    payload = payload.replace(b'"KU020"', b'"KU999"')
                return self._send(status, payload)

            def do_GET(self):
                self._handle("GET")

            def do_POST(self):
                self._handle("POST")

        return Handler


def _nudge(value: str, seed: str) -> str:
    """A small deterministic change to an integer count (other values unchanged)."""
    if not value.lstrip("-").isdigit():
        return value
    delta = int(hashlib.sha256(seed.encode()).hexdigest()[:4], 16) % 41 - 20
    return str(max(0, int(value) + delta))
