"""
cases.py - the API tests, run in definition order by run.py against one
server started on a fresh demo database. Every test creates the dossiers
it needs; the refusal tests compare the dossier before and after.
"""
import datetime
import hashlib
import http.client
import json
import os
import re
import threading
import unicodedata

from lib import (TestFailure, check, expect, expect_error, short, test)

API = "/api/v1"
PROC = "1.001193"            # Thủ tục đăng ký khai sinh (commune level)
PROC_OTHER = "1.000894"      # Thủ tục đăng ký kết hôn
PROC_INCOMPLETE = "2.000635"  # no time limit in the source
PROC_DEPT = "3.000333"       # Lý lịch tư pháp (Sở Tư pháp)

CITIZEN = "nguyenvanduc"
CITIZEN2 = "tranthimai"
ADMIN = "admin"
INSPECTOR = "thanhtra"
PARTNER = "dvcqg"
BD = {"desk": "badinh.tiepnhan", "spec": "badinh.chuyenvien",
      "lead": "badinh.lanhdao", "unit": "H26.00004", "recv": "H26.00004"}
HK = {"desk": "hoankiem.tiepnhan", "spec": "hoankiem.chuyenvien",
      "lead": "hoankiem.lanhdao", "unit": "H26.00070", "recv": "H26.00070"}
STP = {"desk": "stp.tiepnhan", "spec": "stp.chuyenvien",
       "lead": "stp.lanhdao", "unit": "H26.STP", "recv": "H26.STP.MC"}

DEMO_USERS = [ADMIN, INSPECTOR, BD["desk"], BD["spec"], BD["lead"],
              HK["desk"], HK["spec"], HK["lead"], STP["desk"], STP["spec"],
              STP["lead"], CITIZEN, CITIZEN2, PARTNER]

TZ = datetime.timezone(datetime.timedelta(hours=7))

# ---------------------------------------------------------------- helpers


def ts(s):
    check(isinstance(s, str), "expected a timestamp string, got %r" % (s,))
    try:
        return datetime.datetime.fromisoformat(s.replace("Z", "+00:00"))
    except ValueError:
        raise TestFailure("not an ISO 8601 timestamp: %r" % s)


def local_date(s):
    return ts(s).astimezone(TZ).date()


def create(ctx, user=CITIZEN, office=BD, proc=PROC, status=201, **extra):
    body = {"procedure_code": proc,
            "receiving_unit_id": ctx.unit(office["recv"]),
            "applicant_name": "Nguyễn Văn Đức",
            "applicant_phone": "0912345678",
            "summary": "Đăng ký khai sinh cho con"}
    if office["recv"] != office["unit"]:
        body["unit_id"] = ctx.unit(office["unit"])
    body.update(extra)
    r = ctx.req(user, "POST", API + "/dossiers", body)
    expect(r, status, "create dossier as %s" % user)
    return r.json()


def act(ctx, user, did, action, headers=None, **fields):
    body = {"action": action}
    body.update(fields)
    return ctx.req(user, "POST", "%s/dossiers/%d/transitions" % (API, did),
                   body, headers=headers)


def act_ok(ctx, user, did, action, state, **fields):
    r = act(ctx, user, did, action, **fields)
    expect(r, 200, "%s by %s" % (action, user))
    d = r.json()
    check(d.get("state") == state,
          "%s by %s: expected state %s, got %s" % (action, user, state,
                                                   d.get("state")))
    return d


def get(ctx, did, user=ADMIN):
    r = ctx.req(user, "GET", "%s/dossiers/%d" % (API, did))
    expect(r, 200, "read dossier %d as %s" % (did, user))
    return r.json()


def events(ctx, did, user=ADMIN):
    r = ctx.req(user, "GET", "%s/dossiers/%d/events" % (API, did))
    expect(r, 200, "events of %d" % did)
    items = r.json().get("items")
    check(isinstance(items, list), "events: no items list: %s" % short(r.body))
    return items


def drive(ctx, to, citizen=CITIZEN, office=BD, **create_extra):
    """A dossier of citizen at office brought to state `to`."""
    d = create(ctx, citizen, office, **create_extra)
    if to == "submitted":
        return d
    d = act_ok(ctx, office["desk"], d["id"], "receive", "received")
    if to == "received":
        return d
    d = act_ok(ctx, office["lead"], d["id"], "assign", "processing",
               assignee_id=ctx.uid(office["spec"]))
    if to == "processing":
        return d
    d = act_ok(ctx, office["spec"], d["id"], "submit_for_approval",
               "pending_approval", result="Hồ sơ đủ điều kiện")
    if to == "pending_approval":
        return d
    raise TestFailure("drive: unknown target state %s" % to)


def snap(ctx, did):
    d = get(ctx, did)
    return {"version": d["version"], "state": d["state"],
            "updated_at": d["updated_at"], "due_at": d["due_at"],
            "assignee_id": d["assignee_id"], "events": len(events(ctx, did))}


def unchanged(ctx, did, before, what):
    after = snap(ctx, did)
    check(after == before, "%s changed the dossier: before %s, after %s"
          % (what, before, after))


def refused(ctx, user, did, action, status, code=None, field=None,
            **fields):
    before = snap(ctx, did)
    r = act(ctx, user, did, action, **fields)
    expect_error(r, status, code, field, "%s by %s" % (action, user))
    unchanged(ctx, did, before, "refused '%s' by %s" % (action, user))
    return r


_components = {}


def components(ctx, code):
    if code not in _components:
        r = expect(ctx.c.request("GET", API + "/procedures/" + code), 200,
                   "procedure " + code)
        comps = r.json().get("components")
        check(isinstance(comps, list) and comps,
              "procedure %s has no components: %s" % (code, short(r.body)))
        _components[code] = [c["id"] for c in comps]
    return _components[code]


def list_total(ctx, user, **query):
    q = {"limit": "1"}
    q.update(query)
    r = ctx.req(user, "GET", API + "/dossiers", query=q)
    expect(r, 200, "list dossiers as %s" % user)
    return r.json()["total"]


def find_workday_after(ctx, user, did, start, action_fields):
    """Try reschedule dates from `start` on, skipping weekends and the
    dates the server calls non-working (422 not_a_working_day)."""
    day = start
    for _ in range(20):
        if day.weekday() < 5:
            r = act(ctx, user, did, "reschedule", due=day.isoformat(),
                    **action_fields)
            if not (r.status == 422 and
                    r.json().get("error", {}).get("code") ==
                    "not_a_working_day"):
                return day, r
        day += datetime.timedelta(days=1)
    raise TestFailure("no working day found after %s" % start)


# ---------------------------------------------------------------- basics


@test
def test_init_prints_demo_logins(ctx):
    out = ctx.init_output
    for u in DEMO_USERS:
        check(u in ctx.logins, "init output lacks demo login %r" % u)
    check(ctx.logins.get(ADMIN), "no admin password in init output: %s"
          % short(out, 600))


@test
def test_health(ctx):
    r = expect(ctx.c.request("GET", API + "/health"), 200)
    j = r.json()
    check(j.get("status") == "ok", "health status is not ok: %s"
          % short(r.body))
    check(r.header("Content-Type", ).startswith("application/json"),
          "health Content-Type %r" % r.header("Content-Type"))


@test
def test_openapi_served(ctx):
    r = expect(ctx.c.request("GET", API + "/openapi.json"), 200)
    j = r.json()
    check(isinstance(j, dict) and "openapi" in j, "no 'openapi' key")
    check(isinstance(j.get("paths"), dict) and j["paths"], "no 'paths'")


@test
def test_unknown_route_404(ctx):
    for p in (API + "/nope", API + "/dossiers/1/nope", API + "/"):
        r = ctx.c.request("GET", p)
        expect_error(r, 404, "unknown_route")
    r = ctx.req(ADMIN, "GET", API + "/dossiers/999999")
    expect_error(r, 404)


@test
def test_wrong_method_405(ctx):
    for m, p in (("DELETE", API + "/health"), ("PUT", API + "/procedures"),
                 ("POST", API + "/dossiers/1"),
                 ("PATCH", API + "/sessions/current")):
        r = ctx.c.request(m, p)
        expect_error(r, 405, "method_not_allowed")


# ---------------------------------------------------------------- sessions


@test
def test_login_ok_token_and_cookie(ctx):
    r = expect(ctx.login(ADMIN), 201)
    j = r.json()
    tok = j.get("token")
    check(isinstance(tok, str) and len(tok) >= 20, "no token: %s"
          % short(r.body))
    check(j.get("token_type") == "Bearer", "token_type %r"
          % j.get("token_type"))
    check(j.get("account", {}).get("username") == ADMIN,
          "account.username %r" % j.get("account"))
    check(j.get("account", {}).get("role") == "admin", "role %r"
          % j.get("account"))
    cookies = r.header_all("Set-Cookie")
    check(cookies, "no Set-Cookie on login")
    c = cookies[0]
    check(("mc_session=" + tok) in c, "cookie does not carry the token: %s"
          % c)
    check("httponly" in c.lower(), "cookie not HttpOnly: %s" % c)
    check("samesite" in c.lower(), "cookie without SameSite: %s" % c)
    check(r.header("Cache-Control") == "no-store",
          "login response Cache-Control %r" % r.header("Cache-Control"))


@test
def test_login_wrong_password_same_as_unknown_user(ctx):
    r1 = ctx.login(INSPECTOR, "wrong-password-1")
    e1 = expect_error(r1, 401, "invalid_credentials")
    r2 = ctx.login("khongtontai", "wrong-password-1")
    e2 = expect_error(r2, 401, "invalid_credentials")
    check(e1["message"] == e2["message"],
          "wrong password and unknown user differ: %r vs %r"
          % (e1["message"], e2["message"]))
    check(r1.header("WWW-Authenticate") is not None,
          "401 without WWW-Authenticate")
    # a good login resets the failure counter
    expect(ctx.login(INSPECTOR), 201, "inspector login after one failure")


@test
def test_login_bad_bodies(ctx):
    r = ctx.c.request("POST", API + "/sessions", body={"username": "admin"})
    expect_error(r, 400, field="password")
    r = ctx.c.request("POST", API + "/sessions",
                      body={"username": "admin", "password": "admin123!",
                            "remember": True})
    expect_error(r, 400, "unknown_field", "remember")
    r = ctx.c.request("POST", API + "/sessions",
                      body={"username": 5, "password": "x"})
    expect_error(r, 400, "wrong_type", "username")


@test
def test_bearer_and_cookie_both_work(ctx):
    tok = ctx.tok(CITIZEN)
    r = expect(ctx.c.request("GET", API + "/me", token=tok), 200, "bearer")
    check(r.json().get("username") == CITIZEN, "me via bearer: %s"
          % short(r.body))
    r = expect(ctx.c.request("GET", API + "/me",
                             cookie="mc_session=" + tok), 200, "cookie")
    check(r.json().get("username") == CITIZEN, "me via cookie: %s"
          % short(r.body))
    expect_error(ctx.c.request("GET", API + "/me"), 401, "unauthenticated")
    expect_error(ctx.c.request("GET", API + "/me", token="x" * 43), 401,
                 "invalid_session")


@test
def test_logout_revokes(ctx):
    r = expect(ctx.login(CITIZEN2), 201)
    tok = r.json()["token"]
    expect(ctx.c.request("GET", API + "/me", token=tok), 200)
    r = ctx.c.request("DELETE", API + "/sessions/current", token=tok)
    expect(r, 200, "logout")
    c = " ".join(r.header_all("Set-Cookie"))
    check("Max-Age=0" in c, "logout does not clear the cookie: %r" % c)
    expect_error(ctx.c.request("GET", API + "/me", token=tok), 401,
                 what="bearer after logout")
    expect_error(ctx.c.request("GET", API + "/me",
                               cookie="mc_session=" + tok), 401,
                 what="cookie after logout")
    expect_error(ctx.c.request("DELETE", API + "/sessions/current",
                               token=tok), 401, what="second logout")
    # the other sessions of the account are untouched
    expect(ctx.c.request("GET", API + "/me", token=ctx.tok(CITIZEN2)), 200)


@test
def test_lockout_after_five_failures(ctx):
    user = "khoa.thu%d" % ctx.seq()
    pw = "mat-khau-dung-1"
    r = ctx.c.request("POST", API + "/accounts",
                      body={"username": user, "password": pw,
                            "full_name": "Khóa Thử Nghiệm"})
    expect(r, 201, "citizen self-registration")
    expect(ctx.login(user, pw), 201, "first login")
    msg = None
    for i in range(5):
        e = expect_error(ctx.login(user, "sai-mat-khau-%d" % i), 401,
                         "invalid_credentials", what="failure %d" % (i + 1))
        msg = e["message"]
    r = ctx.login(user, pw)
    e = expect_error(r, 401, "invalid_credentials",
                     what="right password while locked")
    check(e["message"] == msg, "locked message differs from wrong-password "
          "message: %r vs %r" % (e["message"], msg))
    try:
        ctx.set_clock(16 * 60)
        expect(ctx.login(user, pw), 201, "login 16 minutes later")
    finally:
        ctx.set_clock(0)


# ---------------------------------------------------------------- catalog


def search_codes(ctx, q, **extra):
    query = {"q": q, "limit": "200"}
    query.update(extra)
    r = expect(ctx.c.request("GET", API + "/procedures", query=query), 200,
               "search %r" % q)
    j = r.json()
    check(isinstance(j.get("items"), list), "search: no items")
    return j


@test
def test_catalog_search_folding(ctx):
    queries = ["khai sinh", "đăng ký khai sinh", "dang ky khai sinh",
               "ĐĂNG KÝ KHAI SINH", "DANG KY KHAI SINH", "Đăng Ký Khai Sinh",
               "dăng ký khai sinh", "đang ky khai sinh", "thủ tục đăng ký",
               unicodedata.normalize("NFD", "Đăng ký khai sinh"), "1.0011"]
    bad = []
    for q in queries:
        j = search_codes(ctx, q)
        items = [i for i in j["items"] if i.get("code") == PROC]
        if not items:
            bad.append(q)
            continue
        check(items[0].get("name") == "Thủ tục đăng ký khai sinh",
              "name of %s: %r" % (PROC, items[0].get("name")))
    check(not bad, "search does not find %s for %r" % (PROC, bad))
    j = search_codes(ctx, "khai sinh xyzzy")
    check(j["total"] == 0 and not j["items"],
          "every word must match: 'khai sinh xyzzy' found %d" % j["total"])


@test
def test_catalog_flags_visible(ctx):
    j = search_codes(ctx, "khai sinh")
    it = [i for i in j["items"] if i["code"] == PROC][0]
    check(it.get("unit_assumed") is True,
          "%s should be unit_assumed: %s" % (PROC, it.get("unit_assumed")))
    check(it.get("incomplete") is False, "%s incomplete=%r"
          % (PROC, it.get("incomplete")))
    check("unit_assumed" in (it.get("flags") or []), "flags %r"
          % it.get("flags"))
    r = expect(ctx.c.request("GET", API + "/procedures",
                             query={"flag": "incomplete", "limit": "200"}),
               200)
    j = r.json()
    check(j["total"] > 0 and j["items"], "no incomplete procedures listed")
    for i in j["items"]:
        check(i.get("incomplete") is True and "incomplete" in i["flags"],
              "flag=incomplete lists %s with incomplete=%r flags=%r"
              % (i["code"], i.get("incomplete"), i.get("flags")))
    check(any(i["code"] == PROC_INCOMPLETE for i in j["items"]),
          "%s not among incomplete procedures" % PROC_INCOMPLETE)
    r = expect(ctx.c.request("GET", API + "/procedures",
                             query={"flag": "unit_assumed",
                                    "limit": "200"}), 200)
    j = r.json()
    check(all(i.get("unit_assumed") is True for i in j["items"]),
          "flag=unit_assumed lists a procedure without the flag")
    check(any(i["code"] == PROC for i in j["items"]),
          "%s not among unit_assumed procedures" % PROC)
    expect_error(ctx.c.request("GET", API + "/procedures",
                               query={"flag": "bogus"}), 400, field="flag")


@test
def test_procedure_detail_has_components(ctx):
    r = expect(ctx.c.request("GET", API + "/procedures/" + PROC), 200)
    j = r.json()
    check(j.get("code") == PROC, "code %r" % j.get("code"))
    comps = j.get("components")
    check(isinstance(comps, list) and len(comps) >= 1,
          "no components: %s" % short(r.body))
    for c in comps:
        check(isinstance(c.get("id"), int) and c.get("name"),
              "component without id/name: %r" % c)
    check(isinstance(j.get("steps"), list) and j["steps"],
          "no steps for a complete procedure")
    # by numeric version id, too
    r2 = expect(ctx.c.request("GET", API + "/procedures/%d" % j["id"]), 200)
    check(r2.json().get("code") == PROC, "by id: %s" % short(r2.body))
    expect_error(ctx.c.request("GET", API + "/procedures/9.999999"), 404)


# ---------------------------------------------------------------- lifecycles


@test
def test_online_lifecycle_to_returned(ctx):
    cit, desk = ctx.uid(CITIZEN), ctx.uid(BD["desk"])
    lead, spec = ctx.uid(BD["lead"]), ctx.uid(BD["spec"])
    d = create(ctx)
    did = d["id"]
    check(d["state"] == "submitted" and d["status"] == 1,
          "new dossier: %s/%s" % (d["state"], d["status"]))
    check(d["channel"] == 2, "citizen dossier channel %r" % d["channel"])
    check(d["code"] is None, "code before reception: %r" % d["code"])
    check(d["applicant_id"] == cit, "applicant_id %r" % d["applicant_id"])
    g = get(ctx, did, CITIZEN)
    check("request_withdrawal" in g["allowed_actions"] and
          "receive" not in g["allowed_actions"],
          "citizen allowed_actions %r" % g["allowed_actions"])
    g = get(ctx, did, BD["desk"])
    check("receive" in g["allowed_actions"], "desk allowed_actions %r"
          % g["allowed_actions"])

    d = act_ok(ctx, BD["desk"], did, "receive", "received")
    check(d["status"] == 2, "received status %r" % d["status"])
    m = re.match(r"^H26\.00004-(\d{6})-(\d{4})$", d["code"] or "")
    check(m, "code %r is not <agency>-YYMMDD-NNNN" % d["code"])
    rd = local_date(d["received_at"])
    check(m.group(1) == rd.strftime("%y%m%d"),
          "code date %s != reception date %s" % (m.group(1), rd))
    check(d["due_at"] is not None, "no due date after reception")
    check(ts(d["due_at"]) > ts(d["received_at"]), "due %s not after %s"
          % (d["due_at"], d["received_at"]))
    check(d["due_original"] == d["due_at"], "due_original %r vs %r"
          % (d["due_original"], d["due_at"]))
    check(isinstance(d["due_provenance"], dict) and d["due_provenance"],
          "due_provenance missing: %r" % d["due_provenance"])

    d = act_ok(ctx, BD["lead"], did, "assign", "processing",
               assignee_id=spec)
    check(d["assignee_id"] == spec, "assignee %r" % d["assignee_id"])
    check(d["status"] == 4, "processing status %r" % d["status"])
    d = act_ok(ctx, BD["spec"], did, "submit_for_approval",
               "pending_approval", result="Đủ điều kiện cấp giấy khai sinh")
    check(d["result"] == "Đủ điều kiện cấp giấy khai sinh", "result %r"
          % d["result"])
    d = act_ok(ctx, BD["lead"], did, "approve", "done")
    check(d["status"] == 9 and d["finished_at"], "done: %s/%s"
          % (d["status"], d["finished_at"]))
    d = act_ok(ctx, BD["desk"], did, "return_result", "returned")
    check(d["status"] == 10 and d["returned_at"], "returned: %s/%s"
          % (d["status"], d["returned_at"]))
    check(d["version"] == 6, "version after 5 transitions: %r" % d["version"])

    ev = events(ctx, did, CITIZEN)
    want = [("submit", "submitted", cit), ("receive", "received", desk),
            ("assign", "processing", lead),
            ("submit_for_approval", "pending_approval", spec),
            ("approve", "done", lead), ("return_result", "returned", desk)]
    got = [(e.get("action"), e.get("to_state"), e.get("actor_id"))
           for e in ev]
    check(got == want, "events %r, expected %r" % (got, want))
    for e in ev:
        check(e.get("at") and e.get("actor_role") and e.get("actor_name"),
              "event without time/actor: %r" % e)
        ts(e["at"])
    g = get(ctx, did, BD["desk"])
    ledger = g.get("ledger")
    check(isinstance(ledger, list) and len(ledger) >= 3,
          "ledger missing or short: %r" % ledger)
    for s in ledger:
        check(s.get("name") and s.get("unit_id") and s.get("arrived_at"),
              "ledger step incomplete: %r" % s)
        check(s.get("left_at") is not None,
              "ledger step still open after return: %r" % s)
    check(ledger[0].get("holder_id") == desk, "reception step holder %r"
          % ledger[0].get("holder_id"))
    check(g["allowed_actions"] == [], "closed dossier allows %r"
          % g["allowed_actions"])


@test
def test_counter_dossier_by_desk(ctx):
    d = create(ctx, BD["desk"], BD, applicant_name="Lê Văn Tại Quầy")
    check(d["channel"] == 1, "desk dossier channel %r" % d["channel"])
    check(d["applicant_id"] == 0, "counter applicant_id %r"
          % d["applicant_id"])
    d = act_ok(ctx, BD["desk"], d["id"], "receive", "received")
    check(re.match(r"^H26\.00004-\d{6}-\d{4}$", d["code"] or ""),
          "code %r" % d["code"])
    expect_error(ctx.req(CITIZEN, "GET", "%s/dossiers/%d" % (API, d["id"])),
                 403, what="citizen reads a counter dossier")
    # a desk officer may not record an online dossier, nor for another unit
    r = ctx.req(BD["desk"], "POST", API + "/dossiers",
                {"procedure_code": PROC, "channel": 2,
                 "receiving_unit_id": ctx.unit(BD["unit"]),
                 "applicant_name": "X"})
    expect_error(r, 400, "bad_channel", "channel")
    r = ctx.req(BD["desk"], "POST", API + "/dossiers",
                {"procedure_code": PROC,
                 "receiving_unit_id": ctx.unit(HK["unit"]),
                 "applicant_name": "X"})
    expect_error(r, 403)


@test
def test_department_counter_lifecycle(ctx):
    d = create(ctx, STP["desk"], STP, proc=PROC_DEPT,
               applicant_name="Phan Thị Lý Lịch")
    did = d["id"]
    check(d["unit_id"] == ctx.unit(STP["unit"]), "handling unit %r"
          % d["unit_id"])
    d = act_ok(ctx, STP["desk"], did, "receive", "received")
    check(re.match(r"^H26\.STP\.MC-\d{6}-\d{4}$", d["code"] or ""),
          "department code %r" % d["code"])
    act_ok(ctx, STP["lead"], did, "assign", "processing",
           assignee_id=ctx.uid(STP["spec"]))
    act_ok(ctx, STP["spec"], did, "submit_for_approval", "pending_approval",
           result="Không có án tích")
    act_ok(ctx, STP["lead"], did, "approve", "done")
    act_ok(ctx, STP["desk"], did, "return_result", "returned")


@test
def test_supplement_during_appraisal_moves_due(ctx):
    d = drive(ctx, "processing")
    did, old_due = d["id"], d["due_at"]
    comp = components(ctx, PROC)[0]
    r = act(ctx, BD["spec"], did, "request_supplement", components=[comp])
    expect_error(r, 400, "missing_field", "reason")
    d = act_ok(ctx, BD["spec"], did, "request_supplement", "supplement",
               components=[comp], reason="Thiếu giấy chứng sinh bản chính")
    check(d["status"] == 5, "supplement status %r" % d["status"])
    check(d["supplement_requests"] == 1, "supplement_requests %r"
          % d["supplement_requests"])
    check(d["paused_since"] is not None, "clock not paused")
    try:
        ctx.set_clock(3 * 86400)
        d = act_ok(ctx, CITIZEN, did, "supplement_received", "processing")
    finally:
        ctx.set_clock(0)
    check(d["paused_since"] is None, "still paused: %r" % d["paused_since"])
    check(d["paused_seconds"] >= 3 * 86400 - 120, "paused_seconds %r"
          % d["paused_seconds"])
    check(d["due_at"] and ts(d["due_at"]) > ts(old_due),
          "due did not move: %s -> %s" % (old_due, d["due_at"]))
    ev = events(ctx, did)
    sr = [e for e in ev if e["action"] == "request_supplement"]
    check(sr and [c["id"] for c in sr[0]["data"].get("components", [])] ==
          [comp], "request_supplement event data %r"
          % (sr[0]["data"] if sr else None))
    last = ev[-1]
    check(last["action"] == "supplement_received", "last event %r"
          % last["action"])
    check(last["data"].get("old_due") == old_due and
          last["data"].get("new_due") == d["due_at"],
          "supplement_received data %r (old %s new %s)"
          % (last["data"], old_due, d["due_at"]))


@test
def test_refuse_at_intake_with_reason(ctx):
    d = drive(ctx, "submitted")
    did = d["id"]
    refused(ctx, BD["desk"], did, "refuse", 400, "missing_field", "reason")
    refused(ctx, BD["desk"], did, "refuse", 400, "missing_field", "reason",
            reason="")
    d = act_ok(ctx, BD["desk"], did, "refuse", "refused",
               reason="Hồ sơ không thuộc thẩm quyền")
    check(d["status"] == 3 and d["refused_at"], "refused: %s/%s"
          % (d["status"], d["refused_at"]))
    check(d["code"] is None, "a refused dossier got a code %r" % d["code"])
    ev = events(ctx, did, CITIZEN)
    check(ev[-1]["reason"] == "Hồ sơ không thuộc thẩm quyền",
          "refusal reason not recorded: %r" % ev[-1])
    refused(ctx, BD["desk"], did, "receive", 409, "invalid_transition")


@test
def test_intake_supplement_then_resubmit(ctx):
    d = drive(ctx, "submitted")
    did = d["id"]
    refused(ctx, BD["desk"], did, "request_intake_supplement", 400,
            "missing_field", "components")
    comps = components(ctx, PROC)
    d = act_ok(ctx, BD["desk"], did, "request_intake_supplement",
               "intake_supplement", components=comps[:2],
               reason="Bổ sung tờ khai")
    check(d["code"] is None and d["due_at"] is None,
          "clock started before reception: code %r due %r"
          % (d["code"], d["due_at"]))
    refused(ctx, BD["desk"], did, "receive", 409, "invalid_transition")
    refused(ctx, CITIZEN2, did, "resubmit", 403)
    act_ok(ctx, CITIZEN, did, "resubmit", "submitted")
    d = act_ok(ctx, BD["desk"], did, "receive", "received")
    check(d["code"] and d["due_at"], "received after resubmit: %r/%r"
          % (d["code"], d["due_at"]))


@test
def test_reschedule_once(ctx):
    d = drive(ctx, "processing")
    did, old_due = d["id"], d["due_at"]
    refused(ctx, BD["lead"], did, "reschedule", 400, "missing_field", "due",
            reason="Xin lỗi vì chậm trễ")
    refused(ctx, BD["spec"], did, "reschedule", 403,
            due=(local_date(old_due) + datetime.timedelta(days=10))
            .isoformat(), reason="x")
    start = local_date(old_due) + datetime.timedelta(days=7)
    day, r = find_workday_after(ctx, BD["lead"], did, start,
                                {"reason": "Xin lỗi vì chậm trễ"})
    expect(r, 200, "first reschedule")
    d = r.json()
    check(d["reschedules"] == 1, "reschedules %r" % d["reschedules"])
    check(local_date(d["due_at"]) == day, "new due %s, asked for %s"
          % (d["due_at"], day))
    check(d["due_original"] == old_due, "due_original changed: %r -> %r"
          % (old_due, d["due_original"]))
    check("reschedule" not in get(ctx, did, BD["lead"])["allowed_actions"],
          "reschedule still offered after one")
    refused(ctx, BD["lead"], did, "reschedule", 409, "already_rescheduled",
            due=(day + datetime.timedelta(days=7)).isoformat(),
            reason="Lần hai")


@test
def test_withdrawal_then_stop(ctx):
    d = drive(ctx, "processing")
    did = d["id"]
    refused(ctx, CITIZEN2, did, "request_withdrawal", 403)
    d = act_ok(ctx, CITIZEN, did, "request_withdrawal", "withdraw_requested")
    check(d["status"] == 7, "withdraw status %r" % d["status"])
    refused(ctx, BD["lead"], did, "stop", 400, "missing_field", "reason")
    refused(ctx, HK["lead"], did, "stop", 403, reason="x")
    d = act_ok(ctx, BD["lead"], did, "stop", "stopped",
               reason="Công dân rút hồ sơ")
    check(d["status"] == 8 and d["stopped_at"], "stopped: %s/%s"
          % (d["status"], d["stopped_at"]))
    refused(ctx, CITIZEN, did, "request_withdrawal", 409,
            "invalid_transition")


@test
def test_reject_then_return(ctx):
    d = drive(ctx, "processing")
    did = d["id"]
    refused(ctx, BD["lead"], did, "reject", 400, "missing_field", "reason")
    d = act_ok(ctx, BD["lead"], did, "reject", "rejected",
               reason="Không đủ điều kiện")
    check(d["status"] == 9 and d["finished_at"], "rejected: %s/%s"
          % (d["status"], d["finished_at"]))
    refused(ctx, BD["lead"], did, "approve", 409, "invalid_transition")
    act_ok(ctx, BD["desk"], did, "return_result", "returned")


@test
def test_consult_and_reply(ctx):
    d = drive(ctx, "processing")
    did = d["id"]
    stp = ctx.unit(STP["unit"])
    future = (datetime.datetime.now(TZ).date() +
              datetime.timedelta(days=10)).isoformat()
    past = (datetime.datetime.now(TZ).date() -
            datetime.timedelta(days=2)).isoformat()
    refused(ctx, BD["spec"], did, "consult", 400, "missing_field", "unit_id",
            due=future, reason="Xin ý kiến")
    refused(ctx, BD["spec"], did, "consult", 422, "bad_due", "due",
            unit_id=stp, due=past, reason="Xin ý kiến")
    expect_error(ctx.req(STP["spec"], "GET", "%s/dossiers/%d" % (API, did)),
                 403, what="department reads before consultation")
    d = act_ok(ctx, BD["spec"], did, "consult", "consulting", unit_id=stp,
               due=future, reason="Xin ý kiến Sở Tư pháp")
    check(d["consult_unit_id"] == stp, "consult_unit_id %r"
          % d["consult_unit_id"])
    check(d["consult_due"] is not None, "consult_due missing")
    get(ctx, did, STP["spec"])  # the consulted unit can read it
    refused(ctx, HK["spec"], did, "consult_reply", 403, reason="x")
    refused(ctx, BD["spec"], did, "consult_reply", 403, reason="x")
    refused(ctx, STP["spec"], did, "consult_reply", 400, "missing_field",
            "reason")
    d = act_ok(ctx, STP["spec"], did, "consult_reply", "processing",
               reason="Sở Tư pháp thống nhất")
    check(d["consult_unit_id"] is None, "consult_unit_id after reply %r"
          % d["consult_unit_id"])
    ev = events(ctx, did)
    check(ev[-1]["action"] == "consult_reply" and
          ev[-1]["actor_id"] == ctx.uid(STP["spec"]) and
          ev[-1]["data"].get("late") is False,
          "consult_reply event %r" % ev[-1])


@test
def test_incomplete_procedure_cannot_start_clock(ctx):
    d = create(ctx, proc=PROC_INCOMPLETE)
    refused(ctx, BD["desk"], d["id"], "receive", 409, "procedure_incomplete")


# ---------------------------------------------------------------- refusals


@test
def test_refuse_wrong_role(ctx):
    d = drive(ctx, "pending_approval")
    did = d["id"]
    refused(ctx, CITIZEN, did, "approve", 403, "role_not_allowed")
    refused(ctx, BD["spec"], did, "approve", 403, "role_not_allowed")
    refused(ctx, BD["desk"], did, "approve", 403, "role_not_allowed")
    refused(ctx, INSPECTOR, did, "approve", 403, "role_not_allowed")
    refused(ctx, ADMIN, did, "approve", 403, "role_not_allowed")
    refused(ctx, PARTNER, did, "approve", 403, "role_not_allowed")
    refused(ctx, CITIZEN, did, "assign", 403, "role_not_allowed",
            assignee_id=ctx.uid(BD["spec"]))
    r = ctx.req(INSPECTOR, "POST", API + "/dossiers",
                {"procedure_code": PROC,
                 "receiving_unit_id": ctx.unit(BD["unit"]),
                 "applicant_name": "X"})
    expect_error(r, 403, what="inspector creates a dossier")
    r = ctx.req(CITIZEN, "POST", API + "/dossiers",
                {"procedure_code": PROC, "channel": 1,
                 "receiving_unit_id": ctx.unit(BD["unit"]),
                 "applicant_name": "X"})
    expect_error(r, 400, "bad_channel", "channel")


@test
def test_refuse_wrong_unit(ctx):
    d = drive(ctx, "submitted")
    did = d["id"]
    refused(ctx, HK["desk"], did, "receive", 403, "out_of_scope")
    refused(ctx, HK["desk"], did, "refuse", 403, "out_of_scope", reason="x")
    for u in (HK["desk"], HK["spec"], HK["lead"]):
        for p in ("", "/events", "/files"):
            expect_error(ctx.req(u, "GET", "%s/dossiers/%d%s"
                                 % (API, did, p)), 403,
                         what="%s reads %s" % (u, p or "dossier"))
    r = expect(ctx.req(HK["desk"], "GET", API + "/dossiers",
                       query={"limit": "500"}), 200)
    check(did not in [i["id"] for i in r.json()["items"]],
          "another commune's desk lists dossier %d" % did)
    act_ok(ctx, BD["desk"], did, "receive", "received")
    refused(ctx, HK["lead"], did, "assign", 403, "out_of_scope",
            assignee_id=ctx.uid(HK["spec"]))
    act_ok(ctx, BD["lead"], did, "assign", "processing",
           assignee_id=ctx.uid(BD["spec"]))
    refused(ctx, HK["spec"], did, "submit_for_approval", 403, "out_of_scope",
            result="x")
    act_ok(ctx, BD["spec"], did, "submit_for_approval", "pending_approval",
           result="ok")
    refused(ctx, HK["lead"], did, "approve", 403, "out_of_scope")
    refused(ctx, STP["lead"], did, "approve", 403, "out_of_scope")


@test
def test_refuse_wrong_state(ctx):
    d = drive(ctx, "submitted")
    did = d["id"]
    refused(ctx, BD["lead"], did, "approve", 409, "invalid_transition")
    refused(ctx, BD["desk"], did, "return_result", 409, "invalid_transition")
    refused(ctx, CITIZEN, did, "resubmit", 409, "invalid_transition")
    refused(ctx, CITIZEN, did, "supplement_received", 409,
            "invalid_transition")
    refused(ctx, BD["lead"], did, "assign", 409, "invalid_transition",
            assignee_id=ctx.uid(BD["spec"]))


@test
def test_citizen_cannot_read_other_citizens_dossier(ctx):
    d = drive(ctx, "submitted", citizen=CITIZEN)
    did = d["id"]
    for p in ("", "/events", "/files"):
        expect_error(ctx.req(CITIZEN2, "GET", "%s/dossiers/%d%s"
                             % (API, did, p)), 403,
                     what="other citizen reads %s" % (p or "dossier"))
    refused(ctx, CITIZEN2, did, "request_withdrawal", 403)
    r = expect(ctx.req(CITIZEN2, "GET", API + "/dossiers",
                       query={"limit": "500"}), 200)
    check(did not in [i["id"] for i in r.json()["items"]],
          "another citizen lists dossier %d" % did)


@test
def test_unauthenticated_401(ctx):
    d = drive(ctx, "submitted")
    did = d["id"]
    before = snap(ctx, did)
    for m, p, b in (("GET", "/dossiers/%d" % did, None),
                    ("GET", "/dossiers/%d/events" % did, None),
                    ("GET", "/dossiers", None),
                    ("POST", "/dossiers", {"procedure_code": PROC}),
                    ("POST", "/dossiers/%d/transitions" % did,
                     {"action": "request_withdrawal"}),
                    ("GET", "/me", None), ("GET", "/accounts", None)):
        r = ctx.c.request(m, API + p, body=b)
        expect_error(r, 401, "unauthenticated", what="anonymous %s %s"
                     % (m, p))
        check(r.header("WWW-Authenticate"), "401 without WWW-Authenticate")
    unchanged(ctx, did, before, "anonymous requests")


@test
def test_unknown_action_400(ctx):
    d = drive(ctx, "submitted")
    refused(ctx, BD["desk"], d["id"], "teleport", 400, "unknown_action",
            "action")
    refused(ctx, BD["desk"], d["id"], "", 400)


@test
def test_unknown_field_400(ctx):
    d = drive(ctx, "submitted")
    refused(ctx, BD["desk"], d["id"], "receive", 400, "unknown_field",
            "bogus", bogus=1)
    total = list_total(ctx, CITIZEN)
    r = ctx.req(CITIZEN, "POST", API + "/dossiers",
                {"procedure_code": PROC,
                 "receiving_unit_id": ctx.unit(BD["unit"]),
                 "applicant_name": "X", "state": "done"})
    expect_error(r, 400, "unknown_field", "state")
    check(list_total(ctx, CITIZEN) == total, "a refused create created one")


@test
def test_wrong_types_400(ctx):
    d = drive(ctx, "received")
    did = d["id"]
    for fields, field in (({"action": 5}, "action"),
                          ({"action": "assign", "assignee_id": "12"},
                           "assignee_id"),
                          ({"action": "assign", "assignee_id": 1.5},
                           "assignee_id"),
                          ({"action": "receive", "version": "1"}, "version"),
                          ({"action": "refuse", "reason": ["x"]}, "reason"),
                          ({"action": "request_supplement",
                            "components": "1"}, "components"),
                          ({"action": "request_supplement",
                            "components": ["1"]}, "components"),
                          ({"action": "reschedule", "due": 20250101},
                           "due"),
                          ({"action": "reschedule", "due": "next week"},
                           "due")):
        before = snap(ctx, did)
        r = ctx.req(BD["lead"], "POST", "%s/dossiers/%d/transitions"
                    % (API, did), fields)
        expect_error(r, 400, field=field, what="body %s" % json.dumps(fields))
        unchanged(ctx, did, before, "body %s" % json.dumps(fields))
    total = list_total(ctx, CITIZEN)
    for body, field in (({"procedure_code": PROC, "receiving_unit_id": "1",
                          "applicant_name": "X"}, "receiving_unit_id"),
                        ({"procedure_code": PROC,
                          "receiving_unit_id": ctx.unit(BD["unit"]),
                          "applicant_name": 5}, "applicant_name"),
                        ({"procedure_code": 1.001193,
                          "receiving_unit_id": ctx.unit(BD["unit"]),
                          "applicant_name": "X"}, "procedure_code"),
                        ({"procedure_code": PROC,
                          "receiving_unit_id": ctx.unit(BD["unit"]),
                          "applicant_name": "X", "channel": True},
                         "channel")):
        r = ctx.req(CITIZEN, "POST", API + "/dossiers", body)
        expect_error(r, 400, field=field, what="create %s" % field)
    check(list_total(ctx, CITIZEN) == total, "a refused create created one")


def raw_transition(ctx, user, did, data, ctype="application/json"):
    return ctx.c.request("POST", "%s/dossiers/%d/transitions" % (API, did),
                         body=data, token=ctx.tok(user), ctype=ctype)


@test
def test_malformed_json_400(ctx):
    d = drive(ctx, "submitted")
    did = d["id"]
    for data in (b'{"action":', b'{"action":"receive"', b"[1,2]", b'"x"',
                 b"{action: receive}", b'{"action":"receive"} trailing',
                 b'{"action":"receive","action":"refuse"}'):
        before = snap(ctx, did)
        expect_error(raw_transition(ctx, BD["desk"], did, data), 400,
                     "malformed_json", what="body %r" % data)
        unchanged(ctx, did, before, "malformed body %r" % data)
    expect_error(raw_transition(ctx, BD["desk"], did, b""), 400,
                 what="empty body")
    r = raw_transition(ctx, BD["desk"], did, b'{"action":"receive"}',
                       ctype="text/plain")
    expect_error(r, 415, what="text/plain body")
    check(get(ctx, did)["state"] == "submitted", "a refused body acted")


@test
def test_invalid_utf8_400(ctx):
    d = drive(ctx, "submitted")
    did = d["id"]
    before = snap(ctx, did)
    for data in (b'{"action":"refuse","reason":"L\xfd do \xff\xfe"}',
                 b'{"action":"refuse","reason":"\xc3\x28"}',
                 b'{"action":"refuse","reason":"\xed\xa0\x80"}',
                 b'{"action":"refuse","reason":"\xc0\xaf"}'):
        expect_error(raw_transition(ctx, BD["desk"], did, data), 400,
                     what="invalid UTF-8 %r" % data)
    unchanged(ctx, did, before, "invalid UTF-8 bodies")
    total = list_total(ctx, CITIZEN)
    body = ('{"procedure_code":"%s","receiving_unit_id":%d,'
            '"applicant_name":"Nguy\xe1\xbb' % (PROC, ctx.unit(BD["unit"])))
    data = body.encode("latin-1") + b'\xff n"}'
    r = ctx.c.request("POST", API + "/dossiers", body=data,
                      token=ctx.tok(CITIZEN))
    expect_error(r, 400, what="create with invalid UTF-8")
    check(list_total(ctx, CITIZEN) == total, "invalid UTF-8 created one")


@test
def test_oversize_body_413(ctx):
    d = drive(ctx, "submitted")
    did = d["id"]
    before = snap(ctx, did)
    big = b'{"action":"refuse","reason":"' + b"a" * (1 << 20) + b'"}'
    expect_error(raw_transition(ctx, BD["desk"], did, big), 413,
                 "body_too_large")
    unchanged(ctx, did, before, "oversize body")
    total = list_total(ctx, CITIZEN)
    big = ('{"procedure_code":"%s","receiving_unit_id":%d,'
           '"applicant_name":"X","summary":"' % (PROC, ctx.unit(BD["unit"]))
           ).encode() + b"b" * (2 << 20) + b'"}'
    r = ctx.c.request("POST", API + "/dossiers", body=big,
                      token=ctx.tok(CITIZEN))
    expect_error(r, 413, "body_too_large")
    check(list_total(ctx, CITIZEN) == total, "oversize create created one")
    # the server still answers afterwards
    expect(ctx.c.request("GET", API + "/health"), 200)


@test
def test_component_not_in_procedure_422(ctx):
    other = components(ctx, PROC_OTHER)
    mine = set(components(ctx, PROC))
    foreign = [c for c in other if c not in mine]
    check(foreign, "no component of %s outside %s" % (PROC_OTHER, PROC))
    d = drive(ctx, "submitted")
    refused(ctx, BD["desk"], d["id"], "request_intake_supplement", 422,
            "component_not_required", "components", components=foreign[:1])
    refused(ctx, BD["desk"], d["id"], "request_intake_supplement", 422,
            "component_not_required", "components",
            components=[components(ctx, PROC)[0], foreign[0]])
    d = drive(ctx, "processing")
    refused(ctx, BD["spec"], d["id"], "request_supplement", 422,
            "component_not_required", "components", components=foreign[:1],
            reason="x")


@test
def test_assign_to_citizen_422(ctx):
    d = drive(ctx, "received")
    did = d["id"]
    refused(ctx, BD["lead"], did, "assign", 400, "missing_field",
            "assignee_id")
    for who in (ctx.uid(CITIZEN), ctx.uid(BD["desk"]), ctx.uid(HK["spec"]),
                ctx.uid(INSPECTOR), 99999999):
        refused(ctx, BD["lead"], did, "assign", 422, "bad_assignee",
                "assignee_id", assignee_id=who)


@test
def test_stale_version_409(ctx):
    d = drive(ctx, "submitted")
    refused(ctx, BD["desk"], d["id"], "receive", 409, "stale_version",
            "version", version=d["version"] + 1)
    act_ok(ctx, BD["desk"], d["id"], "receive", "received",
           version=d["version"])


# ---------------------------------------------------------------- idempotency


@test
def test_idempotent_create(ctx):
    key = "api-test-create-%d" % ctx.seq()
    body = {"procedure_code": PROC, "receiving_unit_id": ctx.unit(BD["unit"]),
            "applicant_name": "Đinh Thị Một Lần"}
    total = list_total(ctx, CITIZEN)
    r1 = ctx.req(CITIZEN, "POST", API + "/dossiers", body,
                 headers={"Idempotency-Key": key})
    expect(r1, 201, "first create")
    r2 = ctx.req(CITIZEN, "POST", API + "/dossiers", body,
                 headers={"Idempotency-Key": key})
    expect(r2, 201, "retried create")
    check(r1.body == r2.body, "replay differs: %s vs %s"
          % (short(r1.body), short(r2.body)))
    check(r2.header("Idempotent-Replayed") == "true",
          "no Idempotent-Replayed header on the replay")
    check(list_total(ctx, CITIZEN) == total + 1,
          "expected one new dossier, total %d -> %d"
          % (total, list_total(ctx, CITIZEN)))
    body2 = dict(body, applicant_name="Đinh Thị Hai Lần")
    r3 = ctx.req(CITIZEN, "POST", API + "/dossiers", body2,
                 headers={"Idempotency-Key": key})
    expect_error(r3, 422, "idempotency_mismatch")
    check(list_total(ctx, CITIZEN) == total + 1,
          "a mismatched key created a dossier")
    # keys belong to one account: another citizen's same key is new
    t2 = list_total(ctx, CITIZEN2)
    r4 = ctx.req(CITIZEN2, "POST", API + "/dossiers", body,
                 headers={"Idempotency-Key": key})
    expect(r4, 201, "same key, other account")
    check(r4.json()["id"] != r1.json()["id"] and
          r4.json()["applicant_id"] == ctx.uid(CITIZEN2),
          "another account got the first account's replay: %s"
          % short(r4.body))
    check(list_total(ctx, CITIZEN2) == t2 + 1, "other account: no dossier")
    r = ctx.req(CITIZEN, "POST", API + "/dossiers", body,
                headers={"Idempotency-Key": "k" * 129})
    expect_error(r, 400, "bad_idempotency_key")


@test
def test_idempotent_create_concurrent_retries(ctx):
    """Twelve connections send the same keyed create at once: the writes
    wait in one group commit while their connections are suspended, and
    every answer is the one dossier (the losers replay the stored answer)."""
    key = "api-test-burst-%d" % ctx.seq()
    body = {"procedure_code": PROC, "receiving_unit_id": ctx.unit(BD["unit"]),
            "applicant_name": "Đinh Thị Cùng Lúc"}
    total = list_total(ctx, CITIZEN)
    tok = ctx.tok(CITIZEN)
    answers, lock = [], threading.Lock()
    gate = threading.Barrier(12)

    def send():
        c = ctx.c.conn()
        try:
            gate.wait()
            r = ctx.c.request("POST", API + "/dossiers", body=body, token=tok,
                              headers={"Idempotency-Key": key}, conn=c)
            with lock:
                answers.append(r)
        finally:
            c.close()

    ths = [threading.Thread(target=send) for _ in range(12)]
    for t in ths:
        t.start()
    for t in ths:
        t.join()
    check(len(answers) == 12, "%d answers of 12" % len(answers))
    for r in answers:
        expect(r, 201, "keyed create")
    ids = {r.json()["id"] for r in answers}
    check(len(ids) == 1, "one key gave %d dossiers: %s" % (len(ids), ids))
    check(len({r.body for r in answers}) == 1, "the answers differ")
    check(list_total(ctx, CITIZEN) == total + 1,
          "expected one new dossier, total %d -> %d"
          % (total, list_total(ctx, CITIZEN)))


@test
def test_idempotent_transition(ctx):
    d = drive(ctx, "submitted")
    did = d["id"]
    key = "api-test-receive-%d" % ctx.seq()
    r1 = act(ctx, BD["desk"], did, "receive",
             headers={"Idempotency-Key": key})
    expect(r1, 200, "receive")
    r2 = act(ctx, BD["desk"], did, "receive",
             headers={"Idempotency-Key": key})
    expect(r2, 200, "retried receive")
    check(r1.body == r2.body, "replay differs")
    n = [e["action"] for e in events(ctx, did)].count("receive")
    check(n == 1, "%d receive events after a retried receive" % n)
    check(get(ctx, did)["version"] == 2, "version moved twice")


# ---------------------------------------------------------------- public


@test
def test_public_lookup_without_personal_data(ctx):
    pii = {"applicant_name": "Hứa Thị Bảo Ngọc Riêngtư",
           "applicant_phone": "0901234567",
           "applicant_id_number": "079123456789",
           "applicant_email": "ngoc.riengtu@example.vn",
           "applicant_address": "Số 12 ngõ Bí Mật, phường Ba Đình"}
    d = create(ctx, CITIZEN, BD, **pii)
    d = act_ok(ctx, BD["desk"], d["id"], "receive", "received")
    code = d["code"]
    r = expect(ctx.c.request("GET", API + "/public/dossiers/" + code), 200,
               "public lookup")
    j = r.json()
    check(j.get("code") == code, "code %r" % j.get("code"))
    check(j.get("state") == "received" and j.get("status") == 2,
          "state/status %r/%r" % (j.get("state"), j.get("status")))
    for k in ("submitted_at", "received_at", "due_at"):
        check(j.get(k), "public view lacks %s" % k)
    ru = j.get("receiving_unit") or {}
    check(ru.get("name") and ru.get("code") == BD["unit"],
          "receiving unit %r" % ru)
    text = r.body.decode("utf-8") + json.dumps(j, ensure_ascii=False)
    leaks = [k for k, v in pii.items() if v in text or
             v.lower() in text.lower()]
    check(not leaks, "public view leaks %s: %s" % (leaks, short(r.body,
                                                                 1000)))
    check("applicant" not in text, "public view has applicant fields: %s"
          % short(r.body, 1000))
    expect_error(ctx.c.request("GET", API + "/public/dossiers/"
                               "H26.00004-991231-9999"), 404)


# ---------------------------------------------------------------- files

PDF = (b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n"
       b"trailer << /Root 1 0 R >>\n%%EOF\n")


def upload(ctx, user, did, data, ctype, comp=0, name="giay-chung-sinh.pdf"):
    q = {"name": name}
    if comp:
        q["component_id"] = str(comp)
    return ctx.c.request("POST", "%s/dossiers/%d/files" % (API, did),
                         body=data, ctype=ctype, query=q,
                         token=ctx.tok(user) if user else None)


@test
def test_attachment_upload_download(ctx):
    d = drive(ctx, "submitted")
    did = d["id"]
    comp = components(ctx, PROC)[0]
    data = PDF + b"%% test " + str(ctx.seq()).encode() + b"\n"
    r = upload(ctx, CITIZEN, did, data, "application/pdf", comp,
               "Giấy chứng sinh.pdf")
    expect(r, 201, "upload")
    j = r.json()
    check(j.get("sha256") == hashlib.sha256(data).hexdigest(),
          "sha256 %r" % j.get("sha256"))
    check(j.get("size") == len(data) and j.get("mime") == "application/pdf",
          "upload answer %s" % short(r.body))
    fid = j["id"]
    r = expect(ctx.req(BD["desk"], "GET", "%s/dossiers/%d/files"
                       % (API, did)), 200)
    check(fid in [f.get("id") for f in r.json()["items"]],
          "uploaded file not listed: %s" % short(r.body))
    for who in (CITIZEN, BD["desk"]):
        r = expect(ctx.req(who, "GET", "%s/dossiers/%d/files/%d"
                           % (API, did, fid)), 200, "download as " + who)
        check(r.body == data, "downloaded bytes differ (%d vs %d bytes)"
              % (len(r.body), len(data)))
        check((r.header("Content-Type") or "").startswith("application/pdf"),
              "download Content-Type %r" % r.header("Content-Type"))
    expect_error(ctx.req(CITIZEN2, "GET", "%s/dossiers/%d/files/%d"
                         % (API, did, fid)), 403,
                 what="other citizen downloads")
    expect_error(ctx.req(CITIZEN, "GET", "%s/dossiers/%d/files/999999"
                         % (API, did)), 404)


@test
def test_attachment_type_checked_415(ctx):
    d = drive(ctx, "submitted")
    did = d["id"]
    expect_error(upload(ctx, CITIZEN, did, b"just some text, not a PDF\n",
                        "application/pdf"), 415, what="text as PDF")
    expect_error(upload(ctx, CITIZEN, did, PDF, "image/png"), 415,
                 what="PDF labelled image/png")
    expect_error(upload(ctx, CITIZEN, did, b"<html>hi</html>", "text/html"),
                 415, what="HTML")
    r = expect(ctx.req(CITIZEN, "GET", "%s/dossiers/%d/files" % (API, did)),
               200)
    check(r.json()["items"] == [], "refused uploads were attached: %s"
          % short(r.body))


@test
def test_attachment_other_citizen_403(ctx):
    d = drive(ctx, "submitted", citizen=CITIZEN2)
    did = d["id"]
    expect_error(upload(ctx, CITIZEN, did, PDF, "application/pdf"), 403,
                 what="upload to another citizen's dossier")
    expect_error(upload(ctx, HK["desk"], did, PDF, "application/pdf"), 403,
                 what="upload by another commune")
    expect_error(upload(ctx, None, did, PDF, "application/pdf"), 401,
                 what="anonymous upload")
    other = [c for c in components(ctx, PROC_OTHER)
             if c not in components(ctx, PROC)]
    expect_error(upload(ctx, CITIZEN2, did, PDF, "application/pdf",
                        other[0]), 422, "component_not_required")
    r = expect(ctx.req(CITIZEN2, "GET", "%s/dossiers/%d/files" % (API, did)),
               200)
    check(r.json()["items"] == [], "a refused upload was attached: %s"
          % short(r.body))


@test
def test_refused_upload_stores_no_file(ctx):
    d = drive(ctx, "submitted", citizen=CITIZEN2)
    data = PDF + b"%% refused upload " + str(ctx.seq()).encode() + b"\n"
    sha = hashlib.sha256(data).hexdigest()
    expect_error(upload(ctx, CITIZEN, d["id"], data, "application/pdf"), 403,
                 what="upload to another citizen's dossier")
    path = os.path.join(ctx.srv.files, sha[:2], sha[2:4], sha)
    check(not os.path.exists(path),
          "a refused (403) upload was still written to disk: %s" % path)


# ---------------------------------------------------------------- transport


@test
def test_keep_alive(ctx):
    c = ctx.c.conn()
    try:
        socks = []
        for p in (API + "/health", API + "/procedures/" + PROC,
                  API + "/health"):
            c.request("GET", p)
            r = c.getresponse()
            r.read()
            check(r.status == 200, "GET %s -> %d" % (p, r.status))
            conn_hdr = (r.getheader("Connection") or "").lower()
            check("close" not in conn_hdr,
                  "GET %s answered with Connection: %s" % (p, conn_hdr))
            check(c.sock is not None, "connection closed after GET %s" % p)
            socks.append(c.sock)
        check(socks[0] is socks[1] is socks[2],
              "requests did not share one connection")
    finally:
        c.close()


@test
def test_durability_after_kill9(ctx):
    d = create(ctx, applicant_name="Bền Vững Sau Sự Cố")
    d2 = drive(ctx, "received")
    ctx.srv.kill9()
    ctx.srv.start()
    g = get(ctx, d["id"], CITIZEN)
    check(g["state"] == "submitted" and g["version"] == d["version"] and
          g["applicant"]["name"] == "Bền Vững Sau Sự Cố",
          "dossier after restart: %s" % json.dumps(g, ensure_ascii=False)[:300])
    g2 = get(ctx, d2["id"])
    check(g2["code"] == d2["code"] and g2["state"] == "received",
          "received dossier after restart: code %r state %r"
          % (g2["code"], g2["state"]))
    check(len(events(ctx, d2["id"])) == 2, "events lost after kill -9")


@test
def test_concurrent_submit_and_receive(ctx):
    # A day of its own, so that the codes of the day start at 0001.
    ctx.set_clock(40 * 86400)
    try:
        _concurrent(ctx)
    finally:
        ctx.set_clock(0)


def _concurrent(ctx):
    tok = ctx.tok(CITIZEN)
    dtok = ctx.tok(BD["desk"])
    unit = ctx.unit(BD["unit"])
    created, errors = [], []
    lock = threading.Lock()

    def submitter(i):
        c = ctx.c.conn()
        try:
            for j in range(20):
                r = ctx.c.request("POST", API + "/dossiers",
                                  body={"procedure_code": PROC,
                                        "receiving_unit_id": unit,
                                        "applicant_name":
                                            "Công Dân %d-%d" % (i, j)},
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

    ths = [threading.Thread(target=submitter, args=(i,)) for i in range(16)]
    for t in ths:
        t.start()
    for t in ths:
        t.join()
    check(not errors, "%d failed creates, e.g. %s" % (len(errors),
                                                       errors[:3]))
    check(len(created) == 320, "created %d of 320" % len(created))
    check(len(set(created)) == 320, "duplicate ids among %d created"
          % len(created))

    codes = []

    def receiver(ids):
        c = ctx.c.conn()
        try:
            for did in ids:
                r = ctx.c.request("POST", "%s/dossiers/%d/transitions"
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
                errors.append("receiver: %r" % (e,))
        finally:
            c.close()

    ths = [threading.Thread(target=receiver, args=(created[k::4],))
           for k in range(4)]
    for t in ths:
        t.start()
    for t in ths:
        t.join()
    check(not errors, "%d failed receives, e.g. %s" % (len(errors),
                                                        errors[:3]))
    check(len(codes) == 320, "received %d of 320" % len(codes))
    check(len(set(codes)) == 320, "duplicate codes: %d distinct of %d"
          % (len(set(codes)), len(codes)))
    days = {}
    for code in codes:
        m = re.match(r"^H26\.00004-(\d{6})-(\d{4})$", code or "")
        check(m, "bad code %r" % code)
        days.setdefault(m.group(1), []).append(int(m.group(2)))
    for day, nums in days.items():
        nums.sort()
        check(nums == list(range(1, len(nums) + 1)),
              "codes of %s are not 0001..%04d: first %s, gaps at %s"
              % (day, len(nums), nums[:5],
                 [n for i, n in enumerate(nums) if n != i + 1][:5]))


@test
def test_test_clock_is_admin_only(ctx):
    for u in (CITIZEN, BD["lead"], INSPECTOR):
        expect_error(ctx.req(u, "POST", API + "/test/clock",
                             {"offset_seconds": 86400}), 403,
                     what="test clock by %s" % u)
    expect_error(ctx.c.request("POST", API + "/test/clock",
                               body={"offset_seconds": 86400}), 401)
    r = expect(ctx.c.request("GET", API + "/health"), 200)
    skew = abs((ts(r.json()["time"]) -
                datetime.datetime.now(datetime.timezone.utc))
               .total_seconds())
    check(skew < 600, "server clock is off by %.0f s" % skew)


@test
def test_hostile_inputs(ctx):
    d = drive(ctx, "submitted")
    did = d["id"]
    before = snap(ctx, did)
    for data in (b"[" * 200000, b'{"a":' * 100000,
                 b'{"action":"receive","reason":"\\ud800"}'):
        r = raw_transition(ctx, BD["desk"], did, data)
        expect_error(r, 400, what="body %r..." % data[:20])
    unchanged(ctx, did, before, "hostile bodies")
    for path, status in ((API + "/procedures?q=%FF", 400),
                         (API + "/procedures?q=" + "a" * 201, 400),
                         (API + "/procedures?limit=0", 400),
                         (API + "/procedures?limit=abc", 400),
                         (API + "/procedures?offset=-1", 400),
                         (API + "/dossiers/abc", 404),
                         (API + "/dossiers/-1", 404),
                         (API + "/dossiers/99999999999999999999", 404),
                         (API + "/dossiers/0", 404),
                         (API + "/dossiers?state=bogus", 400),
                         (API + "/dossiers?limit=100000", 400)):
        r = ctx.req(BD["desk"], "GET", path)
        expect_error(r, status, what="GET %s" % path[:60])
    r = ctx.c.request("GET", API + "/public/dossiers/%FF%FE")
    check(r.status in (400, 404), "public lookup of invalid UTF-8: %d"
          % r.status)
    expect_error(ctx.c.request("GET", API + "/me", token="a" * 300), 401,
                 "invalid_session")
    expect_error(ctx.c.request("GET", API + "/me",
                               headers={"Authorization": "Basic YTpi"}), 401,
                 "unauthenticated")
    expect(ctx.c.request("GET", API + "/health"), 200, "health afterwards")


# ---------------------------------------------------------------- calendar


def set_day(ctx, user, body):
    return ctx.req(user, "POST", API + "/calendar/days", body)


def working_days(ctx, a, b):
    r = expect(ctx.c.request("GET", API + "/calendar/between",
                             query={"a": a.isoformat(),
                                    "b": b.isoformat()}), 200,
               "between %s %s" % (a, b))
    return r.json()["working_days"]


def recomputed_events(ctx, did):
    return [e for e in events(ctx, did)
            if e["action"] == "deadline_recomputed"]


@test
def test_calendar_change_recomputes_open_deadlines(ctx):
    # three dossiers received now, all due on the same day D
    a = drive(ctx, "received")
    due = local_date(a["due_at"])
    b = drive(ctx, "received")
    c = drive(ctx, "pending_approval")
    c = act_ok(ctx, BD["lead"], c["id"], "approve", "done")
    c = act_ok(ctx, BD["desk"], c["id"], "return_result", "returned")
    for x in (b, c):
        check(local_date(x["due_at"]) == due,
              "dossier %d due %s, expected %s like the first"
              % (x["id"], x["due_at"], due))
    # b: rescheduled in writing to a later working day
    day, r = find_workday_after(ctx, BD["lead"], b["id"],
                                due + datetime.timedelta(days=7),
                                {"reason": "Xin lỗi vì chậm trễ"})
    expect(r, 200, "reschedule b")
    before_b, before_c = snap(ctx, b["id"]), snap(ctx, c["id"])
    before_a = snap(ctx, a["id"])
    body = {"date": due.isoformat(), "kind": "off",
            "reason": "Nghỉ đột xuất (kiểm thử)"}
    # only administrators change the calendar; a refusal changes nothing
    for u in (BD["lead"], BD["desk"], CITIZEN):
        expect_error(set_day(ctx, u, body), 403, what="set-day by %s" % u)
    unchanged(ctx, a["id"], before_a, "refused calendar change")
    r = set_day(ctx, ADMIN, body)
    try:
        expect(r, 201, "announce %s off" % due)
        j = r.json()
        ver = j.get("calendar_version")
        check(isinstance(ver, int) and ver >= 2, "calendar_version %r" % ver)
        aff = j.get("affected")
        check(isinstance(aff, list), "no affected list: %s" % short(r.body))
        byid = {x["id"]: x for x in aff}
        check(a["id"] in byid, "dossier %d due on %s not listed: %s"
              % (a["id"], due, short(r.body, 800)))
        check(b["id"] not in byid, "rescheduled dossier listed")
        check(c["id"] not in byid, "returned dossier listed")
        item = byid[a["id"]]
        check(item["code"] == a["code"] and item["old_due"] == a["due_at"],
              "affected item %r, dossier code %s due %s"
              % (item, a["code"], a["due_at"]))
        new = local_date(item["new_due"])
        check(new > due and working_days(ctx, due, new) == 1,
              "new due %s is not the next working day after %s"
              % (new, due))
        d = get(ctx, a["id"])
        check(d["due_at"] == item["new_due"], "stored due %s, listed %s"
              % (d["due_at"], item["new_due"]))
        check(d["due_original"] == a["due_at"], "due_original changed: %s"
              % d["due_original"])
        check(d["state"] == "received", "state changed: %s" % d["state"])
        ev = recomputed_events(ctx, a["id"])
        check(len(ev) == 1, "%d deadline_recomputed events" % len(ev))
        check(ev[0]["data"].get("old_due") == a["due_at"] and
              ev[0]["data"].get("new_due") == item["new_due"] and
              ev[0]["data"].get("calendar_version") == ver and
              ev[0]["actor_id"] == ctx.uid(ADMIN),
              "event %r" % ev[0])
        # the applicant is told of the new date, once
        r = expect(ctx.req(CITIZEN, "GET", API + "/notifications",
                           query={"limit": "500"}), 200, "citizen inbox")
        moved = [n for n in r.json()["items"]
                 if n.get("kind") == "deadline_recomputed" and
                 n.get("dossier_id") == a["id"]]
        check(len(moved) == 1, "%d deadline_recomputed notifications for "
              "dossier %d" % (len(moved), a["id"]))
        unchanged(ctx, b["id"], before_b, "calendar change (rescheduled)")
        unchanged(ctx, c["id"], before_c, "calendar change (returned)")
        check(local_date(get(ctx, b["id"])["due_at"]) == day,
              "rescheduled due date moved")
        # the new version is in force for new deadlines
        r = expect(ctx.c.request("GET", API + "/calendar/year",
                                 query={"year": str(due.year)}), 200)
        check(r.json()["calendar_version"] == ver and
              due.isoformat() in [x["date"] for x in r.json()["days_off"]],
              "%s not off in the current calendar" % due)
    finally:
        r = set_day(ctx, ADMIN, {"date": due.isoformat(), "remove": True})
    # removing the announcement moves the deadline back
    expect(r, 201, "remove the announcement")
    back = {x["id"]: x for x in r.json()["affected"]}
    check(a["id"] in back and back[a["id"]]["new_due"] == a["due_at"],
          "removal did not restore the due date: %s" % short(r.body, 800))
    check(get(ctx, a["id"])["due_at"] == a["due_at"], "due not restored")
    check(len(recomputed_events(ctx, a["id"])) == 2,
          "expected a second deadline_recomputed event")
    unchanged(ctx, c["id"], before_c, "calendar restore (returned)")


@test
def test_calendar_change_without_open_dossiers_in_window(ctx):
    # a far future day moves no deadline: empty list, new version
    r = set_day(ctx, ADMIN, {"date": "2190-03-05", "kind": "off",
                             "reason": "Ngày nghỉ xa (kiểm thử)"})
    expect(r, 201, "far day off")
    check(r.json().get("affected") == [], "affected %s" % short(r.body))
    v = r.json()["calendar_version"]
    r = set_day(ctx, ADMIN, {"date": "2190-03-05", "remove": True})
    expect(r, 201, "remove far day off")
    check(r.json()["calendar_version"] == v + 1 and
          r.json()["affected"] == [], "after removal: %s" % short(r.body))
    expect_error(set_day(ctx, ADMIN, {"date": "2190-03-05", "remove": True}),
                 404, what="remove again")


@test
def test_unit_workhours_get_put(ctx):
    path = API + "/units/%s/workhours"
    uid = ctx.unit(HK["unit"])
    r = expect(ctx.c.request("GET", path % HK["unit"]), 200, "get hours")
    j = r.json()
    check(j.get("unit_id") == uid and j.get("unit_code") == HK["unit"],
          "hours of %s: %s" % (HK["unit"], short(r.body)))
    check(j.get("hours", "").startswith("1-5=08:00-12:00,13:00-17:00") and
          j.get("default") is True, "default hours %s" % short(r.body))
    body = {"hours": "1-5=07:30-11:30,13:30-17:00;6=08:00-11:30"}
    for u in (HK["lead"], HK["desk"], CITIZEN):
        expect_error(ctx.req(u, "PUT", path % uid, body), 403,
                     what="PUT hours by %s" % u)
    expect_error(ctx.c.request("PUT", path % uid, body=body), 401)
    for bad, code, field in (
            ({"hours": "1-5=12:00-08:00"}, "bad_workhours", "hours"),
            ({"hours": "8=08:00-12:00"}, "bad_workhours", "hours"),
            ({"hours": "1-5=08:00-12:00,11:00-17:00"}, "bad_workhours",
             "hours"),
            ({"hours": 5}, "wrong_type", "hours"),
            ({}, "missing_field", "hours"),
            ({"hours": "1-5=08:00-12:00", "x": 1}, "unknown_field", "x")):
        expect_error(ctx.req(ADMIN, "PUT", path % uid, bad), 400, code,
                     field, what="PUT %r" % bad)
    r = expect(ctx.c.request("GET", path % uid), 200)
    check(r.json()["default"] is True, "a refused PUT changed the hours")
    expect_error(ctx.req(ADMIN, "PUT", path % "H26.KHONGCO", body), 404)
    expect_error(ctx.c.request("GET", path % "999999"), 404)
    r = expect(ctx.req(ADMIN, "PUT", path % HK["unit"], body), 200, "PUT")
    stored = r.json().get("hours", "")
    check(stored.startswith(body["hours"]) and
          r.json().get("default") is False, "stored %s" % short(r.body))
    r = expect(ctx.c.request("GET", path % uid), 200)
    check(r.json()["hours"] == stored, "read back %s" % short(r.body))
    r = expect(ctx.req(ADMIN, "PUT", path % uid,
                       {"hours": "1-5=08:00-12:00,13:00-17:00"}), 200)
    check(r.json()["default"] is True, "restore default: %s"
          % short(r.body))


import cases_discipline  # noqa: E402,F401  (issue 4 tests, in order)
import cases_tasks  # noqa: E402,F401  (issue 8 tests, in order)
import cases_feedback  # noqa: E402,F401  (issue 9 tests, in order)
import cases_open311  # noqa: E402,F401  (issue 9, Open311)
import cases_feedback_files  # noqa: E402,F401  (issue 9, attachments)
import cases_evaluation  # noqa: E402,F401  (issue 5 tests, in order)
import cases_ratelimit  # noqa: E402,F401  (issue 10, rate limits)
import cases_dashboard  # noqa: E402,F401  (issue 5, leadership dashboard)
import cases_webui  # noqa: E402,F401  (issue 6: catalog import, receipt code)
import cases_list  # noqa: E402,F401  (issue 7, the dossier list)


# ---------------------------------------------------------------- last


@test
def test_every_error_body_has_code_and_message(ctx):
    bad = ctx.c.bad_error_bodies
    check(not bad, "%d error responses without {error:{code,message}}: %s"
          % (len(bad), bad[:5]))
    check(ctx.c.nrequests > 100, "suspiciously few requests: %d"
          % ctx.c.nrequests)
