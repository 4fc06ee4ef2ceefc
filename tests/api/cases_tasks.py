"""
cases_tasks.py - API tests of issue 8: directives and directive tasks
(status computation and freezing, progress reports, done / accept /
return, deadline adjustments, the written cause of lateness, reminders
and escalations from `motcua sweep`, the per-unit report in JSON,
XLSX and PDF) and the demo directive 495/TB-VP. Imported by cases.py after
cases_discipline, so the tests run in its order.
"""
import datetime
import json
import os
import re
import sqlite3
import subprocess

from cases import ADMIN, API, BD, CITIZEN, STP, TZ
from lib import check, expect, expect_error, short, test

PW = "mat-khau-nhiem-vu-1"
TP_LEAD = "tp.lanhdao"          # leader of the city (the issuer)
SNV_LEAD = "snv.lanhdao"        # leader of Sở Nội vụ (a lead unit)
SNV_SPEC = "snv.chuyenvien"
SYT_LEAD = "syt.lanhdao"        # leader of Sở Y tế (report test unit)
_ready = set()


def today():
    return datetime.datetime.now(TZ).date()


def day(n):
    return (today() + datetime.timedelta(days=n)).isoformat()


def account(ctx, user, role, unit_code):
    """Create (once) an official of unit_code and register its login."""
    if user in _ready:
        return
    r = ctx.req(ADMIN, "POST", API + "/accounts",
                body={"username": user, "password": PW, "role": role,
                      "full_name": "Cán bộ " + user,
                      "unit_id": ctx.unit(unit_code)})
    check(r.status in (201, 409), "create %s: %d %s"
          % (user, r.status, short(r.body)))
    ctx.logins[user] = PW
    _ready.add(user)


def setup(ctx):
    account(ctx, TP_LEAD, "leader", "H26")
    account(ctx, SNV_LEAD, "leader", "H26.SNV")
    account(ctx, SNV_SPEC, "specialist", "H26.SNV")
    account(ctx, SYT_LEAD, "leader", "H26.SYT")


def directive(ctx, days_ago=10, user=TP_LEAD):
    r = ctx.req(user, "POST", API + "/directives",
                body={"number": "%d/TB-TEST" % ctx.seq(),
                      "date": day(-days_ago),
                      "summary": "Văn bản chỉ đạo kiểm thử"})
    expect(r, 201, "create directive")
    return r.json()


def task(ctx, d, lead="H26.SNV", status=201, user=TP_LEAD, **extra):
    body = {"directive_id": d["id"], "title": "Nhiệm vụ %d" % ctx.seq(),
            "lead_unit_id": ctx.unit(lead),
            "expected_output": "Báo cáo kết quả"}
    body.update(extra)
    if "deadline" not in body and "deadline_workdays" not in body:
        body["deadline"] = day(20)
    r = ctx.req(user, "POST", API + "/tasks", body=body)
    expect(r, status, "create task %s" % short(json.dumps(
        body, ensure_ascii=False)))
    return r.json()


def post(ctx, user, tid, what, status, **body):
    r = ctx.req(user, "POST", API + "/tasks/%d/%s" % (tid, what), body=body)
    expect(r, status, "%s %s on task %d" % (user, what, tid))
    return r.json()


def refused(ctx, user, tid, what, status, code=None, **body):
    r = ctx.req(user, "POST", API + "/tasks/%d/%s" % (tid, what), body=body)
    expect_error(r, status, code, what="%s %s on task %d" % (user, what, tid))


def get_task(ctx, tid, user=ADMIN):
    return expect(ctx.req(user, "GET", API + "/tasks/%d" % tid), 200,
                  "get task %d" % tid).json()


def status(ctx, tid, user=ADMIN):
    return get_task(ctx, tid, user)["status"]


@test
def test_tasks_demo_directive_495(ctx):
    r = expect(ctx.req(ADMIN, "GET", API + "/directives"), 200, "directives")
    ds = [d for d in r.json()["items"] if d["number"] == "495/TB-VP"]
    check(len(ds) == 1 and ds[0]["issued_on"] == "2023-10-27",
          "demo directive 495/TB-VP: %r" % ds)
    d = expect(ctx.req(ADMIN, "GET", API + "/directives/%d" % ds[0]["id"]),
               200, "directive 495").json()
    st = sorted(t["status"] for t in d["tasks"])
    check(st == ["done_late", "done_on_time", "done_on_time", "overdue"],
          "demo task statuses %s" % st)
    sig = [t for t in d["tasks"] if t["target"] is not None]
    check(len(sig) == 1 and sig[0]["target"]["value"] == 100 and
          sig[0]["lead_unit_id"] == ctx.unit("H26.SNV"),
          "digital-signature task with a 100%% target: %r" % sig)
    ttc = [t for t in d["tasks"] if t["deadline"] == "2023-10-30"]
    check(len(ttc) == 1 and ttc[0]["lead_unit_id"] in
          (ctx.unit("H26.TTPVHCC"),), "TTHC system task: %r" % ttc)
    r = ctx.req(ADMIN, "GET", API + "/units/H26.SNV/task-report",
                query={"from": "2023-10-01", "to": "2023-12-31"})
    rep = expect(r, 200, "SNV demo report").json()
    check(rep["by_status"]["done_on_time"] == 1 and
          rep["by_status"]["done_late"] == 1 and rep["due"] == 2 and
          abs(rep["completion_rate"] - 0.5) < 1e-9 and
          len(rep["late_tasks"]) == 1 and rep["late_tasks"][0]["cause"],
          "SNV 2023 report %r" % rep)


@test
def test_tasks_status_done_accept_return_cause(ctx):
    setup(ctx)
    d = directive(ctx)
    a = task(ctx, d, deadline=day(20))
    check(a["status"] == "in_progress_on_track" and a["state"] == "open" and
          a["deadline_original"] == day(20), "new task %r" % a)
    b = task(ctx, d, deadline=day(1))
    check(b["status"] == "in_progress_at_risk", "near task with no "
          "progress should be at risk: %s" % b["status"])
    post(ctx, SNV_SPEC, b["id"], "reports", 201, percent=90,
         note="Gần xong")
    check(status(ctx, b["id"]) == "in_progress_on_track",
          "90% progress is on track")
    # A configurable threshold: at 95% progress required, 90% is at risk.
    c2 = task(ctx, d, deadline=day(1), risk_progress_pct=95)
    post(ctx, SNV_SPEC, c2["id"], "reports", 201, percent=90, note="90%")
    check(status(ctx, c2["id"]) == "in_progress_at_risk",
          "risk_progress_pct=95 and 90% progress")

    t = post(ctx, SNV_SPEC, a["id"], "reports", 201, percent=50,
             note="Đã triển khai 50%")
    check(t["progress"] == 50 and len(t["reports"]) == 1,
          "report recorded %r" % t["reports"])
    refused(ctx, BD["lead"], a["id"], "reports", 403, percent=10, note="x")
    refused(ctx, SNV_SPEC, a["id"], "done", 403, evidence="x")
    refused(ctx, SNV_SPEC, a["id"], "reports", 400, percent=150, note="x")
    refused(ctx, SNV_SPEC, a["id"], "reports", 400, note="no figure")
    refused(ctx, SNV_SPEC, a["id"], "reports", 400, value=3, note="no "
            "target")
    refused(ctx, TP_LEAD, a["id"], "accept", 409, "wrong_state")
    refused(ctx, SNV_LEAD, a["id"], "cause", 409, "not_overdue",
            cause="chưa quá hạn")
    t = post(ctx, SNV_LEAD, a["id"], "done", 200, evidence="Biên bản")
    check(t["state"] == "submitted" and t["status"] == "done_on_time",
          "submitted on time %r" % t["status"])
    refused(ctx, SNV_LEAD, a["id"], "accept", 403)
    refused(ctx, SNV_LEAD, a["id"], "done", 409, "wrong_state",
            evidence="again")
    t = post(ctx, TP_LEAD, a["id"], "accept", 200, note="Đồng ý")
    check(t["state"] == "accepted" and t["status_frozen"] and
          t["status"] == "done_on_time", "accepted %r" % t)
    refused(ctx, SNV_SPEC, a["id"], "reports", 409, "wrong_state",
            percent=100, note="late report")

    c = task(ctx, d, deadline=day(2))
    try:
        ctx.set_clock(6 * 86400)
        check(status(ctx, c["id"]) == "overdue", "past deadline: overdue")
        check(status(ctx, a["id"]) == "done_on_time", "frozen status moved")
        refused(ctx, SNV_LEAD, c["id"], "done", 409, "cause_required",
                evidence="Xong")
        refused(ctx, BD["lead"], c["id"], "cause", 403, cause="x")
        t = post(ctx, SNV_SPEC, c["id"], "cause", 200,
                 cause="Thiếu nhân lực")
        check(t["cause"] == "Thiếu nhân lực", "cause stored %r" % t)
        t = post(ctx, SNV_LEAD, c["id"], "done", 200, evidence="Xong muộn")
        check(t["status"] == "done_late", "done late %s" % t["status"])
        refused(ctx, TP_LEAD, c["id"], "return", 400, None)
        t = post(ctx, TP_LEAD, c["id"], "return", 200, note="Thiếu minh "
                 "chứng")
        check(t["state"] == "open" and t["status"] == "overdue",
              "returned: open and overdue again %r" % t["status"])
        post(ctx, SNV_LEAD, c["id"], "done", 200, evidence="Bổ sung")
        t = post(ctx, TP_LEAD, c["id"], "accept", 200)
        check(t["status"] == "done_late" and t["status_frozen"],
              "accepted late %r" % t["status"])
        acts = [h["action"] for h in t["history"]]
        check(acts == ["create", "cause", "done", "return", "done",
                       "accept"], "history %s" % acts)
    finally:
        ctx.set_clock(0)


@test
def test_tasks_create_and_scope_refusals(ctx):
    setup(ctx)
    d = directive(ctx)
    task(ctx, d, status=403, user=SNV_LEAD)
    task(ctx, d, status=403, user=BD["lead"])
    task(ctx, d, status=400, deadline=day(5), deadline_workdays=3)
    task(ctx, d, status=400, deadline=day(-30))
    task(ctx, d, status=400, priority="sometime")
    task(ctx, d, status=400, target={"text": "Tỷ lệ", "value": 0})
    task(ctx, d, status=422, lead="H26.SNV", lead_unit_id=999999)
    r = ctx.req(BD["desk"], "POST", API + "/directives",
                body={"number": "1/X", "date": day(0), "summary": "x"})
    expect_error(r, 403, what="desk officer creates a directive")
    r = ctx.req(TP_LEAD, "POST", API + "/directives",
                body={"number": d["number"], "date": day(-10),
                      "summary": "trùng số"})
    expect_error(r, 409, "duplicate_number", what="same number twice")
    r = ctx.req(TP_LEAD, "POST", API + "/directives",
                body={"number": "2/X", "date": "2023-13-40",
                      "summary": "x"})
    expect_error(r, 400, what="bad date")
    # Deadline in working days from the directive's date.
    w = task(ctx, d, deadline_workdays=5, lead="H26.STP",
             cooperating_unit_ids=[ctx.unit("H26.SNV")])
    r = ctx.req(ADMIN, "GET", API + "/calendar/between",
                query={"a": day(-10), "b": w["deadline"]})
    check(expect(r, 200, "between").json()["working_days"] == 5,
          "5 working days after %s gave %s" % (day(-10), w["deadline"]))
    check([u["code"] for u in w["cooperating_units"]] == ["H26.SNV"],
          "cooperating units %r" % w["cooperating_units"])
    # Scope: the lead and the cooperating unit see it, Ba Đình does not.
    for user, sees in ((STP["spec"], True), (SNV_SPEC, True),
                       (TP_LEAD, True), (BD["lead"], False)):
        r = ctx.req(user, "GET", API + "/tasks",
                    query={"directive_id": str(d["id"]), "limit": "500"})
        ids = [t["id"] for t in expect(r, 200, "list as " + user)
               .json()["items"]]
        check((w["id"] in ids) == sees, "%s sees task: %s" % (user, ids))
    expect_error(ctx.req(BD["lead"], "GET", API + "/tasks/%d" % w["id"]),
                 403, what="other unit reads the task")
    expect_error(ctx.req(CITIZEN, "GET", API + "/tasks"), 403,
                 what="citizen lists tasks")
    r = ctx.req(ADMIN, "GET", API + "/tasks", query={"status": "bogus"})
    expect_error(r, 400, "bad_status", what="unknown status filter")
    r = ctx.req(ADMIN, "GET", API + "/tasks",
                query={"status": "overdue", "limit": "500"})
    check(all(t["status"] == "overdue" for t in expect(r, 200, "filter")
              .json()["items"]), "status filter")


@test
def test_tasks_adjustments_approved_and_refused(ctx):
    setup(ctx)
    d = directive(ctx)
    t = task(ctx, d, deadline=day(3))
    tid = t["id"]
    refused(ctx, SNV_LEAD, tid, "adjustments", 400, "bad_proposed",
            reason="x", proposed=day(2))
    refused(ctx, SNV_SPEC, tid, "adjustments", 403, reason="x",
            proposed=day(30))
    a1 = post(ctx, SNV_LEAD, tid, "adjustments", 201,
              reason="Khối lượng lớn", proposed=day(30))["adjustments"][0]
    refused(ctx, SNV_LEAD, tid, "adjustments", 409, "adjustment_pending",
            reason="again", proposed=day(31))
    path = "adjustments/%d/decision" % a1["id"]
    refused(ctx, SNV_LEAD, tid, path, 403, decision="approve")
    refused(ctx, TP_LEAD, tid, path, 400, "bad_decision", decision="maybe")
    r = post(ctx, TP_LEAD, tid, path, 200, decision="approve", note="Đồng ý")
    check(r["deadline"] == day(30) and r["deadline_original"] == day(3) and
          r["adjusted"], "approved adjustment %r" % r)
    refused(ctx, TP_LEAD, tid, path, 409, "already_decided",
            decision="refuse")
    r = ctx.req(TP_LEAD, "POST", API + "/tasks/%d/adjustments/999999/"
                "decision" % tid, body={"decision": "approve"})
    expect_error(r, 404, what="unknown adjustment")
    a2 = post(ctx, SNV_LEAD, tid, "adjustments", 201, reason="Lần hai",
              proposed=day(60))["adjustments"][1]
    r = post(ctx, TP_LEAD, tid, "adjustments/%d/decision" % a2["id"], 200,
             decision="refuse", note="Không đồng ý")
    check(r["deadline"] == day(30), "refused adjustment moved the deadline")
    states = [a["state"] for a in r["adjustments"]]
    check(states == ["approved", "refused"], "adjustments kept %s" % states)
    acts = [h["action"] for h in r["history"]]
    check(acts.count("adjustment_decision") == 2, "history %s" % acts)
    # Audited: requests and decisions in the hash-chained audit log, with
    # the decider and the decision.
    rows = audit_rows(ctx, "task:%d" % tid)
    got = [(a, json.loads(p).get("decision")) for a, p in rows
           if a in ("task.adjustment_request",
                    "task.adjustment_decision")]
    check(got == [("task.adjustment_request", None),
                  ("task.adjustment_decision", "approved"),
                  ("task.adjustment_request", None),
                  ("task.adjustment_decision", "refused")],
          "adjustment audit records %r" % rows)


def audit_rows(ctx, obj):
    """(action, payload) of the audit records of obj, in chain order."""
    sql = ("SELECT action, payload FROM audit WHERE object = '%s' "
           "ORDER BY seq" % obj.replace("'", "''"))
    if ctx.srv.db.startswith("postgres"):
        p = subprocess.run(["psql", ctx.srv.db, "-tAF", "\t", "-c", sql],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           timeout=60)
        check(p.returncode == 0, "psql: %s" % short(p.stderr))
        return [tuple(line.split("\t", 1)) for line in
                p.stdout.decode().splitlines() if line]
    con = sqlite3.connect("file:%s?mode=ro" % ctx.srv.db, uri=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def sweep(ctx, when):
    spool = os.path.join(ctx.srv.tmp, "tasks-spool.jsonl")
    p = subprocess.run([ctx.srv.binary, "sweep", "--db", ctx.srv.db,
                        "--now", when.isoformat(), "--spool", spool],
                       env=ctx.srv.env, cwd=ctx.srv.tmp,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       timeout=600)
    check(p.returncode == 0, "motcua sweep exit %d: %s"
          % (p.returncode, short(p.stderr, 1000)))


def inbox(ctx, user, kind, title):
    r = ctx.req(user, "GET", API + "/notifications", query={"limit": "500"})
    items = expect(r, 200, "inbox of " + user).json()["items"]
    return [n for n in items if n["kind"] == kind and title in n["title"]]


@test
def test_tasks_reminder_and_escalation_once(ctx):
    setup(ctx)
    d = directive(ctx)
    near = task(ctx, d, deadline=day(1))
    late = task(ctx, d, deadline=day(0))
    noon = datetime.datetime.combine(today(), datetime.time(12, 0),
                                     tzinfo=TZ)
    for _ in range(2):
        sweep(ctx, noon)
    got = inbox(ctx, SNV_LEAD, "task_near_due_reminder", near["title"])
    check(len(got) == 1, "one near-due reminder to the lead's leader: %r"
          % got)
    check(inbox(ctx, TP_LEAD, "task_overdue_escalation", late["title"]) ==
          [], "escalated before the deadline passed")
    for _ in range(2):
        sweep(ctx, noon + datetime.timedelta(days=3))
    for t in (near, late):
        got = inbox(ctx, TP_LEAD, "task_overdue_escalation", t["title"])
        check(len(got) == 1, "one escalation to the issuer's leader for %s:"
              " %r" % (t["title"], got))
    check(len(inbox(ctx, SNV_LEAD, "task_near_due_reminder",
                    near["title"])) == 1, "reminder repeated")
    check(inbox(ctx, SNV_LEAD, "task_overdue_escalation", near["title"]) ==
          [], "escalation went to the lead unit")
    acts = [h["action"] for h in get_task(ctx, near["id"])["history"]]
    check(acts.count("task.reminder") == 1 and
          acts.count("task.escalation") == 1, "history %s" % acts)


@test
def test_tasks_unit_report_json_xlsx(ctx):
    setup(ctx)
    d = directive(ctx, days_ago=20)
    lead = "H26.SYT"
    on_time = task(ctx, d, lead=lead, deadline=day(5))
    done_late = task(ctx, d, lead=lead, deadline=day(-2),
                     title="Nhiệm vụ %d %s" % (ctx.seq(), VI_LOWER))
    overdue = task(ctx, d, lead=lead, deadline=day(-1),
                   title="Nhiệm vụ %d %s" % (ctx.seq(), VI_UPPER))
    task(ctx, d, lead=lead, deadline=day(30))
    task(ctx, d, lead="H26.SNV", deadline=day(5))      # another unit
    post(ctx, SYT_LEAD, on_time["id"], "done", 200, evidence="Xong")
    post(ctx, TP_LEAD, on_time["id"], "accept", 200)
    post(ctx, SYT_LEAD, done_late["id"], "cause", 200, cause="Thiếu kinh phí")
    post(ctx, SYT_LEAD, done_late["id"], "done", 200, evidence="Xong muộn")
    post(ctx, TP_LEAD, done_late["id"], "accept", 200)
    post(ctx, SYT_LEAD, overdue["id"], "cause", 200, cause="Chờ hướng dẫn")
    q = {"from": day(-20), "to": day(40)}
    r = ctx.req(SYT_LEAD, "GET", API + "/units/%d/task-report"
                % ctx.unit(lead), query=q)
    rep = expect(r, 200, "SYT report").json()
    bs = rep["by_status"]
    check(rep["total"] == 4 and bs["done_on_time"] == 1 and
          bs["done_late"] == 1 and bs["overdue"] == 1 and
          bs["in_progress_on_track"] + bs["in_progress_at_risk"] == 1 and
          rep["due"] == 3 and abs(rep["completion_rate"] - 1 / 3) < 1e-9,
          "report figures %s" % short(json.dumps(rep), 600))
    # the unit's own scorecard figures, scored by the original deadline
    ur = rep["unit_rate"]
    check(ur == {"total": 4, "done_on_time": 1, "done_late": 1,
                 "overdue": 1, "in_progress": 1, "rate": 0.5,
                 "on_time_rate": 0.25}, "unit_rate %r" % ur)
    # the same figures feed the unit's evaluation scorecard for the period
    sc = expect(ctx.req(SYT_LEAD, "GET", API + "/evaluation/scorecard",
                        query={"unit": ctx.unit(lead),
                               "period": "%s..%s" % (q["from"], q["to"])}),
                200, "SYT scorecard").json()
    check(sc.get("tasks") == ur, "scorecard tasks %r vs report %r"
          % (sc.get("tasks"), ur))
    causes = sorted(t["cause"] for t in rep["late_tasks"])
    check(causes == ["Chờ hướng dẫn", "Thiếu kinh phí"],
          "late tasks with causes %s" % causes)
    q2 = dict(q, format="xlsx")
    r = ctx.req(SYT_LEAD, "GET", API + "/units/H26.SYT/task-report",
                query=q2)
    expect(r, 200, "xlsx report")
    check(r.body[:2] == b"PK" and "spreadsheetml" in
          (r.header("Content-Type") or ""), "xlsx body/type")
    expect_error(ctx.req(SYT_LEAD, "GET", API + "/units/H26.STP/task-report",
                         query=q), 403, what="report of another unit")
    expect_error(ctx.req(SYT_LEAD, "GET", API + "/units/H26.SYT/task-report",
                         query={"from": day(5), "to": day(1)}), 400,
                 what="reversed period")
    expect_error(ctx.req(SYT_LEAD, "GET", API + "/units/H26.SYT/task-report",
                         query=dict(q, format="doc")), 400,
                 what="unknown format")
    # The PDF: counts, rate, late tasks with causes; every diacritic.
    r = ctx.req(SYT_LEAD, "GET", API + "/units/H26.SYT/task-report",
                query=dict(q, format="pdf"))
    expect(r, 200, "pdf report")
    check((r.header("Content-Type") or "").startswith("application/pdf")
          and r.body.startswith(b"%PDF"), "pdf body/type %r" % r.body[:20])
    text = pdf_words(r.body)
    flat = "".join(text.split())
    for want in ("BÁO CÁO TÌNH HÌNH THỰC HIỆN NHIỆM VỤ ĐƯỢC GIAO",
                 "Đơn vị chủ trì: Sở Y tế",
                 "Tổng số nhiệm vụ có hạn trong kỳ 4",
                 "Hoàn thành đúng hạn 1", "Hoàn thành quá hạn 1",
                 "Quá hạn, chưa hoàn thành 1",
                 "Tỷ lệ hoàn thành đúng hạn (trên số nhiệm vụ đã đến hạn):"
                 " 33.3%", "Thiếu kinh phí", "Chờ hướng dẫn",
                 VI_LOWER, VI_UPPER, done_late["title"], overdue["title"]):
        check("".join(want.split()) in flat,
              "PDF report lacks %r: %s" % (want, short(text, 1500)))
    check(re.search(re.escape(on_time["title"]) + r"(?!\d)", text) is None,
          "on-time task listed as late")
    expect_error(ctx.req(SYT_LEAD, "GET", API + "/units/H26.STP/task-report",
                         query=dict(q, format="pdf")), 403,
                 what="pdf report of another unit")


# Every Vietnamese vowel with every tone mark, and đ (NFC).
VI_LOWER = ("àáảãạ ăằắẳẵặ âầấẩẫậ èéẻẽẹ êềếểễệ ìíỉĩị òóỏõọ ôồốổỗộ ơờớởỡợ "
            "ùúủũụ ưừứửữự ỳýỷỹỵ đ")
VI_UPPER = VI_LOWER.upper()


def pdf_words(body):
    """Text of a PDF (pdftotext, reading order)."""
    p = subprocess.run(["pdftotext", "-", "-"], input=body,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       timeout=120)
    check(p.returncode == 0, "pdftotext failed: %s" % short(p.stderr))
    return p.stdout.decode("utf-8", "replace")
