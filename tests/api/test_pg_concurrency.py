#!/usr/bin/env python3
"""
test_pg_concurrency.py - two `motcua serve` instances on one PostgreSQL
database (several-instance deployment, docs/OPERATIONS.md).

    pg_virtualenv -v 15 python3 tests/api/test_pg_concurrency.py build/motcua

Creates a fresh database in the PG* cluster, `motcua init --demo`, starts
two servers sharing one files directory, submits and receives dossiers in
parallel through both, then checks: no duplicate dossier codes, the codes
of the day are 0001..N, every dossier has its submit and receive events
exactly once, both servers exit 0 on SIGTERM, `motcua audit verify` passes
(one audit chain across both instances). Ends with `N passed, M failed`.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from cases import API, BD, CITIZEN, PROC  # noqa: E402
from lib import (Client, Ctx, Server, TestFailure, check,  # noqa: E402
                 free_port, short)
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
        _, url = pg_create_db(env)
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
