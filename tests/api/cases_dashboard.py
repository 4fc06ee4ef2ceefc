"""
cases_dashboard.py - API tests of the leadership dashboard (issue 5):
GET /api/v1/dashboard/trend (on-time trend from the rollups), /steps (worst
hand-over steps of the ledger) and /near-due (open dossiers by due
instant), their Excel exports, and every refusal of the scope rules
(anonymous 401; citizens, partners 403; leaders outside their subtree,
desk officers and specialists outside their own unit 403; unknown unit
404; bad periods, months, ranges, formats 400). Imported by cases.py.
"""
import datetime
import io
import zipfile

from cases import (ADMIN, API, BD, CITIZEN, HK, INSPECTOR, PARTNER, STP, TZ,
                   act_ok, drive, get, ts)
from lib import check, expect, expect_error, test

DASH = API + "/dashboard/"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def dash(ctx, user, what, **query):
    q = "&".join("%s=%s" % kv for kv in query.items())
    return ctx.req(user, "GET", DASH + what + ("?" + q if q else ""))


def dash_ok(ctx, user, what, **query):
    r = dash(ctx, user, what, **query)
    expect(r, 200, "dashboard %s as %s %r" % (what, user, query))
    return r.json()


def this_month():
    return datetime.datetime.now(TZ).strftime("%Y-%m")


def month_row(ans, month):
    rows = [it for it in ans["items"] if it["month"] == month]
    check(len(rows) == 1, "trend has no single row for %s: %r"
          % (month, ans["items"]))
    return rows[0]


@test
def test_dashboard_trend_counts_from_rollups(ctx):
    m = this_month()
    bd = ctx.unit(BD["unit"])
    before = month_row(dash_ok(ctx, BD["lead"], "trend"), m)
    prov = month_row(dash_ok(ctx, INSPECTOR, "trend"), m)
    hk = month_row(dash_ok(ctx, HK["lead"], "trend"), m)
    d = drive(ctx, "pending_approval")
    act_ok(ctx, BD["lead"], d["id"], "approve", "done")
    drive(ctx, "received")
    ans = dash_ok(ctx, BD["lead"], "trend")
    check(ans["unit"] == {"id": bd, "code": BD["unit"],
                          "name": ans["unit"]["name"]} and
          len(ans["items"]) == 12 and ans["items"][-1]["month"] == m,
          "default trend: 12 months to this one, own unit: %r" % ans)
    after = month_row(ans, m)
    check(after["received"] == before["received"] + 2 and
          after["finished"] == before["finished"] + 1 and
          after["on_time"] == before["on_time"] + 1 and
          after["online"] == before["online"] + 2,
          "trend before %r after %r" % (before, after))
    check(after["rate"] == round(after["on_time"] / after["finished"], 4),
          "rate %r" % after)
    p2 = month_row(dash_ok(ctx, INSPECTOR, "trend"), m)
    check(p2["received"] == prov["received"] + 2 and
          p2["finished"] == prov["finished"] + 1,
          "province trend before %r after %r" % (prov, p2))
    hk2 = month_row(dash_ok(ctx, HK["lead"], "trend"), m)
    check(hk2 == hk, "another ward's trend moved: %r -> %r" % (hk, hk2))
    same = dash_ok(ctx, INSPECTOR, "trend", unit=bd, **{"from": m, "to": m})
    check(len(same["items"]) == 1 and same["items"][0] == after,
          "one-month trend of Ba Đình for the inspector: %r" % same)
    old = dash_ok(ctx, BD["lead"], "trend", **{"from": "2001-01",
                                               "to": "2001-03"})
    check([it["month"] for it in old["items"]] ==
          ["2001-01", "2001-02", "2001-03"] and
          all(it["received"] == 0 and it["rate"] is None
              for it in old["items"]), "empty months %r" % old)
    # an empty from (as a form sends it) is no from: 12 months to 'to'
    blank = dash_ok(ctx, BD["lead"], "trend", **{"from": "", "to": "2001-03"})
    check([it["month"] for it in blank["items"]] ==
          ["2000-%02d" % k for k in range(4, 13)] +
          ["2001-01", "2001-02", "2001-03"], "empty from %r" % blank)


def ledger_open_step(ctx, did):
    steps = [s for s in get(ctx, did)["ledger"] if s["left_at"] is None]
    check(len(steps) == 1, "one open ledger step: %r" % steps)
    return steps[0]


def step_group(ans, name, unit_id, official_id):
    for it in ans["items"]:
        if (it["step"] == name and it["unit"]["id"] == unit_id and
                (it["official"] or {}).get("id") == official_id):
            return it
    return {"steps": 0, "late": 0, "delay_hours": 0.0}


@test
def test_dashboard_steps_late_handover(ctx):
    d = drive(ctx, "processing")
    did = d["id"]
    step = ledger_open_step(ctx, did)
    check(step["due_at"] is not None, "processing step without due %r" % step)
    due = ts(step["due_at"])
    now = datetime.datetime.now(datetime.timezone.utc)
    off = int((due - now).total_seconds()) + 5 * 3600
    left_day = (now + datetime.timedelta(seconds=off)).astimezone(TZ).date()
    period = "%s..%s" % (datetime.datetime.now(TZ).date().isoformat(),
                         (left_day + datetime.timedelta(days=1)).isoformat())
    spec, bd = ctx.uid(BD["spec"]), ctx.unit(BD["unit"])
    before = step_group(dash_ok(ctx, BD["lead"], "steps", period=period,
                                limit=100), step["name"], bd, spec)
    try:
        ctx.set_clock(off)
        act_ok(ctx, BD["spec"], did, "submit_for_approval",
               "pending_approval", result="Đủ điều kiện, trình ký muộn")
    finally:
        ctx.set_clock(0)
    done = [s for s in get(ctx, did)["ledger"] if s["seq"] == step["seq"]][0]
    check(done["outcome"] == "late", "late hand-over recorded %r" % done)
    delay = (ts(done["left_at"]) - ts(done["due_at"])).total_seconds() / 3600
    ans = dash_ok(ctx, BD["lead"], "steps", period=period, limit=100)
    check(ans["period"]["label"] == period and
          ans["period"]["from"] == period[:10] and
          ans["unit"]["id"] == bd, "steps header %r" % ans)
    g = step_group(ans, step["name"], bd, spec)
    # a group without a late step is not listed: its on-time steps were
    # not counted in `before`
    check(g["steps"] >= before["steps"] + 1 and
          g["late"] == before["late"] + 1 and g["steps"] >= g["late"],
          "group %r before %r" % (g, before))
    check(abs(g["delay_hours"] - before["delay_hours"] - delay) <= 0.11,
          "delay grew by %.2f h, expected %.2f h: %r"
          % (g["delay_hours"] - before["delay_hours"], delay, g))
    check(g["official"]["full_name"] and
          g["late_rate"] == round(g["late"] / g["steps"], 4) and
          abs(g["avg_delay_hours"] - g["delay_hours"] / g["late"]) <= 0.06,
          "derived figures %r" % g)
    delays = [it["delay_hours"] for it in ans["items"]]
    check(delays == sorted(delays, reverse=True) and
          all(it["late"] > 0 for it in ans["items"]),
          "worst first, late groups only: %r" % delays)
    top = dash_ok(ctx, BD["lead"], "steps", period=period, limit=1)
    check(len(top["items"]) <= 1, "limit=1 gave %d" % len(top["items"]))
    hk = dash_ok(ctx, HK["lead"], "steps", period=period, limit=100)
    check(all(it["unit"]["id"] != bd for it in hk["items"]),
          "Hoàn Kiếm sees Ba Đình steps: %r" % hk)


@test
def test_dashboard_near_due_and_overdue(ctx):
    d = drive(ctx, "processing")
    did = d["id"]
    due = ts(d["due_at"])
    now = datetime.datetime.now(datetime.timezone.utc)
    base = int((due - now).total_seconds())

    def row(user, **q):
        ans = dash_ok(ctx, user, "near-due", **q)
        dues = [ts(it["due_at"]) for it in ans["items"]]
        check(dues == sorted(dues), "near-due not by due_at %r" % ans)
        rows = [it for it in ans["items"] if it["id"] == did]
        return rows[0] if rows else None

    check(row(BD["lead"], hours=1, limit=500) is None,
          "a dossier due in %d h listed within 1 h" % (base // 3600))
    try:
        ctx.set_clock(base - 10 * 3600)
        r = row(BD["lead"], hours=48, limit=500)
        check(r is not None and abs(r["hours_left"] - 10) <= 0.1 and
              r["code"] == d["code"] and r["status"] == "processing" and
              r["holder"]["id"] == ctx.uid(BD["spec"]) and
              r["holder"]["full_name"] and r["procedure"],
              "10 h before due: %r" % r)
        check(row(BD["lead"], hours=9, limit=500) is None,
              "listed within 9 h while 10 h are left")
        check(row(HK["lead"], hours=48, limit=500) is None,
              "Hoàn Kiếm's leader sees a Ba Đình dossier")
        check(row(BD["spec"], hours=48, limit=500) is not None,
              "the specialist of the unit does not see it")
        ctx.set_clock(base + 5 * 3600)
        r = row(INSPECTOR, hours=1, limit=500)
        check(r is not None and abs(r["hours_left"] + 5) <= 0.1,
              "5 h overdue: %r" % r)
    finally:
        ctx.set_clock(0)
    act_ok(ctx, BD["spec"], did, "submit_for_approval", "pending_approval",
           result="Đủ điều kiện")
    act_ok(ctx, BD["lead"], did, "approve", "done")
    try:
        ctx.set_clock(base + 5 * 3600)
        check(row(BD["lead"], hours=48, limit=500) is None,
              "a finished dossier is still listed")
    finally:
        ctx.set_clock(0)


def sheet_text(body):
    z = zipfile.ZipFile(io.BytesIO(body))
    parts = [n for n in z.namelist()
             if n.startswith("xl/worksheets/") or n == "xl/sharedStrings.xml"]
    return "".join(z.read(n).decode("utf-8") for n in parts)


@test
def test_dashboard_xlsx_exports(ctx):
    d = drive(ctx, "processing")
    m = this_month()
    for what, query, header, cell in (
            ("trend", {}, "Tỷ lệ đúng hạn", m),
            ("steps", {"period": "2026"}, "Giờ trễ trung bình", None),
            ("near-due", {"hours": 8760}, "Số giờ còn lại", d["code"])):
        query["format"] = "xlsx"
        r = dash(ctx, BD["lead"], what, **query)
        expect(r, 200, "%s as xlsx" % what)
        check(r.header("Content-Type") == XLSX and
              "attachment" in (r.header("Content-Disposition") or "") and
              ".xlsx" in r.header("Content-Disposition") and
              r.body[:2] == b"PK", "%s xlsx headers %s"
              % (what, r.header("Content-Disposition")))
        text = sheet_text(r.body)
        check(header in text, "%s sheet lacks header %s" % (what, header))
        if cell is not None:
            check(cell in text, "%s sheet lacks %s" % (what, cell))
    expect_error(dash(ctx, BD["lead"], "trend", format="pdf"), 400,
                 "bad_format", "format")


@test
def test_dashboard_scope_refusals(ctx):
    bd, hk = ctx.unit(BD["unit"]), ctx.unit(HK["unit"])
    stp = ctx.unit(STP["unit"])
    for what in ("trend", "steps", "near-due"):
        expect_error(ctx.c.request("GET", DASH + what), 401)
        expect_error(dash(ctx, CITIZEN, what), 403)
        expect_error(dash(ctx, PARTNER, what), 403)
        expect_error(dash(ctx, BD["lead"], what, unit=hk), 403,
                     "out_of_scope", "unit")
        expect_error(dash(ctx, HK["lead"], what, unit=bd), 403,
                     "out_of_scope", "unit")
        expect_error(dash(ctx, STP["lead"], what, unit=bd), 403,
                     "out_of_scope", "unit")
        expect_error(dash(ctx, BD["spec"], what, unit=hk), 403,
                     "out_of_scope", "unit")
        expect_error(dash(ctx, BD["desk"], what, unit=stp), 403,
                     "out_of_scope", "unit")
        expect_error(dash(ctx, CITIZEN, what, format="xlsx"), 403)
        expect_error(dash(ctx, BD["lead"], what, unit=hk, format="xlsx"),
                     403, "out_of_scope")
        expect_error(dash(ctx, INSPECTOR, what, unit=999999), 404,
                     "unknown_unit", "unit")
        expect_error(dash(ctx, BD["lead"], what, unit="abc"), 400)
        own = dash_ok(ctx, BD["spec"], what, unit=bd)
        check(own["unit"]["id"] == bd, "specialist's own unit %r" % own)
        check(dash_ok(ctx, BD["desk"], what)["unit"]["id"] == bd,
              "desk officer's default unit")
        check(dash_ok(ctx, INSPECTOR, what, unit=hk)["unit"]["id"] == hk,
              "inspector reads any unit")
        root = dash_ok(ctx, ADMIN, what)["unit"]
        check(root["id"] not in (bd, hk, stp) and
              dash_ok(ctx, INSPECTOR, what)["unit"] == root,
              "default unit of inspectors/admins is the root %r" % root)
        parent = root["id"]
        expect_error(dash(ctx, BD["spec"], what, unit=parent), 403,
                     "out_of_scope", "unit")
        expect_error(dash(ctx, BD["lead"], what, unit=parent), 403,
                     "out_of_scope", "unit")
    for bad in ("2026-13", "2026-Q5", "abc", "2026-10-05..2026-10-01"):
        expect_error(dash(ctx, BD["lead"], "steps", period=bad), 400,
                     "bad_period", "period")
    for bad in ("2026", "2026-Q1", "2026-13", "x"):
        expect_error(dash(ctx, BD["lead"], "trend", **{"from": bad}), 400,
                     "bad_month", "from")
    expect_error(dash(ctx, BD["lead"], "trend", **{"from": "2026-05",
                                                   "to": "2026-04"}),
                 400, "bad_range", "to")
    expect_error(dash(ctx, BD["lead"], "trend", **{"from": "2020-01",
                                                   "to": "2025-01"}),
                 400, "range_too_long", "from")
    check(len(dash_ok(ctx, BD["lead"], "trend", **{
        "from": "2020-01", "to": "2024-12"})["items"]) == 60,
        "60 months are allowed")
    expect_error(dash(ctx, BD["lead"], "steps", limit=0), 400)
    expect_error(dash(ctx, BD["lead"], "steps", limit=101), 400)
    expect_error(dash(ctx, BD["lead"], "near-due", hours=0), 400)
    expect_error(dash(ctx, BD["lead"], "near-due", limit=501), 400)
    expect_error(ctx.req(BD["lead"], "POST", DASH + "trend", {}), 405)
