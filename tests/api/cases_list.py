"""
cases_list.py - API tests of the dossier list GET /api/v1/dossiers (issue
7): every filter (state, q, mine, open, overdue) alone and combined, for every
kind of caller, against a direct expectation: the admin's full list
filtered in Python, restricted to the dossiers the caller may read one by
one (GET /dossiers/{id}: 200), ordered by due date (none last) then id.
Scoping (a citizen sees only own dossiers, an official the unit subtree
incl. the consulted and the receiving unit), 400 on bad query arguments,
total and total_capped (false here: the cap, 10,000 rows, is reached only
on the bulk database of bench/run.sh section 2). Also `motcua serve`'s
numeric options (issue 7: --writer-cache-mb and the rest): out of range,
it exits 2 naming the option, before it creates anything. Imported by
cases.py.
"""
import datetime
import itertools
import os
import subprocess
import urllib.parse

from cases import (ADMIN, API, BD, CITIZEN, CITIZEN2, HK, INSPECTOR, PARTNER,
                   STP, TZ, act_ok, create, drive, ts)
from lib import check, expect, expect_error, test

OPEN_STATES_EXCLUDED = {"refused", "stopped", "returned", "done", "rejected"}


def list_all(ctx, user, **query):
    """Every row of the list for user with query, paged by 500."""
    out, offset = [], 0
    while True:
        q = dict(query, limit=500, offset=offset)
        r = ctx.req(user, "GET", API + "/dossiers?" + urllib.parse.urlencode(q))
        expect(r, 200, "list as %s %r" % (user, q))
        page = r.json()
        check(page["total_capped"] is False,
              "small database, yet total_capped: %r" % page["total"])
        out += page["items"]
        offset += 500
        if offset >= page["total"]:
            check(len(out) == page["total"],
                  "total %d but %d rows as %s %r"
                  % (page["total"], len(out), user, query))
            return out


def order_key(d):
    due = ts(d["due_at"]).timestamp() if d["due_at"] else 0
    return (d["due_at"] is None, due, d["id"])


def visible_ids(ctx, user, rows):
    if user == ADMIN:
        return {d["id"] for d in rows}
    ids = set()
    for d in rows:
        r = ctx.req(user, "GET", "%s/dossiers/%d" % (API, d["id"]))
        check(r.status in (200, 403, 404),
              "read %d as %s: %d" % (d["id"], user, r.status))
        if r.status == 200:
            ids.add(d["id"])
    return ids


def matches(d, f, uid, now):
    if "state" in f and d["state"] != f["state"]:
        return False
    if "q" in f and f["q"].lower() not in (d["applicant_name"].lower() +
                                           " " + (d["code"] or "").lower()):
        return False
    if f.get("mine") == 1 and d["assignee_id"] != uid:
        return False
    if f.get("open") == 1 and d["state"] in OPEN_STATES_EXCLUDED:
        return False
    if f.get("overdue") == 1 and not (
            d["due_at"] and ts(d["due_at"]) < now and
            d["state"] not in OPEN_STATES_EXCLUDED):
        return False
    return True


@test
def test_list_filters_match_direct_expectation(ctx):
    tag = "Queuetest%d" % ctx.seq()
    # A small world: Ba Đình dossiers in every state, one assigned to the
    # specialist and overdue (test clock), one sent to the Department of
    # Justice for consultation, a Hoàn Kiếm one, a Department one (received
    # at its desk, handled by the department), one of another citizen.
    mine = [drive(ctx, "processing", applicant_name=tag + " Một")
            for _ in range(2)]
    drive(ctx, "received", applicant_name=tag + " Hai")
    drive(ctx, "submitted", applicant_name=tag + " Ba")
    drive(ctx, "pending_approval")
    # one the specialist finished: his, but no longer in his work queue
    done = drive(ctx, "pending_approval", applicant_name=tag + " Sáu")
    act_ok(ctx, BD["lead"], done["id"], "approve", "done")
    act_ok(ctx, BD["desk"], done["id"], "return_result", "returned")
    c = drive(ctx, "processing")
    future = (datetime.datetime.now(TZ).date() +
              datetime.timedelta(days=10)).isoformat()
    act_ok(ctx, BD["spec"], c["id"], "consult", "consulting",
           unit_id=ctx.unit(STP["unit"]), due=future, reason="Xin ý kiến")
    drive(ctx, "received", office=HK, applicant_name=tag + " Bốn")
    drive(ctx, "processing", office=STP)
    drive(ctx, "received", citizen=CITIZEN2, applicant_name=tag + " Năm")
    create(ctx, CITIZEN2, HK)
    rows = list_all(ctx, ADMIN)
    check({d["id"] for d in mine} <= {d["id"] for d in rows},
          "admin list lacks new dossiers")
    check(rows == sorted(rows, key=order_key), "admin list out of order")
    now = datetime.datetime.now(datetime.timezone.utc)
    near = [d for d in rows if d["due_at"] and
            abs((ts(d["due_at"]) - now).total_seconds()) < 300]
    filters = [{}, {"state": "processing"}, {"state": "received"},
               {"state": "consulting"}, {"state": "done"}, {"q": tag},
               {"q": tag.lower() + " mot"}, {"mine": 1}, {"overdue": 1},
               {"mine": 1, "state": "processing"},
               {"mine": 1, "overdue": 1}, {"open": 1}, {"mine": 1, "open": 1},
               {"open": 1, "overdue": 1}, {"open": 1, "state": "returned"},
               {"open": 1, "q": tag, "mine": 1},
               {"state": "received", "q": tag},
               {"state": "processing", "q": tag, "mine": 1},
               {"overdue": 1, "state": "processing", "mine": 1, "q": tag}]
    users = [ADMIN, INSPECTOR, BD["spec"], BD["lead"], BD["desk"],
             HK["lead"], STP["spec"], STP["desk"], CITIZEN, CITIZEN2]
    for user in users:
        seen = visible_ids(ctx, user, rows)
        uid = ctx.uid(user)
        for f in filters:
            if f.get("q", "").endswith(" mot"):
                continue  # folded search: checked below
            if f.get("overdue") and near:
                continue  # a due instant too close to now to judge
            want = [d["id"] for d in rows
                    if d["id"] in seen and matches(d, f, uid, now)]
            got = [d["id"] for d in list_all(ctx, user, **f)]
            check(got == want, "list as %s %r: got %r, want %r"
                  % (user, f, got[:20], want[:20]))
    # accent-insensitive search: "mot" finds "Một"
    got = [d["id"] for d in list_all(ctx, BD["spec"], q=tag.lower() + " mot")]
    check(sorted(got) == sorted(d["id"] for d in mine),
          "folded search: %r vs %r" % (got, [d["id"] for d in mine]))
    # his work queue holds his two processing dossiers; his whole list
    # also the one he finished
    q = list_all(ctx, BD["spec"], mine=1, open=1, q=tag)
    check(sorted(d["id"] for d in q) == sorted(d["id"] for d in mine),
          "his queue: %r" % q)
    q = list_all(ctx, BD["spec"], mine=1, q=tag)
    check(sorted(d["id"] for d in q) ==
          sorted([d["id"] for d in mine] + [done["id"]]),
          "his dossiers: %r" % q)
    # paging: limit/offset walk the same order
    full = [d["id"] for d in list_all(ctx, BD["lead"])]
    pages = []
    for off in range(0, len(full), 3):
        r = ctx.req(BD["lead"], "GET",
                    API + "/dossiers?limit=3&offset=%d" % off)
        expect(r, 200, "page at %d" % off)
        check(r.json()["total"] == len(full) and r.json()["limit"] == 3 and
              r.json()["offset"] == off, "page header %r" % r.json())
        pages += [d["id"] for d in r.json()["items"]]
    check(pages == full, "pages of 3 differ from the whole list")


@test
def test_list_scoping_and_refusals(ctx):
    d = drive(ctx, "received", citizen=CITIZEN2, office=HK)
    check(d["id"] not in {x["id"] for x in list_all(ctx, CITIZEN)},
          "a citizen sees another citizen's dossier")
    check(d["id"] in {x["id"] for x in list_all(ctx, CITIZEN2)},
          "a citizen misses own dossier")
    check(d["id"] not in {x["id"] for x in list_all(ctx, BD["lead"])},
          "Ba Đình sees a Hoàn Kiếm dossier")
    check(d["id"] in {x["id"] for x in list_all(ctx, HK["spec"])},
          "Hoàn Kiếm misses its dossier")
    # the consulted unit sees the dossier only once consulted
    p = drive(ctx, "processing")
    check(p["id"] not in {x["id"] for x in list_all(ctx, STP["spec"])},
          "department sees a ward dossier before consultation")
    future = (datetime.datetime.now(TZ).date() +
              datetime.timedelta(days=10)).isoformat()
    act_ok(ctx, BD["spec"], p["id"], "consult", "consulting",
           unit_id=ctx.unit(STP["unit"]), due=future, reason="Xin ý kiến")
    check(p["id"] in {x["id"] for x in list_all(ctx, STP["spec"],
                                                state="consulting")},
          "the consulted department misses the dossier")
    # anonymous 401, partner 403
    expect_error(ctx.c.request("GET", API + "/dossiers"), 401)
    expect_error(ctx.req(PARTNER, "GET", API + "/dossiers"), 403)
    for arg in ("state=bogus", "state=", "limit=0", "limit=501",
                "offset=-1", "mine=2", "mine=yes", "overdue=x",
                "open=2", "open=true",
                "q=" + "a" * 101, "q=%FF"):
        expect_error(ctx.req(BD["spec"], "GET", API + "/dossiers?" + arg),
                     400, what="GET /dossiers?" + arg)
    for arg in ("mine=0", "overdue=0", "mine=", "q=", "open=0", "open="):
        r = ctx.req(BD["spec"], "GET", API + "/dossiers?" + arg)
        expect(r, 200, "GET /dossiers?" + arg)
        check(r.json()["total_capped"] is False and
              isinstance(r.json()["total"], int), "page %r" % r.json())
    combos = itertools.product(["", "&state=processing"], ["", "&mine=1"],
                               ["", "&overdue=1"], ["", "&q=x"],
                               ["", "&open=1"])
    for c in combos:
        r = ctx.req(CITIZEN, "GET", API + "/dossiers?limit=5" + "".join(c))
        expect(r, 200, "citizen list %s" % "".join(c))


@test
def test_serve_refuses_bad_numeric_options(ctx):
    db = os.path.join(ctx.srv.tmp, "options.db")
    for opt, val, rng in (("--writer-cache-mb", "0", "1..65536"),
                          ("--writer-cache-mb", "65537", "1..65536"),
                          ("--writer-cache-mb", "16MB", "1..65536"),
                          ("--readers", "1025", "1..1024"),
                          ("--threads", "0", "1..64"),
                          ("--workers", "-1", "1..1024"),
                          ("--max-upload-mb", "2048", "1..1024"),
                          ("--eval-min-sample", "0", "1..1000000"),
                          ("--sweep-interval", "86401", "0..86400"),
                          ("--near-days", "31", "0..30")):
        p = subprocess.run([ctx.srv.binary, "serve", "--db", db, "--listen",
                            "127.0.0.1:1", opt, val],
                           env=ctx.srv.env, cwd=ctx.srv.tmp,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           timeout=30)
        err = p.stderr.decode()
        check(p.returncode == 2, "%s %s: exit %d" % (opt, val, p.returncode))
        check("%s must be %s" % (opt, rng) in err,
              "%s %s: stderr %r" % (opt, val, err))
        check(not os.path.exists(db), "%s %s created the database" % (opt, val))
