#!/usr/bin/env python3
"""
run.py - the API test suite against the real motcua binary.

    python3 tests/api/run.py build/motcua
    pg_virtualenv -v 15 python3 tests/api/run.py build/motcua --pg

With --pg (or MOTCUA_TEST_DB=pg) the database is a fresh PostgreSQL
database created with psql in the cluster named by PGHOST/PGPORT/PGUSER
(pg_virtualenv exports them); the files directory stays local.

Creates a temporary demo database (`motcua init --demo`), serves it on a
free port with --test-clock, runs every test of cases.py in order, stops
the server with SIGTERM (it must exit 0 without sanitizer reports), then
checks `motcua audit verify` on the intact and on a tampered database.
Prints `ok NAME` or `FAIL NAME: reason` per test and ends with the line
`N passed, M failed` (exit status 1 when M > 0).
"""
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import traceback
import urllib.parse
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import cases  # noqa: E402,F401  (registers the tests)
from lib import (SANITIZER_RE, TESTS, Client, Ctx, Server,  # noqa: E402
                 TestFailure, free_port, short)


class Report:
    def __init__(self):
        self.passed = 0
        self.failed = 0

    def ok(self, name):
        self.passed += 1
        print("ok %s" % name, flush=True)

    def fail(self, name, reason):
        self.failed += 1
        reason = " ".join(str(reason).split())
        print("FAIL %s: %s" % (name, reason), flush=True)

    def finish(self):
        print("%d passed, %d failed" % (self.passed, self.failed),
              flush=True)
        return 1 if self.failed else 0


def parse_logins(out):
    """username -> password from the table `motcua init --demo` prints."""
    logins = {}
    in_table = False
    for line in out.splitlines():
        cols = line.split()
        if cols[:3] == ["username", "password", "role"]:
            in_table = True
            continue
        if in_table and len(cols) >= 3:
            logins[cols[0]] = cols[1]
    return logins


def sanitizer_lines(text):
    return [ln for ln in text.splitlines() if SANITIZER_RE.search(ln)]


def run_audit(binary, db, env):
    p = subprocess.run([binary, "audit", "verify", "--db", db], env=env,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       timeout=600)
    return (p.returncode, p.stdout.decode("utf-8", "replace") +
            p.stderr.decode("utf-8", "replace"))


def pg_create_db(env):
    """A fresh database in the PG* cluster; returns (name, url)."""
    name = "motcua_t_" + uuid.uuid4().hex[:12]
    subprocess.run(["psql", "-X", "-q", "-d", "postgres", "-v",
                    "ON_ERROR_STOP=1", "-c", "CREATE DATABASE %s" % name],
                   env=env, check=True, stdout=subprocess.PIPE,
                   stderr=subprocess.PIPE, timeout=120)
    q = {}
    for var, key in (("PGHOST", "host"), ("PGPORT", "port"),
                     ("PGUSER", "user")):
        if env.get(var):
            q[key] = env[var]
    url = "postgresql:///%s" % name
    if q:
        url += "?" + urllib.parse.urlencode(q)
    return name, url


def sql_exec(db, pgname, env, sql):
    """Run one modifying statement on the test database; rows changed."""
    if pgname is None:
        con = sqlite3.connect(db)
        cur = con.execute(sql)
        con.commit()
        n = cur.rowcount
        con.close()
        return n
    p = subprocess.run(["psql", "-X", "-q", "-d", pgname, "-v",
                        "ON_ERROR_STOP=1", "-tA", "-c",
                        "WITH t AS (%s RETURNING 1) SELECT COUNT(*) FROM t"
                        % sql], env=env, check=True,
                       stdout=subprocess.PIPE, timeout=120)
    return int(p.stdout.decode().strip() or 0)


def main(argv):
    pg = "--pg" in argv[1:] or os.environ.get("MOTCUA_TEST_DB") == "pg"
    argv = [a for a in argv if a != "--pg"]
    if len(argv) != 2:
        sys.stderr.write("usage: run.py PATH/TO/motcua [--pg]\n")
        return 2
    binary = os.path.abspath(argv[1])
    rep = Report()
    if not os.access(binary, os.X_OK):
        rep.fail("binary", "%s is not an executable" % binary)
        return rep.finish()
    tmp = tempfile.mkdtemp(prefix="motcua-api-")
    env = dict(os.environ, MOTCUA_FAST_HASH="1")
    db = os.path.join(tmp, "t.db")
    pgname = None
    keep = False
    if pg:
        try:
            pgname, db = pg_create_db(env)
        except (OSError, subprocess.SubprocessError) as e:
            rep.fail("pg_createdb", e)
            return rep.finish()
        print("# PostgreSQL database %s" % db, flush=True)

    # ---- init
    try:
        p = subprocess.run([binary, "init", "--db", db, "--demo"], env=env,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           timeout=900, cwd=tmp)
    except subprocess.TimeoutExpired:
        rep.fail("init_demo", "motcua init --demo timed out")
        return rep.finish()
    out = p.stdout.decode("utf-8", "replace")
    err = p.stderr.decode("utf-8", "replace")
    if p.returncode != 0:
        rep.fail("init_demo", "exit %d: %s" % (p.returncode, short(err,
                                                                     1000)))
        return rep.finish()
    bad = sanitizer_lines(err)
    if bad:
        rep.fail("init_demo", "sanitizer: %s" % bad[:3])
    else:
        rep.ok("init_demo")
    logins = parse_logins(out)

    # ---- serve
    port = free_port()
    srv = Server(binary, tmp, port, env, db)
    try:
        srv.start()
    except TestFailure as e:
        rep.fail("server_start", e)
        sys.stderr.write("run.py: files kept in %s\n" % tmp)
        return rep.finish()
    rep.ok("server_start")
    ctx = Ctx(Client("127.0.0.1", port), srv, logins, out)

    for fn in TESTS:
        name = fn.__name__[5:] if fn.__name__.startswith("test_") \
            else fn.__name__
        try:
            fn(ctx)
            rep.ok(name)
        except TestFailure as e:
            rep.fail(name, e)
        except Exception as e:  # noqa: BLE001
            tb = traceback.extract_tb(e.__traceback__)
            where = "%s:%d" % (os.path.basename(tb[-1].filename),
                               tb[-1].lineno) if tb else "?"
            rep.fail(name, "%s: %r at %s" % (type(e).__name__, e, where))
        if srv.proc is not None and srv.proc.poll() is not None:
            rep.fail("server_alive_after_" + name,
                     "server exited with %s; stderr: %s"
                     % (srv.proc.returncode,
                        short(srv.stderr_text()[-3000:], 3000)))
            keep = True
            try:
                srv.proc = None
                srv.start()
            except TestFailure as e:
                rep.fail("server_restart", e)
                break

    # ---- stop
    rc = srv.stop()
    if rc == 0:
        rep.ok("server_sigterm_exit_0")
    else:
        rep.fail("server_sigterm_exit_0",
                 "exit status %s; stderr tail: %s"
                 % (rc, short(srv.stderr_text()[-2000:], 2000)))
        keep = True
    bad = sanitizer_lines(srv.stderr_text())
    if bad:
        rep.fail("server_no_sanitizer_reports", "%d lines, e.g. %s"
                 % (len(bad), bad[:3]))
        keep = True
    else:
        rep.ok("server_no_sanitizer_reports")

    # ---- audit chain
    try:
        rc, text = run_audit(binary, db, env)
        if rc == 0:
            rep.ok("audit_verify_intact")
        else:
            rep.fail("audit_verify_intact", "exit %d: %s" % (rc,
                                                             short(text)))
        changed = sql_exec(db, pgname, env,
                           "UPDATE audit SET payload = '{\"tampered\":true}' "
                           "WHERE seq = 5")
        if changed != 1:
            rep.fail("audit_verify_detects_tampering",
                     "no audit row with seq 5")
        else:
            rc, text = run_audit(binary, db, env)
            if rc == 0:
                rep.fail("audit_verify_detects_tampering",
                         "verify exits 0 after payload of seq 5 changed: %s"
                         % short(text))
            elif not re.search(r"(seq\w*|record|#)\s*[=:#]?\s*5\b", text,
                               re.I):
                rep.fail("audit_verify_detects_tampering",
                         "exit %d but the message does not name seq 5: %s"
                         % (rc, short(text)))
            elif sanitizer_lines(text):
                rep.fail("audit_verify_detects_tampering",
                         "sanitizer: %s" % sanitizer_lines(text)[:3])
            else:
                rep.ok("audit_verify_detects_tampering")
    except Exception as e:  # noqa: BLE001
        rep.fail("audit_verify", "%s: %r" % (type(e).__name__, e))

    if rep.failed or keep:
        sys.stderr.write("run.py: files kept in %s\n" % tmp)
    else:
        shutil.rmtree(tmp, ignore_errors=True)
    return rep.finish()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
