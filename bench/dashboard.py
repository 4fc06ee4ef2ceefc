#!/usr/bin/env python3
"""
dashboard.py - dashboard latency (bench/run.sh section "dashboard").

For each row: GET the URL on a running `motcua serve` (keep-alive, one
request at a time, as the inspector) and time every call; then time the
same figures computed by a plain SQL GROUP BY over the dossier table
(Python's sqlite3, the same libsqlite3, on the same database, read-only),
also one call at a time. Reports p50/p99 of both and the ratio of the
p50s. Rows whose URL answers 404 (an endpoint not built in this tree) are
skipped. For the trend row the figures of both sides are compared.

usage: dashboard.py --base http://127.0.0.1:PORT --db PATH [--out FILE]
                    [--requests 200] [--baseline-seconds 20]
Prints one line per row; --out writes the rows as JSON.
"""
import argparse
import datetime
import http.client
import json
import sqlite3
import statistics
import sys
import time
import urllib.parse

TZ = datetime.timezone(datetime.timedelta(hours=7))
ONLINE = 2  # dossiers.channel of online submissions (MC_CH_ONLINE)


def pct(xs, p):
    xs = sorted(xs)
    k = max(0, min(len(xs) - 1, int(round(p / 100.0 * (len(xs) - 1)))))
    return xs[k]


def month_bounds(month):
    y, m = map(int, month.split("-"))
    start = datetime.datetime(y, m, 1, tzinfo=TZ)
    end = datetime.datetime(y + (m == 12), m % 12 + 1, 1, tzinfo=TZ)
    return int(start.timestamp()), int(end.timestamp())


def year_bounds(year):
    return (int(datetime.datetime(year, 1, 1, tzinfo=TZ).timestamp()),
            int(datetime.datetime(year + 1, 1, 1, tzinfo=TZ).timestamp()))


def subtree(db, unit_id):
    path = db.execute("SELECT path FROM units WHERE id = ?",
                      (unit_id,)).fetchone()[0]
    return path, path[:-1] + chr(ord(path[-1]) + 1)


class Api:
    def __init__(self, base):
        u = urllib.parse.urlparse(base)
        self.conn = http.client.HTTPConnection(u.hostname, u.port, timeout=120)
        self.token = None

    def get(self, path):
        h = {"Authorization": "Bearer " + self.token} if self.token else {}
        try:
            self.conn.request("GET", path, headers=h)
            r = self.conn.getresponse()
        except (http.client.RemoteDisconnected, ConnectionResetError,
                BrokenPipeError):
            # The server closes a connection idle for 120 s, which the
            # GROUP BY baseline outlasts at 10 million: connect again.
            self.conn.close()
            self.conn.request("GET", path, headers=h)
            r = self.conn.getresponse()
        return r.status, r.read()

    def login(self, user, password):
        body = json.dumps({"username": user, "password": password})
        self.conn.request("POST", "/api/v1/sessions", body=body,
                          headers={"Content-Type": "application/json"})
        r = self.conn.getresponse()
        data = r.read()
        if r.status != 201:
            sys.exit("dashboard.py: login %s -> %d %s" % (user, r.status, data))
        self.token = json.loads(data)["token"]


def time_api(api, url, n):
    for _ in range(3):  # warm the reader connections and the page cache
        api.get(url)
    out = []
    for _ in range(n):
        t0 = time.perf_counter()
        status, body = api.get(url)
        out.append((time.perf_counter() - t0) * 1000)
        if status != 200:
            sys.exit("dashboard.py: %s -> %d %s" % (url, status, body[:300]))
    return out, json.loads(body)


def time_sql(db, sqls, args, seconds):
    """Time the statements sqls run one after the other as one measure."""
    def run():
        return [db.execute(q, args).fetchall() for q in sqls]
    rows = run()  # warm-up
    out = []
    t_end = time.perf_counter() + seconds
    while len(out) < 5 or (time.perf_counter() < t_end and len(out) < 200):
        t0 = time.perf_counter()
        rows = run()
        out.append((time.perf_counter() - t0) * 1000)
    return out, rows


# The province's trend for one month from the dossiers themselves, per
# month (UTC+7): received and online by receipt instant; finished and on
# time (the 766 verdict frozen at the transition) by finish instant; in
# the root's subtree.
TREND_SQL = ["""
SELECT strftime('%Y-%m', received_at + 25200, 'unixepoch') AS m, COUNT(*),
       SUM(channel = :online)
FROM dossiers
WHERE unit_path >= :lo AND unit_path < :hi
  AND received_at >= :f AND received_at < :t
GROUP BY m
""", """
SELECT strftime('%Y-%m', d.finished_at + 25200, 'unixepoch') AS m, COUNT(*),
       SUM(f.on_time)
FROM dossiers d JOIN dossier_facts f ON f.dossier_id = d.id
WHERE d.unit_path >= :lo AND d.unit_path < :hi
  AND d.finished_at >= :f AND d.finished_at < :t
GROUP BY m
"""]

# The counters behind the 766 index of one unit's subtree for a year, per
# procedure, from the dossiers themselves.
INDEX_SQL = ["""
SELECT d.procedure_code, COUNT(*), SUM(d.channel = :online),
       SUM(f.dossier_id IS NOT NULL), SUM(f.on_time), SUM(f.early),
       SUM(f.files > 0), SUM(f.e_result), SUM(d.supplements),
       SUM(f.processing_seconds), SUM(d.returned_at IS NOT NULL),
       SUM(d.stopped_at IS NOT NULL)
FROM dossiers d LEFT JOIN dossier_facts f ON f.dossier_id = d.id
WHERE d.unit_path >= :lo AND d.unit_path < :hi
  AND d.received_at >= :f AND d.received_at < :t
GROUP BY d.procedure_code
"""]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--base", required=True)
    ap.add_argument("--db", required=True)
    ap.add_argument("--out")
    ap.add_argument("--month", help="YYYY-MM (default: the last full month "
                    "of the history)")
    ap.add_argument("--requests", type=int, default=200)
    ap.add_argument("--baseline-seconds", type=float, default=20)
    a = ap.parse_args()

    db = sqlite3.connect("file:%s?mode=ro" % a.db, uri=True)
    root = db.execute("SELECT id FROM units WHERE parent_id IS NULL AND "
                      "valid_to IS NULL ORDER BY id LIMIT 1").fetchone()[0]
    month = a.month
    if month is None:
        last = db.execute("SELECT MAX(received_at) FROM dossiers").fetchone()[0]
        d = datetime.datetime.fromtimestamp(last, TZ).replace(day=1)
        month = (d - datetime.timedelta(days=1)).strftime("%Y-%m")
    year = int(month[:4]) - 1
    lo, hi = subtree(db, root)
    f, t = month_bounds(month)
    u_lo, u_hi = subtree(db, 1)
    yf, yt = year_bounds(year)
    busy = db.execute("SELECT unit_id FROM dossiers GROUP BY unit_id "
                      "ORDER BY COUNT(*) DESC, unit_id LIMIT 1").fetchone()[0]
    b_lo, b_hi = subtree(db, busy)
    rows = [
        {"name": "trend of the whole province for a month (%s)" % month,
         "url": "/api/v1/dashboard/trend?from=%s&to=%s" % (month, month),
         "sql": TREND_SQL,
         "args": {"f": f, "t": t, "lo": lo, "hi": hi, "online": ONLINE},
         "check": "trend"},
        {"name": "Decision 766 index of unit 1 (the province) for a year (%d)" % year,
         "url": "/api/v1/evaluation/766?unit=1&period=%d" % year,
         "sql": INDEX_SQL,
         "args": {"f": yf, "t": yt, "lo": u_lo, "hi": u_hi, "online": ONLINE},
         "check": None},
        {"name": "Decision 766 index of the busiest unit (id %d) for a "
                 "year (%d)" % (busy, year),
         "url": "/api/v1/evaluation/766?unit=%d&period=%d" % (busy, year),
         "sql": INDEX_SQL,
         "args": {"f": yf, "t": yt, "lo": b_lo, "hi": b_hi, "online": ONLINE},
         "check": None},
    ]
    api = Api(a.base)
    api.login("thanhtra", "thanhtra123!")
    out = []
    for r in rows:
        status, _ = api.get(r["url"])
        if status == 404:
            print("dashboard: skip %s: %s answers 404" % (r["name"], r["url"]))
            out.append({"name": r["name"], "url": r["url"], "skipped": "404"})
            continue
        lat, ans = time_api(api, r["url"], a.requests)
        base, res = time_sql(db, r["sql"], r["args"], a.baseline_seconds)
        row = {"name": r["name"], "url": r["url"], "requests": len(lat),
               "p50_ms": round(statistics.median(lat), 3),
               "p99_ms": round(pct(lat, 99), 3),
               "baseline": "SQL GROUP BY over dossiers (sqlite3, read-only)",
               "baseline_runs": len(base),
               "baseline_p50_ms": round(statistics.median(base), 3),
               "baseline_p99_ms": round(pct(base, 99), 3)}
        row["ratio_p50"] = round(row["baseline_p50_ms"] / row["p50_ms"], 1)
        if r["check"] == "trend":
            it = ans["items"][0]
            got = (it["received"], it["finished"], it["on_time"], it["online"])
            rec = res[0][0] if res[0] else (month, 0, 0)
            fin = res[1][0] if res[1] else (month, 0, 0)
            want = (rec[1], fin[1], fin[2] or 0, rec[2] or 0)
            row["figures"] = dict(zip(("received", "finished", "on_time",
                                       "online"), got))
            row["figures_match"] = got == want
            if got != want:
                print("dashboard: figures differ: API %r, SQL %r" % (got, want))
        out.append(row)
        print("dashboard: %s: p50 %.2f ms p99 %.2f ms (%d requests); "
              "GROUP BY p50 %.1f ms p99 %.1f ms (%d runs); ratio %.1fx%s"
              % (r["name"], row["p50_ms"], row["p99_ms"], len(lat),
                 row["baseline_p50_ms"], row["baseline_p99_ms"], len(base),
                 row["ratio_p50"],
                 "" if "figures_match" not in row else
                 ", figures %s" % ("match" if row["figures_match"]
                                   else "DIFFER")))
    if a.out:
        with open(a.out, "w") as fp:
            json.dump(out, fp, indent=2, ensure_ascii=False)
    return 0 if all(r.get("figures_match", True) for r in out) else 1


if __name__ == "__main__":
    sys.exit(main())
