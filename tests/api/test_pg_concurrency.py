#!/usr/bin/env python3
"""
test_pg_concurrency.py - two `motcua serve` instances on one PostgreSQL
database (several-instance deployment, docs/OPERATIONS.md).

    pg_virtualenv -v 15 python3 tests/api/test_pg_concurrency.py build/motcua

Creates a fresh database in the PG* cluster, `motcua init --demo`, starts
two servers sharing one files directory, submits and receives dossiers in
parallel through both, then checks: no duplicate dossier codes, the codes
of the day are 0001..N, every dossier has its submit and receive events
exactly once; then both servers' sweepers (--sweep-interval 1) run over
the same dossiers with the test clock moved to near due and then past due:
every warning, escalation and overdue violation exists exactly once, every
notification is delivered exactly once across the two instances' spools
(one attempt each); failed logins counted on one instance limit the other
(shared rate-limit counters); a day off announced on one instance reaches
the other's calendar. Both servers exit 0 on SIGTERM and `motcua
audit verify` passes (one audit chain across both instances). Ends with
`N passed, M failed`.
"""
import os
import datetime
import json
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from cases import API, BD, CITIZEN, PROC  # noqa: E402
from lib import (Client, Ctx, Server, TestFailure, check,  # noqa: E402
                 expect, expect_error, free_port, short)
from run import Report, parse_logins, pg_create_db, run_audit  # noqa: E402

SUBMITTERS = 8
PER_SUBMITTER = 15
RECEIVERS = 4


def submit_all(ctxs, tok, unit, errors, lock):
    created = []

    def submitter(i):
        client = ctxs[i % 2].c
        c = client.conn()
        try:
            for j in range(PER_SUBMITTER):
                r = client.request("POST", API + "/dossiers",
                                   body={"procedure_code": PROC,
                                         "receiving_unit_id": unit,
                                         "applicant_name":
                                             "Hai Máy %d-%d" % (i, j)},
                                   token=tok, conn=c)
                with lock:
                    if r.status == 201:
                        created.append(r.json()["id"])
                    else:
                        errors.append("create %d-%d: %d %s"
                                      % (i, j, r.status, short(r.body)))
        except Exception as e:  # noqa: BLE001
            with lock:
                errors.append("submitter %d: %r" % (i, e))
        finally:
            c.close()

    ths = [threading.Thread(target=submitter, args=(i,))
           for i in range(SUBMITTERS)]
    for t in ths:
        t.start()
    for t in ths:
        t.join()
    return created


def receive_all(ctxs, dtok, created, errors, lock):
    codes = []

    def receiver(k):
        client = ctxs[k % 2].c
        c = client.conn()
        try:
            for did in created[k::RECEIVERS]:
                r = client.request("POST", "%s/dossiers/%d/transitions"
                                   % (API, did), body={"action": "receive"},
                                   token=dtok, conn=c)
                with lock:
                    if r.status == 200:
                        codes.append(r.json()["code"])
                    else:
                        errors.append("receive %d: %d %s"
                                      % (did, r.status, short(r.body)))
        except Exception as e:  # noqa: BLE001
            with lock:
                errors.append("receiver %d: %r" % (k, e))
        finally:
            c.close()

    ths = [threading.Thread(target=receiver, args=(k,))
           for k in range(RECEIVERS)]
    for t in ths:
        t.start()
    for t in ths:
        t.join()
    return codes


def check_codes(codes, n):
    check(len(codes) == n, "received %d of %d" % (len(codes), n))
    check(len(set(codes)) == len(codes), "duplicate codes: %d distinct of %d"
          % (len(set(codes)), len(codes)))
    days = {}
    for code in codes:
        m = re.match(r"^(.*)-(\d{6})-(\d{4})$", code or "")
        check(m, "bad code %r" % code)
        days.setdefault((m.group(1), m.group(2)), []).append(int(m.group(3)))
    for day, nums in days.items():
        nums.sort()
        # the demo data may have received dossiers today already
        first = nums[0]
        check(nums == list(range(first, first + len(nums))),
              "codes of %s have gaps or repeats: %s" % (day, nums[:10]))


def check_events(ctx, created):
    bad = []
    for did in created:
        r = ctx.c.request("GET", "%s/dossiers/%d/events" % (API, did),
                          token=ctx.tok("admin"))
        if r.status != 200:
            bad.append("%d: %d" % (did, r.status))
            continue
        acts = [e.get("action") for e in r.json().get("items", [])]
        if acts.count("receive") != 1 or len(acts) != 2:
            bad.append("%d: %s" % (did, acts))
    check(not bad, "%d dossiers with wrong events, e.g. %s"
          % (len(bad), bad[:3]))


def psql(pgname, env, sql):
    """Rows of a query on the test database, as lists of strings."""
    p = subprocess.run(["psql", "-X", "-q", "-d", pgname, "-v",
                        "ON_ERROR_STOP=1", "-tA", "-F", "\t", "-c", sql],
                       env=env, check=True, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, timeout=120)
    out = p.stdout.decode("utf-8").strip()
    return [line.split("\t") for line in out.splitlines()] if out else []


def ts(s):
    return datetime.datetime.fromisoformat(s.replace("Z", "+00:00"))


def set_clocks(ctxs, when):
    """Move the clock of every instance to the instant when."""
    off = int((when - datetime.datetime.now(datetime.timezone.utc))
              .total_seconds())
    for ctx in ctxs:
        ctx.set_clock(off)


def wait_sweeps(pgname, env, ids, kind, want, limit=300):
    """Wait until each dossier in ids has a notification of kind and no
    delivery of the dossiers is pending any more."""
    idl = ",".join(str(i) for i in ids)
    deadline = time.time() + limit
    got = pending = None
    while time.time() < deadline:
        got = int(psql(pgname, env,
                       "SELECT COUNT(DISTINCT dossier_id) FROM notifications "
                       "WHERE kind = '%s' AND dossier_id IN (%s)"
                       % (kind, idl))[0][0])
        pending = int(psql(pgname, env,
                           "SELECT COUNT(*) FROM deliveries l JOIN "
                           "notifications n ON n.id = l.notification_id "
                           "WHERE l.state = 'pending' AND n.dossier_id IN "
                           "(%s)" % idl)[0][0])
        if got >= want and pending == 0:
            return
        time.sleep(1)
    raise TestFailure("after %ds: %d of %d dossiers with %s, %d deliveries "
                      "pending" % (limit, got, want, kind, pending))


def check_once(pgname, env, ids, prefix):
    idl = ",".join(str(i) for i in ids)
    rows = psql(pgname, env,
                "SELECT dossier_id, kind, account_id, COUNT(*) FROM "
                "notifications WHERE dossier_id IN (%s) AND kind LIKE '%s%%' "
                "GROUP BY dossier_id, kind, account_id" % (idl, prefix))
    doubled = [r for r in rows if r[3] != "1"]
    check(not doubled, "doubled %s notifications: %s" % (prefix, doubled[:5]))
    per = {}
    for r in rows:
        per.setdefault(r[0], []).append((r[1], r[2]))
    check(len(per) == len(ids), "%d of %d dossiers have %s notifications"
          % (len(per), len(ids), prefix))
    shapes = {tuple(sorted(k for k, _ in v)) for v in per.values()}
    check(len(shapes) == 1 and any("escalation" in k for k in
                                   next(iter(shapes))),
          "%s notifications differ between dossiers of one unit: %s"
          % (prefix, sorted(shapes)[:3]))
    return sum(len(v) for v in per.values())


def check_delivered_once(pgname, env, ids, srvs):
    idl = ",".join(str(i) for i in ids)
    mine = {int(r[0]): (r[1], r[2]) for r in psql(
        pgname, env,
        "SELECT n.id, l.state, l.attempts FROM notifications n JOIN "
        "deliveries l ON l.notification_id = n.id WHERE n.dossier_id IN "
        "(%s)" % idl)}
    bad = [(k, v) for k, v in mine.items() if v != ("sent", "1")]
    check(not bad, "%d deliveries not sent in one attempt, e.g. %s"
          % (len(bad), bad[:3]))
    seen, per_srv = {}, []
    for srv in srvs:
        path = os.path.join(srv.tmp, "var", "spool", "notifications.jsonl")
        n = 0
        if os.path.exists(path):
            with open(path, encoding="utf-8") as f:
                for line in f:
                    if not line.strip():
                        continue
                    nid = json.loads(line)["notification_id"]
                    if nid in mine:
                        seen[nid] = seen.get(nid, 0) + 1
                        n += 1
        per_srv.append(n)
    twice = [k for k, v in seen.items() if v != 1]
    check(not twice, "%d notifications delivered more than once: %s"
          % (len(twice), twice[:5]))
    check(set(seen) == set(mine), "%d of %d notifications in the spools"
          % (len(seen), len(mine)))
    return per_srv


def sweep_phase(rep, ctxs, srvs, pgname, env, created):
    dues = []
    for did in created:
        r = expect(ctxs[0].c.request("GET", "%s/dossiers/%d" % (API, did),
                                     token=ctxs[0].tok("admin")), 200)
        dues.append((ts(r.json()["due_at"]), did))
    first = min(dues)[0]
    near_ids = [did for due, did in dues
                if (due + datetime.timedelta(hours=7)).date() ==
                (first + datetime.timedelta(hours=7)).date()]
    try:
        set_clocks(ctxs, first - datetime.timedelta(minutes=1))
        wait_sweeps(pgname, env, near_ids, "near_due_escalation",
                    len(near_ids))
        n = check_once(pgname, env, near_ids, "near_due")
        rep.ok("pgc_sweep_near_due_once")
        sys.stderr.write("pgc: %d near-due notifications for %d dossiers\n"
                         % (n, len(near_ids)))
    except TestFailure as e:
        rep.fail("pgc_sweep_near_due_once", e)
    try:
        last = max(dues)[0]
        set_clocks(ctxs, last + datetime.timedelta(hours=1))
        wait_sweeps(pgname, env, created, "overdue_escalation", len(created))
        check_once(pgname, env, created, "overdue")
        idl = ",".join(str(i) for i in created)
        rows = psql(pgname, env,
                    "SELECT dossier_id, COUNT(*) FROM violations WHERE rule "
                    "= 'overdue_without_apology' AND dossier_id IN (%s) "
                    "GROUP BY dossier_id" % idl)
        check(len(rows) == len(created) and all(r[1] == "1" for r in rows),
              "overdue violations: %d dossiers, counts %s"
              % (len(rows), sorted({r[1] for r in rows})))
        rep.ok("pgc_sweep_overdue_and_violation_once")
    except TestFailure as e:
        rep.fail("pgc_sweep_overdue_and_violation_once", e)
    try:
        per_srv = check_delivered_once(pgname, env, created, srvs)
        sys.stderr.write("pgc: deliveries per instance %s\n" % per_srv)
        rep.ok("pgc_notifications_delivered_once")
    except TestFailure as e:
        rep.fail("pgc_notifications_delivered_once", e)
    try:
        warn = [line for srv in srvs
                for line in srv.stderr_text().splitlines()
                if "sweep:" in line and ("WARN" in line.upper() or
                                         "conflict" in line)]
        check(not warn, "sweeper errors: %s" % warn[:3])
        rep.ok("pgc_sweepers_without_errors")
    except TestFailure as e:
        rep.fail("pgc_sweepers_without_errors", e)
    set_clocks(ctxs, datetime.datetime.now(datetime.timezone.utc))


def between(ctx, day):
    """Working days from the day before day to the day after."""
    r = expect(ctx.c.request("GET", API + "/calendar/between",
                             query={"a": (day - datetime.timedelta(days=1))
                                    .isoformat(),
                                    "b": (day + datetime.timedelta(days=1))
                                    .isoformat()}), 200, "between")
    return r.json()["working_days"]


def calendar_phase(rep, ctxs):
    """A day off announced on one instance reaches the other's calendar
    (its sweeper thread reloads a newer version)."""
    try:
        day = datetime.date.today() + datetime.timedelta(days=200)
        while day.weekday() != 2:
            day += datetime.timedelta(days=1)
        before = between(ctxs[1], day)
        r = ctxs[0].c.request("POST", API + "/calendar/days",
                              body={"date": day.isoformat(), "kind": "off",
                                    "reason": "Nghỉ đột xuất (kiểm thử)"},
                              token=ctxs[0].tok("admin"))
        expect(r, 201, "day off on instance 0")
        check(between(ctxs[0], day) == before - 1,
              "instance 0 did not swap: %d working days, %d before"
              % (between(ctxs[0], day), before))
        deadline = time.time() + 30
        while between(ctxs[1], day) != before - 1:
            check(time.time() < deadline,
                  "instance 1 still counts %s as a working day after 30 s"
                  % day)
            time.sleep(0.5)
        rep.ok("pgc_calendar_change_reaches_other_instance")
    except TestFailure as e:
        rep.fail("pgc_calendar_change_reaches_other_instance", e)


def rate_phase(rep, ctxs):
    """Failed logins on either instance count towards one limit."""
    user = "khongco.pgc"
    try:
        for i in range(10):
            r = ctxs[i % 2].c.request(
                "POST", API + "/sessions",
                body={"username": user, "password": "sai-%d" % i})
            expect_error(r, 401, "invalid_credentials",
                         what="failure %d on instance %d" % (i + 1, i % 2))
        for k in range(2):
            r = ctxs[k].c.request("POST", API + "/sessions",
                                  body={"username": user,
                                        "password": "sai-x"})
            expect_error(r, 429, "rate_limited",
                         what="11th failure on instance %d" % k)
            check((r.header("Retry-After") or "").isdigit(),
                  "no Retry-After: %s" % r.headers)
        rep.ok("pgc_rate_limit_shared")
    except TestFailure as e:
        rep.fail("pgc_rate_limit_shared", e)


def main(argv):
    if len(argv) != 2:
        sys.stderr.write("usage: test_pg_concurrency.py PATH/TO/motcua\n")
        return 2
    binary = os.path.abspath(argv[1])
    rep = Report()
    env = dict(os.environ, MOTCUA_FAST_HASH="1")
    tmp = tempfile.mkdtemp(prefix="motcua-pgc-")
    files = os.path.join(tmp, "files")
    srvs = []
    try:
        pgname, url = pg_create_db(env)
        p = subprocess.run([binary, "init", "--db", url, "--demo"], env=env,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           timeout=900, cwd=tmp)
        if p.returncode != 0:
            rep.fail("pgc_init", short(p.stderr, 1000))
            return rep.finish()
        rep.ok("pgc_init")
        out = p.stdout.decode("utf-8", "replace")
        logins = parse_logins(out)
        ctxs = []
        for i in range(2):
            d = os.path.join(tmp, "i%d" % i)
            os.makedirs(d)
            port = free_port()
            srv = Server(binary, d, port, env, url)
            srv.files = files  # one files directory for all instances
            srv.extra_args = ["--sweep-interval", "1"]
            srv.start()
            srvs.append(srv)
            ctxs.append(Ctx(Client("127.0.0.1", port), srv, logins, out))
        rep.ok("pgc_two_servers_start")
        tok = ctxs[0].tok(CITIZEN)
        dtok = ctxs[0].tok(BD["desk"])
        ctxs[1].tokens = ctxs[0].tokens
        ctxs[1].ids = ctxs[0].ids
        unit = ctxs[0].unit(BD["unit"])
        errors, lock = [], threading.Lock()
        n = SUBMITTERS * PER_SUBMITTER

        created = submit_all(ctxs, tok, unit, errors, lock)
        try:
            check(not errors, "%d failed creates, e.g. %s"
                  % (len(errors), errors[:3]))
            check(len(set(created)) == n, "created %d distinct of %d"
                  % (len(set(created)), n))
            rep.ok("pgc_parallel_submissions")
        except TestFailure as e:
            rep.fail("pgc_parallel_submissions", e)
        errors.clear()
        codes = receive_all(ctxs, dtok, created, errors, lock)
        try:
            check(not errors, "%d failed receives, e.g. %s"
                  % (len(errors), errors[:3]))
            check_codes(codes, len(created))
            rep.ok("pgc_parallel_receptions_unique_codes")
        except TestFailure as e:
            rep.fail("pgc_parallel_receptions_unique_codes", e)
        try:
            check_events(ctxs[1], created)
            rep.ok("pgc_transitions_once")
        except TestFailure as e:
            rep.fail("pgc_transitions_once", e)
        rate_phase(rep, ctxs)
        if created:
            sweep_phase(rep, ctxs, srvs, pgname, env, created)
        calendar_phase(rep, ctxs)
    except (TestFailure, OSError, subprocess.SubprocessError) as e:
        rep.fail("pgc_setup", e)
    finally:
        for i, srv in enumerate(srvs):
            rc = srv.stop()
            if rc == 0:
                rep.ok("pgc_server%d_sigterm_exit_0" % i)
            else:
                rep.fail("pgc_server%d_sigterm_exit_0" % i, "exit %s: %s"
                         % (rc, short(srv.stderr_text()[-2000:], 2000)))
    if srvs:
        rc, text = run_audit(binary, url, env)
        if rc == 0:
            rep.ok("pgc_audit_verify")
        else:
            rep.fail("pgc_audit_verify", "exit %d: %s" % (rc, short(text)))
    if rep.failed:
        sys.stderr.write("test_pg_concurrency: files kept in %s\n" % tmp)
    else:
        shutil.rmtree(tmp, ignore_errors=True)
    return rep.finish()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
