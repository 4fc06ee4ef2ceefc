"""
cases_discipline.py - API tests of issue 4: violation rules raised by
transitions, the inspectors' decisions and summary, the deadline sweeper
(`motcua sweep`, run twice) and the notification inbox and spool.
Imported by cases.py, so the tests run in its order, before its last
test.
"""
import datetime
import json
import os
import subprocess

from cases import (ADMIN, API, BD, CITIZEN, HK, INSPECTOR, PROC, STP, TZ,
                   act, act_ok, components, drive, find_workday_after,
                   local_date, ts)
from lib import check, expect, expect_error, short, test


def violations(ctx, did, user=INSPECTOR, **query):
    q = {"limit": "500"}
    q.update(query)
    r = ctx.req(user, "GET", API + "/violations", query=q)
    expect(r, 200, "list violations as %s" % user)
    return [v for v in r.json()["items"] if v["dossier_id"] == did]


def one_violation(ctx, did, rule):
    vs = [v for v in violations(ctx, did) if v["rule"] == rule]
    check(len(vs) == 1, "dossier %d: expected one %s violation, got %d: %s"
          % (did, rule, len(vs), short(json.dumps(vs, ensure_ascii=False))))
    return vs[0]


def now_utc():
    return datetime.datetime.now(datetime.timezone.utc)


def notes(ctx, user, did=None, kind=None):
    r = ctx.req(user, "GET", API + "/notifications", query={"limit": "500"})
    expect(r, 200, "notifications of %s" % user)
    items = r.json()["items"]
    return [n for n in items if (did is None or n["dossier_id"] == did) and
            (kind is None or n["kind"] == kind)]


@test
def test_violation_second_and_late_supplement(ctx):
    d = drive(ctx, "processing")
    did = d["id"]
    comp = components(ctx, PROC)[0]
    act_ok(ctx, BD["spec"], did, "request_supplement", "supplement",
           components=[comp], reason="Thiếu giấy chứng sinh")
    check(violations(ctx, did) == [], "a first, timely supplement request "
          "raised %s" % violations(ctx, did))
    act_ok(ctx, CITIZEN, did, "supplement_received", "processing")
    try:
        ctx.set_clock(9 * 86400)
        act_ok(ctx, BD["spec"], did, "request_supplement", "supplement",
               components=[comp], reason="Lần hai")
    finally:
        ctx.set_clock(0)
    v = one_violation(ctx, did, "supplement_repeated")
    check(v["official_id"] == ctx.uid(BD["spec"]) and
          v["evidence"].get("round") == 2 and v["state"] == "open" and
          v["evidence"].get("dossier_code") == d["code"],
          "supplement_repeated %r" % v)
    v = one_violation(ctx, did, "supplement_late")
    check(v["evidence"].get("working_days", 0) > 3 and
          v["evidence"].get("limit") == 3, "supplement_late %r" % v)


@test
def test_violation_reschedule_late_and_apology(ctx):
    early = drive(ctx, "processing")
    start = local_date(early["due_at"]) + datetime.timedelta(days=7)
    _, r = find_workday_after(ctx, BD["lead"], early["id"], start,
                              {"reason": "Cần xác minh thêm"})
    expect(r, 200, "timely reschedule")
    check(violations(ctx, early["id"]) == [],
          "a timely reschedule raised %s" % violations(ctx, early["id"]))
    ap = notes(ctx, CITIZEN, early["id"], "apology")
    check(len(ap) == 1 and early["code"] in ap[0]["title"],
          "apology to the citizen: %r" % ap)

    d = drive(ctx, "processing")
    did, due = d["id"], ts(d["due_at"])
    off = int((due - now_utc()).total_seconds()) - 2 * 3600
    try:
        ctx.set_clock(off)
        start = local_date(d["due_at"]) + datetime.timedelta(days=7)
        _, r = find_workday_after(ctx, BD["lead"], did, start,
                                  {"reason": "Xin lỗi, chậm trễ"})
        expect(r, 200, "last-minute reschedule")
    finally:
        ctx.set_clock(0)
    v = one_violation(ctx, did, "reschedule_late")
    check(v["official_id"] == ctx.uid(BD["lead"]) and
          0 < v["evidence"].get("seconds_before_due", -1) < 86400 and
          v["evidence"].get("old_due") == d["due_at"],
          "reschedule_late %r" % v)


@test
def test_violation_late_return(ctx):
    d = drive(ctx, "pending_approval")
    did = d["id"]
    act_ok(ctx, BD["lead"], did, "approve", "done")
    off = int((ts(d["due_at"]) - now_utc()).total_seconds()) + 2 * 86400
    try:
        ctx.set_clock(off)
        act_ok(ctx, BD["desk"], did, "return_result", "returned")
    finally:
        ctx.set_clock(0)
    v = one_violation(ctx, did, "late_return")
    check(v["evidence"].get("due_at") == d["due_at"] and
          ts(v["evidence"]["returned_at"]) > ts(d["due_at"]),
          "late_return %r" % v)
    ok = drive(ctx, "pending_approval")
    act_ok(ctx, BD["lead"], ok["id"], "approve", "done")
    act_ok(ctx, BD["desk"], ok["id"], "return_result", "returned")
    check(violations(ctx, ok["id"]) == [], "a timely return raised %s"
          % violations(ctx, ok["id"]))


@test
def test_violation_consult_late(ctx):
    d = drive(ctx, "processing")
    did = d["id"]
    due = (datetime.datetime.now(TZ).date() +
           datetime.timedelta(days=1)).isoformat()
    act_ok(ctx, BD["spec"], did, "consult", "consulting",
           unit_id=ctx.unit(STP["unit"]), due=due, reason="Xin ý kiến")
    try:
        ctx.set_clock(4 * 86400)
        act_ok(ctx, STP["spec"], did, "consult_reply", "processing",
               reason="Trả lời muộn")
    finally:
        ctx.set_clock(0)
    v = one_violation(ctx, did, "consult_late")
    check(v["official_id"] == ctx.uid(STP["spec"]) and
          v["unit_id"] == ctx.unit(STP["unit"]) and
          local_date(v["evidence"]["consult_due"]).isoformat() == due,
          "consult_late %r" % v)


@test
def test_violation_step_by_non_assignee(ctx):
    d = drive(ctx, "processing")
    did = d["id"]
    act_ok(ctx, BD["lead"], did, "submit_for_approval", "pending_approval",
           result="Lãnh đạo tự trình")
    v = one_violation(ctx, did, "step_by_non_assignee")
    check(v["official_id"] == ctx.uid(BD["lead"]) and
          v["evidence"].get("assignee_id") == ctx.uid(BD["spec"]),
          "step_by_non_assignee %r" % v)
    ok = drive(ctx, "pending_approval")
    check(violations(ctx, ok["id"]) == [], "the assignee's own step raised "
          "%s" % violations(ctx, ok["id"]))
    # scope: another district's leader does not see it; 403 for citizens
    check(violations(ctx, did, HK["lead"]) == [],
          "Hoàn Kiếm's leader sees a Ba Đình violation")
    check(len(violations(ctx, did, BD["lead"])) == 1,
          "Ba Đình's leader does not see the violation")
    expect_error(ctx.req(CITIZEN, "GET", API + "/violations"), 403)
    expect_error(ctx.req(BD["spec"], "GET", API + "/violations"), 403)
    expect_error(ctx.req(INSPECTOR, "GET", API + "/violations",
                         query={"rule": "bogus"}), 400, "bad_rule")
    r = ctx.req(INSPECTOR, "GET", API + "/violations",
                query={"rule": "step_by_non_assignee", "state": "open",
                       "unit_id": str(ctx.unit(BD["unit"])),
                       "limit": "500"})
    expect(r, 200)
    check(any(x["dossier_id"] == did for x in r.json()["items"]) and
          all(x["rule"] == "step_by_non_assignee" for x in r.json()["items"]),
          "filtered list %s" % short(r.body))


def summary_count(ctx, official, rule):
    today = datetime.datetime.now(TZ).date().isoformat()
    r = ctx.req(INSPECTOR, "GET", API + "/discipline/summary",
                query={"unit_id": str(ctx.unit(BD["unit"])), "from": today,
                       "to": today})
    expect(r, 200, "summary")
    n = 0
    for o in r.json()["by_official"]:
        if o["official_id"] == official:
            n += o["rules"].get(rule, 0)
    return n, r.json()


@test
def test_violation_decisions_and_summary(ctx):
    d = drive(ctx, "processing")
    did = d["id"]
    act_ok(ctx, BD["lead"], did, "submit_for_approval", "pending_approval",
           result="Trình thay")
    v = one_violation(ctx, did, "step_by_non_assignee")
    path = "%s/violations/%d/decision" % (API, v["id"])
    body = {"decision": "confirm", "reason": "Đã xác minh"}
    for u in (BD["lead"], ADMIN, BD["spec"], CITIZEN):
        expect_error(ctx.req(u, "POST", path, body), 403,
                     what="decision by %s" % u)
    expect_error(ctx.req(INSPECTOR, "POST", path,
                         {"decision": "confirm"}), 400)
    expect_error(ctx.req(INSPECTOR, "POST", path,
                         {"decision": "maybe", "reason": "x"}), 400,
                 "bad_decision")
    expect_error(ctx.req(INSPECTOR, "POST", API + "/violations/999999999/"
                         "decision", body), 404)
    before, _ = summary_count(ctx, ctx.uid(BD["lead"]),
                              "step_by_non_assignee")
    r = expect(ctx.req(INSPECTOR, "POST", path, body), 200, "confirm")
    check(r.json()["state"] == "confirmed" and
          r.json()["decided_by"] == ctx.uid(INSPECTOR) and
          r.json()["decision_reason"] == "Đã xác minh",
          "decided %s" % short(r.body))
    expect_error(ctx.req(INSPECTOR, "POST", path,
                         {"decision": "dismiss", "reason": "x"}), 409,
                 "already_decided")
    after, s = summary_count(ctx, ctx.uid(BD["lead"]),
                             "step_by_non_assignee")
    check(after == before + 1, "summary count %d -> %d: %s"
          % (before, after, short(json.dumps(s, ensure_ascii=False))))
    check(any(u["unit_id"] == ctx.unit(BD["unit"]) and u["count"] >= 1
              for u in s["by_unit"]), "by_unit %s" % s["by_unit"])
    # a dismissed one is not counted
    d2 = drive(ctx, "processing")
    act_ok(ctx, BD["lead"], d2["id"], "submit_for_approval",
           "pending_approval", result="Trình thay")
    v2 = one_violation(ctx, d2["id"], "step_by_non_assignee")
    expect(ctx.req(INSPECTOR, "POST", "%s/violations/%d/decision"
                   % (API, v2["id"]),
                   {"decision": "dismiss", "reason": "Được ủy quyền"}), 200)
    again, _ = summary_count(ctx, ctx.uid(BD["lead"]),
                             "step_by_non_assignee")
    check(again == after, "a dismissed violation was counted")
    check([x["state"] for x in violations(ctx, d2["id"], state="dismissed")]
          == ["dismissed"], "state filter")


def sweep(ctx, now, spool):
    p = subprocess.run([ctx.srv.binary, "sweep", "--db", ctx.srv.db,
                        "--now", now.isoformat(), "--spool", spool],
                       env=ctx.srv.env, cwd=ctx.srv.tmp,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       timeout=600)
    check(p.returncode == 0, "motcua sweep exit %d: %s"
          % (p.returncode, short(p.stderr, 1000)))
    return json.loads(p.stdout.decode().strip().splitlines()[-1])


@test
def test_sweeper_near_due_overdue_idempotent(ctx):
    d = drive(ctx, "processing")
    did, due = d["id"], ts(d["due_at"])
    spool = os.path.join(ctx.srv.tmp, "spool", "notifications.jsonl")
    spec, lead = BD["spec"], BD["lead"]

    sweep(ctx, due - datetime.timedelta(hours=1), spool)
    check(len(notes(ctx, spec, did, "near_due_warning")) == 1,
          "near-due warning to the holder: %s" % notes(ctx, spec, did))
    check(len(notes(ctx, lead, did, "near_due_escalation")) == 1,
          "near-due escalation to the leader: %s" % notes(ctx, lead, did))
    again = sweep(ctx, due - datetime.timedelta(hours=1), spool)
    check(again["notifications"] == 0 and again["violations"] == 0,
          "second sweep did something: %s" % again)
    check(len(notes(ctx, spec, did)) == 1, "duplicates after a second run")

    sweep(ctx, due + datetime.timedelta(hours=1), spool)
    again = sweep(ctx, due + datetime.timedelta(hours=1), spool)
    check(again["notifications"] == 0 and again["violations"] == 0 and
          again["checked"] == 0, "second overdue sweep: %s" % again)
    check(len(notes(ctx, spec, did, "overdue_warning")) == 1,
          "overdue warning: %s" % notes(ctx, spec, did))
    check(len(notes(ctx, lead, did, "overdue_escalation")) == 1,
          "overdue escalation: %s" % notes(ctx, lead, did))
    v = one_violation(ctx, did, "overdue_without_apology")
    check(v["official_id"] == ctx.uid(spec) and
          v["evidence"].get("due_at") == d["due_at"],
          "overdue_without_apology %r" % v)
    # the spool got each message once
    with open(spool, encoding="utf-8") as f:
        lines = [json.loads(x) for x in f if x.strip()]
    mine = [x for x in lines if x.get("dossier_id") == did]
    kinds = sorted(x["kind"] for x in mine)
    check(kinds.count("overdue_warning") == 1 and
          kinds.count("near_due_warning") == 1 and
          len(mine) == len({x["notification_id"] for x in mine}),
          "spool lines for %d: %s" % (did, kinds))
    # a rescheduled dossier is not "without apology"
    d2 = drive(ctx, "processing")
    start = local_date(d2["due_at"]) + datetime.timedelta(days=3)
    day, r = find_workday_after(ctx, BD["lead"], d2["id"], start,
                                {"reason": "Xin lỗi"})
    expect(r, 200)
    sweep(ctx, ts(r.json()["due_at"]) + datetime.timedelta(hours=1), spool)
    check([x for x in violations(ctx, d2["id"])
           if x["rule"] == "overdue_without_apology"] == [],
          "overdue_without_apology after a reschedule")


@test
def test_notifications_inbox_read(ctx):
    spec = BD["spec"]
    r = expect(ctx.req(spec, "GET", API + "/notifications",
                       query={"unread": "1"}), 200)
    j = r.json()
    check(j["items"] and j["unread"] == j["total"],
          "unread notifications of the specialist: %s" % short(r.body))
    n = j["items"][0]
    path = "%s/notifications/%d/read" % (API, n["id"])
    expect_error(ctx.req(BD["lead"], "POST", path), 404,
                 what="reading another account's notification")
    r = expect(ctx.req(spec, "POST", path), 200, "mark read")
    first = r.json()["read_at"]
    check(first is not None, "read_at not set")
    r = expect(ctx.req(spec, "POST", path), 200, "mark read again")
    check(r.json()["read_at"] == first, "read_at changed on a second read")
    j2 = expect(ctx.req(spec, "GET", API + "/notifications"), 200).json()
    check(j2["unread"] == j["unread"] - 1, "unread %d -> %d"
          % (j["unread"], j2["unread"]))
    expect_error(ctx.c.request("GET", API + "/notifications"), 401)


def pdf_text(ctx, user, did, form, status=200):
    r = ctx.req(user, "GET", "%s/dossiers/%d/forms/%s" % (API, did, form))
    if status != 200:
        expect_error(r, status, what="form %s of %d" % (form, did))
        return None
    expect(r, 200, "form %s of %d" % (form, did))
    check((r.header("Content-Type") or "").startswith("application/pdf"),
          "form %s: Content-Type %r" % (form, r.header("Content-Type")))
    check(r.body.startswith(b"%PDF"), "form %s: not a PDF: %r"
          % (form, r.body[:20]))
    p = subprocess.run(["pdftotext", "-layout", "-", "-"], input=r.body,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       timeout=120)
    check(p.returncode == 0, "pdftotext failed on form %s: %s"
          % (form, short(p.stderr)))
    return p.stdout.decode("utf-8", "replace")


@test
def test_forms_pdf(ctx):
    d = drive(ctx, "processing")
    did, code = d["id"], d["code"]
    for form in ("02", "03", "04"):
        pdf_text(ctx, BD["lead"], did, form, 409)
    for form in ("01", "05"):
        t = pdf_text(ctx, CITIZEN, did, form)
        check(code in t, "form %s lacks the code %s: %s"
              % (form, code, short(t, 500)))
    comp = components(ctx, PROC)[0]
    act_ok(ctx, BD["spec"], did, "request_supplement", "supplement",
           components=[comp], reason="Thiếu bản sao giấy chứng sinh")
    t = pdf_text(ctx, BD["desk"], did, "02")
    check(code in t and "giấy chứng sinh" in t.lower(),
          "form 02: %s" % short(t, 800))
    act_ok(ctx, CITIZEN, did, "supplement_received", "processing")
    start = local_date(get_due(ctx, did)) + datetime.timedelta(days=5)
    _, r = find_workday_after(ctx, BD["lead"], did, start,
                              {"reason": "Chờ ý kiến liên ngành"})
    expect(r, 200, "reschedule")
    t = pdf_text(ctx, CITIZEN, did, "04")
    check(code in t and "liên ngành" in t, "form 04: %s" % short(t, 800))
    act_ok(ctx, BD["lead"], did, "reject", "rejected",
           reason="Không đủ điều kiện đăng ký")
    t = pdf_text(ctx, BD["desk"], did, "03")
    check(code in t and "đủ điều kiện" in t, "form 03: %s" % short(t, 800))
    # scope like GET /dossiers/{id}
    pdf_text(ctx, HK["desk"], did, "01", 403)
    pdf_text(ctx, "tranthimai", did, "01", 403)
    pdf_text(ctx, CITIZEN, did, "06", 404)
    pdf_text(ctx, CITIZEN, 999999999, "01", 404)
    expect_error(ctx.c.request("GET", "%s/dossiers/%d/forms/01"
                               % (API, did)), 401)


def get_due(ctx, did):
    r = expect(ctx.req(ADMIN, "GET", "%s/dossiers/%d" % (API, did)), 200)
    return r.json()["due_at"]


# ---------------------------------------------------------------- apologies


def apologies(ctx, user=INSPECTOR, did=None, **query):
    q = {"limit": "500"}
    q.update(query)
    if did is not None:
        q["dossier_id"] = str(did)
    r = ctx.req(user, "GET", API + "/apologies", query=q)
    expect(r, 200, "list apologies as %s" % user)
    return r.json()["items"]


def one_apology(ctx, did):
    aps = apologies(ctx, did=did)
    check(len(aps) == 1, "dossier %d: expected one apology, got %s"
          % (did, short(json.dumps(aps, ensure_ascii=False), 800)))
    return aps[0]


def apology_summary(ctx):
    r = ctx.req(INSPECTOR, "GET", API + "/discipline/summary",
                query={"unit_id": str(ctx.unit(BD["unit"]))})
    expect(r, 200, "summary")
    for u in r.json()["apologies_by_unit"]:
        if u["unit_id"] == ctx.unit(BD["unit"]):
            return u
    return {"draft": 0, "approved": 0, "dismissed": 0, "count": 0}


@test
def test_apology_forecast_and_approve(ctx):
    from cases import PROC_OTHER
    spool = os.path.join(ctx.srv.tmp, "spool", "notifications.jsonl")
    before = apology_summary(ctx)
    d = drive(ctx, "processing", proc=PROC_OTHER)
    did, due = d["id"], ts(d["due_at"])
    # just assigned: the steps' budgets fit before the due date
    sweep(ctx, now_utc(), spool)
    check(apologies(ctx, did=did) == [], "an on-time dossier got an "
          "apology: %s" % apologies(ctx, did=did))
    # one hour before the due instant the approval and return steps
    # cannot fit any more: the sweeper drafts an apology
    out = sweep(ctx, due - datetime.timedelta(hours=1), spool)
    check(out.get("apologies", 0) >= 1, "sweep output %s" % out)
    ap = one_apology(ctx, did)
    fc = ap["forecast"]
    check(ap["state"] == "draft" and ap["reason"] is None and
          ap["due_at"] == d["due_at"] and ap["dossier_code"] == d["code"] and
          fc["needed_seconds"] > fc["available_seconds"] and
          ap["shortfall_seconds"] == fc["needed_seconds"] -
          fc["available_seconds"] and fc["overdue"] is False,
          "draft %r" % ap)
    proposed = datetime.date.fromisoformat(ap["proposed_date"])
    check(proposed > local_date(d["due_at"]) and proposed.weekday() < 5,
          "proposed date %s for due %s" % (proposed, d["due_at"]))
    check(len(notes(ctx, BD["lead"], did, "apology_draft")) == 1,
          "the leader was not told about the draft")
    again = sweep(ctx, due - datetime.timedelta(hours=1), spool)
    check(again.get("apologies") == 0 and len(apologies(ctx, did=did)) == 1,
          "a second sweep drafted again: %s" % again)
    # scope and roles
    check(len(apologies(ctx, BD["lead"], did=did)) == 1,
          "Ba Đình's leader does not see the draft")
    check(apologies(ctx, HK["lead"], did=did) == [],
          "Hoàn Kiếm's leader sees a Ba Đình apology")
    expect_error(ctx.req(CITIZEN, "GET", API + "/apologies"), 403)
    expect_error(ctx.req(BD["spec"], "GET", API + "/apologies"), 403)
    expect_error(ctx.req(INSPECTOR, "GET", API + "/apologies",
                         query={"state": "bogus"}), 400, "bad_state")
    check([a["id"] for a in apologies(ctx, did=did, state="draft")] ==
          [ap["id"]] and apologies(ctx, did=did, state="approved") == [],
          "state filter")
    path = "%s/apologies/%d/approve" % (API, ap["id"])
    body = {"reason": "Chờ xác minh hộ tịch tại nơi cư trú trước đây"}
    for u in (BD["spec"], INSPECTOR, ADMIN, CITIZEN, HK["lead"]):
        expect_error(ctx.req(u, "POST", path, body), 403,
                     what="approve by %s" % u)
    expect_error(ctx.req(BD["lead"], "POST", path, {}), 400)
    expect_error(ctx.req(BD["lead"], "POST", path,
                         {"reason": "x", "new_date": "10/12/2026"}), 400,
                 "bad_date")
    expect_error(ctx.req(BD["lead"], "POST", path,
                         dict(body, extra=1)), 400)
    expect_error(ctx.req(BD["lead"], "POST", API + "/apologies/999999999/"
                         "approve", body), 404)
    check(one_apology(ctx, did)["state"] == "draft",
          "a refused approval changed the draft")
    r = expect(ctx.req(BD["lead"], "POST", path, body), 200, "approve")
    j = r.json()
    check(j["state"] == "approved" and j["new_date"] == ap["proposed_date"]
          and j["reason"] == body["reason"] and
          j["decided_by"] == ctx.uid(BD["lead"]) and
          local_date(j["dossier"]["due_at"]).isoformat() ==
          ap["proposed_date"], "approved %s" % short(r.body, 800))
    dd = expect(ctx.req(ADMIN, "GET", "%s/dossiers/%d" % (API, did)),
                200).json()
    check(dd["due_at"] == j["dossier"]["due_at"] and dd["due_at"] !=
          d["due_at"], "the dossier was not rescheduled: %s" % dd["due_at"])
    ev = expect(ctx.req(ADMIN, "GET", "%s/dossiers/%d/events" % (API, did)),
                200).json()
    ev = ev["items"] if isinstance(ev, dict) else ev
    check([e for e in ev if e.get("action") == "reschedule"],
          "no reschedule event")
    ap_notes = notes(ctx, CITIZEN, did, "apology")
    check(len(ap_notes) == 1 and "hộ tịch" in ap_notes[0]["body"],
          "apology to the citizen: %s" % ap_notes)
    expect_error(ctx.req(BD["lead"], "POST", path, body), 409,
                 "already_decided")
    # a rescheduled dossier gets no new draft, even when overdue again
    sweep(ctx, ts(dd["due_at"]) + datetime.timedelta(hours=1), spool)
    check(len(apologies(ctx, did=did)) == 1, "a draft after the reschedule")
    after = apology_summary(ctx)
    check(after["approved"] == before["approved"] + 1 and
          after["count"] >= before["count"] + 1,
          "summary apologies %s -> %s" % (before, after))


@test
def test_apology_overdue_dismiss_and_refused_approval(ctx):
    spool = os.path.join(ctx.srv.tmp, "spool", "notifications.jsonl")
    d = drive(ctx, "processing")
    d2 = drive(ctx, "processing")
    late = max(ts(d["due_at"]), ts(d2["due_at"])) + \
        datetime.timedelta(hours=1)
    sweep(ctx, late, spool)
    ap = one_apology(ctx, d["id"])
    check(ap["forecast"]["overdue"] is True and ap["shortfall_seconds"] > 0
          and datetime.date.fromisoformat(ap["proposed_date"]) >
          local_date(d["due_at"]), "overdue draft %r" % ap)
    before = apology_summary(ctx)
    path = "%s/apologies/%d/dismiss" % (API, ap["id"])
    expect_error(ctx.req(BD["lead"], "POST", path,
                         {"reason": "x", "new_date": "2026-01-05"}), 400)
    r = expect(ctx.req(BD["lead"], "POST", path,
                       {"reason": "Đã trả kết quả trong ngày"}), 200)
    check(r.json()["state"] == "dismissed" and r.json()["new_date"] is None,
          "dismissed %s" % short(r.body))
    expect_error(ctx.req(BD["lead"], "POST", "%s/apologies/%d/approve"
                         % (API, ap["id"]), {"reason": "x"}), 409,
                 "already_decided")
    sweep(ctx, late + datetime.timedelta(days=1), spool)
    check(len(apologies(ctx, did=d["id"])) == 1,
          "a dismissed draft was drafted again for the same due date")
    after = apology_summary(ctx)
    check(after["dismissed"] == before["dismissed"] + 1,
          "summary dismissed %s -> %s" % (before, after))
    check(d["due_at"] == get_due(ctx, d["id"]), "dismissal moved the due")
    # rescheduled by hand meanwhile: the lifecycle refuses a second one
    # and the draft stays a draft
    ap2 = one_apology(ctx, d2["id"])
    start = local_date(d2["due_at"]) + datetime.timedelta(days=3)
    _, r = find_workday_after(ctx, BD["lead"], d2["id"], start,
                              {"reason": "Xin lỗi"})
    expect(r, 200)
    expect_error(ctx.req(BD["lead"], "POST", "%s/apologies/%d/approve"
                         % (API, ap2["id"]), {"reason": "x"}), 409,
                 "already_rescheduled")
    check(one_apology(ctx, d2["id"])["state"] == "draft",
          "a refused approval decided the draft")


# ---------------------------------------------------------------- channels


class FakeSmtp:
    """A local SMTP server speaking just enough of RFC 5321."""

    def __init__(self):
        import socket
        import threading
        self.messages = []   # (rcpt, raw bytes)
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.stop = False
        self.th = threading.Thread(target=self.loop, daemon=True)
        self.th.start()

    def loop(self):
        while not self.stop:
            try:
                c, _ = self.sock.accept()
            except OSError:
                return
            try:
                self.session(c)
            except OSError:
                pass
            finally:
                c.close()

    def session(self, c):
        f = c.makefile("rb")
        c.sendall(b"220 fake ESMTP\r\n")
        rcpt = None
        while True:
            line = f.readline()
            if not line:
                return
            cmd = line.strip().upper()
            if cmd.startswith(b"EHLO"):
                c.sendall(b"250-fake greets you\r\n250 8BITMIME\r\n")
            elif cmd.startswith(b"MAIL FROM:"):
                c.sendall(b"250 ok\r\n")
            elif cmd.startswith(b"RCPT TO:"):
                rcpt = line.strip()[8:].strip(b"<>").decode()
                c.sendall(b"250 ok\r\n")
            elif cmd == b"DATA":
                c.sendall(b"354 go ahead\r\n")
                data = []
                while True:
                    ln = f.readline()
                    if not ln or ln in (b".\r\n", b".\n"):
                        break
                    data.append(ln)
                self.messages.append((rcpt, b"".join(data)))
                c.sendall(b"250 queued\r\n")
            elif cmd == b"QUIT":
                c.sendall(b"221 bye\r\n")
                return
            else:
                c.sendall(b"502 what\r\n")

    def close(self):
        self.stop = True
        self.sock.close()


class FakeSms:
    """A local HTTP SMS gateway; answers 500 to the first message that
    contains `fail_once`, 200 otherwise."""

    def __init__(self, fail_once):
        import http.server
        import threading
        outer = self
        self.requests = []   # (path, json, status)
        self.fail_once = fail_once
        self.failed = False

        class H(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                n = int(self.headers.get("Content-Length", "0"))
                body = json.loads(self.rfile.read(n).decode("utf-8"))
                status = 200
                if (outer.fail_once in body.get("message", "") and
                        not outer.failed):
                    outer.failed = True
                    status = 500
                outer.requests.append((self.path, body, status))
                self.send_response(status)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"{}")

            def log_message(self, *a):
                pass

        self.srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
        self.port = self.srv.server_address[1]
        self.th = threading.Thread(target=self.srv.serve_forever,
                                   daemon=True)
        self.th.start()

    def close(self):
        self.srv.shutdown()
        self.srv.server_close()


def sweep_args(ctx, now, args, status=0):
    p = subprocess.run([ctx.srv.binary, "sweep", "--db", ctx.srv.db,
                        "--now", now.isoformat()] + args,
                       env=ctx.srv.env, cwd=ctx.srv.tmp,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       timeout=600)
    check(p.returncode == status, "motcua sweep %s: exit %d: %s"
          % (args, p.returncode, short(p.stderr, 1000)))
    if status != 0:
        return p.stderr.decode("utf-8", "replace")
    return json.loads(p.stdout.decode().strip().splitlines()[-1])


@test
def test_outbound_email_and_sms_with_retry(ctx):
    import email
    import email.policy
    spool = os.path.join(ctx.srv.tmp, "spool", "notifications.jsonl")
    mail = drive(ctx, "processing", applicant_email="duc@example.vn")
    sms = drive(ctx, "processing")
    for d, why in ((mail, "Cần xác minh thêm hồ sơ gốc"),
                   (sms, "Chờ ý kiến của cơ quan phối hợp")):
        start = local_date(d["due_at"]) + datetime.timedelta(days=3)
        _, r = find_workday_after(ctx, BD["lead"], d["id"], start,
                                  {"reason": why})
        expect(r, 200, "reschedule")
    smtp, gw = FakeSmtp(), FakeSms(sms["code"])
    args = ["--spool", spool, "--smtp", "127.0.0.1:%d" % smtp.port,
            "--smtp-from", "motcua@ubnd.example.vn", "--sms-url",
            "http://127.0.0.1:%d/sms/send" % gw.port]
    try:
        # bad configuration is refused
        err = sweep_args(ctx, now_utc(), ["--smtp", "nohostport",
                                          "--smtp-from", "a@b.vn"], 1)
        check("HOST:PORT" in err, "bad --smtp: %s" % err)
        err = sweep_args(ctx, now_utc(), ["--sms-url", "ftp://x/y"], 1)
        check("sms-url" in err, "bad --sms-url: %s" % err)

        t0 = now_utc() + datetime.timedelta(seconds=5)
        out = sweep_args(ctx, t0, args)
        check(out["delivery_failures"] >= 1, "first run %s" % out)
        mine = [m for m in smtp.messages if m[0] == "duc@example.vn"]
        check(len(mine) == 1, "e-mails to the applicant: %d" % len(mine))
        msg = email.message_from_bytes(mine[0][1],
                                       policy=email.policy.default)
        check(mail["code"] in str(msg["Subject"]) and
              str(msg["Subject"]).startswith("Xin lỗi và hẹn lại") and
              b"=?UTF-8?B?" in mine[0][1],
              "subject %r" % str(msg["Subject"]))
        body = msg.get_content()
        check("xác minh thêm hồ sơ gốc" in body and mail["code"] in body,
              "e-mail body %r" % body)
        reqs = [x for x in gw.requests if sms["code"] in
                x[1].get("message", "")]
        check(len(reqs) == 1 and reqs[0][2] == 500 and
              reqs[0][0] == "/sms/send" and
              reqs[0][1]["to"] == "0912345678",
              "first SMS attempt %s" % reqs)
        # before the back-off nothing is retried; after it, delivered
        sweep_args(ctx, t0 + datetime.timedelta(seconds=30), args)
        check(len([x for x in gw.requests
                   if sms["code"] in x[1].get("message", "")]) == 1,
              "retried before the back-off")
        out = sweep_args(ctx, t0 + datetime.timedelta(seconds=200), args)
        reqs = [x for x in gw.requests if sms["code"] in
                x[1].get("message", "")]
        check(len(reqs) == 2 and reqs[1][2] == 200 and
              out["delivered"] >= 1, "retry %s, %s" % (reqs, out))
        sweep_args(ctx, t0 + datetime.timedelta(days=2), args)
        check(len([x for x in gw.requests
                   if sms["code"] in x[1].get("message", "")]) == 2 and
              len([m for m in smtp.messages
                   if m[0] == "duc@example.vn"]) == 1,
              "delivered more than once")
    finally:
        smtp.close()
        gw.close()
    # they went out by e-mail and SMS, not to the spool file
    with open(spool, encoding="utf-8") as f:
        lines = [json.loads(x) for x in f if x.strip()]
    check(not [x for x in lines if x.get("kind") == "apology" and
               x.get("dossier_id") in (mail["id"], sms["id"])],
          "apologies of channel dossiers in the spool")


# ---------------------------------------------------------------- register


@test
def test_register_pdf_and_xlsx(ctx):
    import io
    import zipfile
    d = drive(ctx, "processing")
    day = local_date(d["received_at"])
    uid = ctx.unit(BD["unit"])
    path = "%s/units/%d/register" % (API, uid)

    def get(user, **q):
        return ctx.req(user, "GET", path, query=q)

    frm = (day - datetime.timedelta(days=1)).isoformat()
    r = expect(get(BD["desk"], **{"from": frm, "to": day.isoformat()}), 200,
               "register PDF")
    check((r.header("Content-Type") or "").startswith("application/pdf")
          and r.body.startswith(b"%PDF"), "not a PDF: %r" % r.body[:20])
    p = subprocess.run(["pdftotext", "-layout", "-", "-"], input=r.body,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       timeout=120)
    check(p.returncode == 0 and d["code"] in p.stdout.decode("utf-8"),
          "register lacks %s: %s" % (d["code"], short(p.stdout, 800)))
    r = expect(get(INSPECTOR, **{"from": frm, "to": day.isoformat(),
                                 "format": "xlsx"}), 200, "register xlsx")
    check("spreadsheetml" in (r.header("Content-Type") or ""),
          "xlsx Content-Type %r" % r.header("Content-Type"))
    z = zipfile.ZipFile(io.BytesIO(r.body))
    sheet = z.read("xl/worksheets/sheet1.xml").decode("utf-8")
    check(d["code"] in sheet and "Mã hồ sơ" in sheet,
          "xlsx sheet lacks the code: %s" % short(sheet, 500))
    # the period: 31 days for PDF, longer as Excel
    long_from = (day - datetime.timedelta(days=31)).isoformat()
    expect_error(get(BD["lead"], **{"from": long_from,
                                    "to": day.isoformat()}), 422,
                 "period_too_long")
    expect(get(BD["lead"], **{"from": long_from, "to": day.isoformat(),
                              "format": "xlsx"}), 200)
    expect_error(get(BD["desk"], **{"from": day.isoformat(), "to": frm}),
                 400, "bad_range")
    expect_error(get(BD["desk"], **{"from": frm, "to": day.isoformat(),
                                    "format": "doc"}), 400, "bad_format")
    expect_error(get(BD["desk"], to=day.isoformat()), 400)
    expect_error(get(BD["desk"], **{"from": "2026-13-01",
                                    "to": day.isoformat()}), 400)
    for u in (HK["desk"], BD["spec"], CITIZEN, ADMIN):
        expect_error(get(u, **{"from": frm, "to": day.isoformat()}), 403,
                     what="register by %s" % u)
    expect_error(ctx.req(BD["desk"], "GET", "%s/units/999999999/register"
                         % API, query={"from": frm,
                                       "to": day.isoformat()}), 404)
    expect_error(ctx.c.request("GET", path + "?from=%s&to=%s"
                               % (frm, day.isoformat())), 401)
