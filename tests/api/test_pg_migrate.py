#!/usr/bin/env python3
"""
test_pg_migrate.py - `motcua migrate --from sqlite:PATH --to postgres://`.

    pg_virtualenv -v 15 python3 tests/api/test_pg_migrate.py build/motcua

A demo SQLite database is copied into a fresh PostgreSQL database; checks
the command's exit status, the audit chain (same record count), equal row
counts of a few tables, a server on the copy answering, and that new rows
get fresh ids (identity sequences bumped). Ends with `N passed, M failed`.
"""
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from cases import API, BD, CITIZEN, PROC  # noqa: E402
from lib import Client, Ctx, Server, free_port, short  # noqa: E402
from run import Report, parse_logins, pg_create_db, run_audit  # noqa: E402

TABLES = ("units", "accounts", "procedures", "dossiers", "dossier_events",
          "audit", "calendar_days", "feedback_deadlines")


def pg_count(name, env, table):
    p = subprocess.run(["psql", "-X", "-tA", "-d", name, "-c",
                        "SELECT COUNT(*) FROM %s" % table], env=env,
                       check=True, stdout=subprocess.PIPE, timeout=60)
    return int(p.stdout.decode().strip())


def main(argv):
    if len(argv) != 2:
        sys.stderr.write("usage: test_pg_migrate.py PATH/TO/motcua\n")
        return 2
    binary = os.path.abspath(argv[1])
    rep = Report()
    env = dict(os.environ, MOTCUA_FAST_HASH="1")
    tmp = tempfile.mkdtemp(prefix="motcua-pgm-")
    db = os.path.join(tmp, "t.db")
    p = subprocess.run([binary, "init", "--db", db, "--demo"], env=env,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       timeout=900, cwd=tmp)
    if p.returncode != 0:
        rep.fail("pgm_init_sqlite", short(p.stderr, 1000))
        return rep.finish()
    logins = parse_logins(p.stdout.decode("utf-8", "replace"))
    name, url = pg_create_db(env)
    p = subprocess.run([binary, "migrate", "--from", "sqlite:" + db, "--to",
                        url], env=env, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, timeout=900)
    out = (p.stdout + p.stderr).decode("utf-8", "replace")
    if p.returncode != 0:
        rep.fail("pgm_migrate", "exit %d: %s" % (p.returncode,
                                                 short(out, 1000)))
        return rep.finish()
    rep.ok("pgm_migrate")
    con = sqlite3.connect(db)
    diff = []
    for t in TABLES:
        a = con.execute("SELECT COUNT(*) FROM %s" % t).fetchone()[0]
        b = pg_count(name, env, t)
        if a != b:
            diff.append("%s: %d vs %d" % (t, a, b))
    n_audit = con.execute("SELECT COUNT(*) FROM audit").fetchone()[0]
    con.close()
    if diff:
        rep.fail("pgm_row_counts", ", ".join(diff))
    else:
        rep.ok("pgm_row_counts")
    rc, text = run_audit(binary, url, env)
    m = re.search(r"intact: (\d+)", text)
    if rc == 0 and m and int(m.group(1)) == n_audit:
        rep.ok("pgm_audit_chain_preserved")
    else:
        rep.fail("pgm_audit_chain_preserved", "exit %d (want %d records): %s"
                 % (rc, n_audit, short(text)))
    srv = Server(binary, tmp, free_port(), env, url)
    try:
        srv.start()
        ctx = Ctx(Client("127.0.0.1", srv.port), srv, logins, "")
        r = ctx.c.request("POST", API + "/dossiers",
                          body={"procedure_code": PROC,
                                "receiving_unit_id": ctx.unit(BD["unit"]),
                                "applicant_name": "Sau Chuyển Đổi"},
                          token=ctx.tok(CITIZEN))
        if r.status == 201:
            rep.ok("pgm_serve_and_insert_after_copy")
        else:
            rep.fail("pgm_serve_and_insert_after_copy", "%d %s"
                     % (r.status, short(r.body)))
    except Exception as e:  # noqa: BLE001
        rep.fail("pgm_serve_and_insert_after_copy", repr(e))
    finally:
        rc = srv.stop()
        if rc == 0:
            rep.ok("pgm_server_sigterm_exit_0")
        else:
            rep.fail("pgm_server_sigterm_exit_0", "exit %s: %s"
                     % (rc, short(srv.stderr_text()[-2000:], 2000)))
    rc, text = run_audit(binary, url, env)
    if rc == 0:
        rep.ok("pgm_audit_verify_after_writes")
    else:
        rep.fail("pgm_audit_verify_after_writes", short(text))
    if rep.failed:
        sys.stderr.write("test_pg_migrate: files kept in %s\n" % tmp)
    else:
        shutil.rmtree(tmp, ignore_errors=True)
    return rep.finish()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
