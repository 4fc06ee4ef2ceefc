"""
cases_evaluation.py - API tests of issue 5. Part 1: citizens' evaluations
of finished dossiers (TT 01/2018 criteria 1, 3, 4, 7 and satisfaction)
through the three channels, each once: online (the applicant), kiosk (no
login, dossier code + receipt secret) and desk (paper form entered by a
desk officer of the receiving unit); refusals of unfinished dossiers,
strangers, bad scores and repeats. Part 2: the evaluation reports (the
Decision 766 index with its drill-down and manual indicators, TT 01/2018
scores, rankings, scorecards, their XLSX exports) and every scoping
refusal. Imported by cases.py.
"""
import hashlib
import io
import zipfile

from cases import (ADMIN, API, BD, CITIZEN, CITIZEN2, HK, INSPECTOR, PARTNER,
                   act_ok, drive, local_date, ts)
from lib import check, expect, expect_error, test

GOOD = {"scores": {"1": 2, "3": 1, "4": 2, "7": 2},
        "satisfaction": "satisfied", "comment": "Cán bộ nhiệt tình"}


def post(ctx, user, did, body):
    return ctx.req(user, "POST", "%s/dossiers/%d/evaluation" % (API, did),
                   body)


def kiosk(ctx, body):
    return ctx.c.request("POST", API + "/public/evaluations", body=body)


def evaluations(ctx, user, did):
    r = ctx.req(user, "GET", "%s/dossiers/%d/evaluation" % (API, did))
    expect(r, 200, "evaluation of %d as %s" % (did, user))
    return r.json()


def secret(d):
    at = int(ts(d["received_at"]).timestamp())
    return hashlib.sha256(("%s%d" % (d["code"], at)).encode()).hexdigest()[-6:]


def done(ctx):
    d = drive(ctx, "pending_approval")
    return act_ok(ctx, BD["lead"], d["id"], "approve", "done")


@test
def test_evaluation_online_once_and_refusals(ctx):
    d = drive(ctx, "processing")
    did = d["id"]
    expect_error(post(ctx, CITIZEN, did, GOOD), 409, "not_finished")
    d = act_ok(ctx, BD["spec"], did, "submit_for_approval",
               "pending_approval", result="Đủ điều kiện")
    d = act_ok(ctx, BD["lead"], did, "approve", "done")
    expect_error(post(ctx, CITIZEN2, did, GOOD), 403)
    expect_error(post(ctx, BD["spec"], did, GOOD), 403)
    expect_error(post(ctx, CITIZEN, did, dict(GOOD, scores={"1": 3})), 422,
                 "bad_score")
    expect_error(post(ctx, CITIZEN, did, dict(GOOD, scores={"2": 1})), 422,
                 "criterion_not_citizen")
    expect_error(post(ctx, CITIZEN, did, dict(GOOD, satisfaction="meh")),
                 422, "bad_satisfaction")
    expect_error(post(ctx, CITIZEN, did, {"scores": {"1": 2}}), 400)
    expect_error(post(ctx, CITIZEN, did, dict(GOOD, stars=5)), 400,
                 "unknown_field")
    expect_error(post(ctx, CITIZEN, did, dict(GOOD, scores={"1": "2"})), 422)
    check(evaluations(ctx, CITIZEN, did)["items"] == [],
          "refused evaluations were stored")
    r = expect(post(ctx, CITIZEN, did, GOOD), 201, "online evaluation")
    check(r.json()["channel"] == "online" and r.json()["dossier_id"] == did,
          "created %r" % r.json())
    expect_error(post(ctx, CITIZEN, did, GOOD), 409, "already_evaluated")
    e = evaluations(ctx, CITIZEN, did)
    check(len(e["items"]) == 1 and e["finished"] is True and
          "kiosk_secret" not in e, "citizen view %r" % e)
    it = e["items"][0]
    check(it["scores"] == {"1": 2, "3": 1, "4": 2, "7": 2} and
          it["satisfaction"] == "satisfied" and
          it["comment"] == "Cán bộ nhiệt tình" and
          it["official_id"] == ctx.uid(BD["spec"]), "stored %r" % it)
    expect_error(ctx.req(CITIZEN2, "GET", "%s/dossiers/%d/evaluation"
                         % (API, did)), 403)
    expect_error(ctx.c.request("GET", "%s/dossiers/%d/evaluation"
                               % (API, did)), 401)


@test
def test_evaluation_kiosk_with_receipt_secret(ctx):
    d = done(ctx)
    did = d["id"]
    sec = secret(d)
    e = evaluations(ctx, BD["desk"], did)
    check(e.get("kiosk_secret") == sec, "kiosk secret %r, expected %s"
          % (e.get("kiosk_secret"), sec))
    body = dict(GOOD, code=d["code"], satisfaction="very_satisfied")
    wrong = "000000" if sec != "000000" else "111111"
    expect_error(kiosk(ctx, dict(body, secret=wrong)), 404)
    expect_error(kiosk(ctx, dict(body, code="KHONG-CO-MA", secret=sec)), 404)
    expect_error(kiosk(ctx, {"code": d["code"], "secret": sec}), 400)
    r = expect(kiosk(ctx, dict(body, secret=sec)), 201, "kiosk evaluation")
    check(r.json()["channel"] == "kiosk", "kiosk created %r" % r.json())
    expect_error(kiosk(ctx, dict(body, secret=sec)), 409,
                 "already_evaluated")
    # the online channel is still open to the applicant, once
    expect(post(ctx, CITIZEN, did, GOOD), 201, "online after kiosk")
    chans = sorted(i["channel"] for i in
                   evaluations(ctx, CITIZEN, did)["items"])
    check(chans == ["kiosk", "online"], "channels %r" % chans)
    # an unfinished dossier cannot be evaluated at the kiosk either
    p = drive(ctx, "processing")
    expect_error(kiosk(ctx, dict(body, code=p["code"], secret=secret(p))),
                 409, "not_finished")


@test
def test_evaluation_desk_paper_form(ctx):
    d = drive(ctx, "processing")
    did = d["id"]
    act_ok(ctx, BD["lead"], did, "reject", "rejected",
           reason="Không đủ điều kiện")
    act_ok(ctx, BD["desk"], did, "return_result", "returned")
    expect_error(post(ctx, HK["desk"], did, GOOD), 403)
    paper = {"scores": {"1": 0, "7": 1}, "satisfaction": "dissatisfied"}
    r = expect(post(ctx, BD["desk"], did, paper), 201, "desk evaluation")
    check(r.json()["channel"] == "desk", "desk created %r" % r.json())
    expect_error(post(ctx, BD["desk"], did, paper), 409, "already_evaluated")
    it = evaluations(ctx, BD["lead"], did)["items"][0]
    check(it["scores"] == {"1": 0, "3": None, "4": None, "7": 1} and
          it["entered_by"] == ctx.uid(BD["desk"]) and
          it["comment"] is None, "desk stored %r" % it)


# ------------------------------------------------ part 2: the reports


def ev(ctx, user, path, **query):
    q = {k: v for k, v in query.items() if v is not None}
    return ctx.req(user, "GET", API + "/evaluation/" + path, query=q)


def month_of(d):
    return local_date(d["received_at"]).strftime("%Y-%m")


def indicators(j):
    return {i["id"]: i for g in j["groups"] for i in g["indicators"]}


@test
def test_evaluation_766_index_and_drill(ctx):
    d = done(ctx)
    period = month_of(d)
    bd = ctx.unit(BD["unit"])
    j = expect(ev(ctx, BD["lead"], "766", unit=bd, period=period), 200,
               "766 of Ba Đình").json()
    check(j["unit"] == {"id": bd, "code": BD["unit"], "name": j["unit"]["name"]}
          and j["period"]["label"] == period and j["max"] == 100 and
          j["dossiers"] >= 1, "766 header %r" % {k: j[k] for k in
                                                 ("unit", "period", "max")})
    check([g["no"] for g in j["groups"]] == [1, 2, 3, 4, 5] and
          [g["max"] for g in j["groups"]] == [18, 20, 22, 22, 18],
          "groups %r" % [(g["no"], g["max"]) for g in j["groups"]])
    ind = indicators(j)
    i21 = ind["2.1"]
    check(i21["source"] == "system" and i21["drill"] is True and
          i21["den"] >= 1 and 0 <= i21["num"] <= i21["den"] and
          abs(i21["rate"] - i21["num"] / i21["den"]) < 0.0001 and
          abs(i21["points"] - 20 * i21["rate"]) < 0.01, "2.1 %r" % i21)
    check(all(ind[k]["source"] in ("missing", "manual") and
              ind[k]["drill"] is False for k in ("1.1", "1.4", "3.6", "4.4")),
          "external indicators %r" % ind["1.1"])
    pts = sum(i["points"] for i in ind.values() if i["points"] is not None)
    check(abs(pts - j["total"]) < 0.05, "total %r vs points %r"
          % (j["total"], pts))
    # drill-down: the dossiers behind the numbers
    q = dict(unit=bd, period=period, indicator="2.1", limit=500)
    den = expect(ev(ctx, BD["lead"], "766/dossiers", part="den", **q),
                 200).json()
    num = expect(ev(ctx, BD["lead"], "766/dossiers", part="num", **q),
                 200).json()
    miss = expect(ev(ctx, BD["lead"], "766/dossiers", part="miss", **q),
                  200).json()
    check(den["total"] == i21["den"] and num["total"] == i21["num"] and
          miss["total"] == i21["den"] - i21["num"],
          "drill totals %d/%d/%d vs %r" % (num["total"], den["total"],
                                           miss["total"], i21))
    it = [x for x in den["items"] if x["id"] == d["id"]]
    check(len(it) == 1 and it[0]["code"] == d["code"] and
          it[0]["status"] == "done" and it[0]["on_time"] in (True, False) and
          set(it[0]) == {"id", "code", "procedure", "status", "received_at",
                         "finished_at", "due_at", "on_time"},
          "drill item %r" % it)
    r = expect(ev(ctx, BD["lead"], "766/dossiers", unit=bd, period=period,
                  indicator="3.3", part="den", limit=1), 200).json()
    check(r["total"] == ind["3.3"]["den"] and len(r["items"]) == 1,
          "3.3 drill %r" % r["total"])
    expect_error(ev(ctx, BD["lead"], "766/dossiers", unit=bd, period=period,
                    indicator="1.1"), 422, "no_drill")
    expect_error(ev(ctx, BD["lead"], "766/dossiers", unit=bd,
                    indicator="9.9"), 422, "unknown_indicator")
    expect_error(ev(ctx, BD["lead"], "766/dossiers", unit=bd,
                    indicator="2.1", part="all"), 400, "bad_part")
    expect_error(ev(ctx, BD["lead"], "766/dossiers", unit=bd), 400)
    # defaults: the leader's own unit, the current month
    j2 = expect(ev(ctx, BD["lead"], "766"), 200).json()
    check(j2["unit"]["id"] == bd, "default unit %r" % j2["unit"])
    for bad in ("2026-13", "2026-Q5", "26", "2026-10-05..2026-10-01"):
        expect_error(ev(ctx, BD["lead"], "766", period=bad), 400,
                     "bad_period", "period")
    expect_error(ev(ctx, ADMIN, "766", unit="abc"), 400, "bad_unit")
    expect_error(ev(ctx, ADMIN, "766", unit=99999999), 404)
    expect_error(ev(ctx, ADMIN, "766", format="pdf"), 400, "bad_format")


@test
def test_evaluation_manual_indicators(ctx):
    bd = ctx.unit(BD["unit"])
    url = API + "/evaluation/766/manual"
    good = {"unit": bd, "period": "2025-10", "indicator": "1.1", "num": 9,
            "den": 10, "note": "Theo CSDL quốc gia về TTHC"}

    def put(user, body):
        return ctx.req(user, "PUT", url, body)

    expect_error(ctx.c.request("PUT", url, body=good), 401)
    for user in (BD["lead"], INSPECTOR, BD["desk"], CITIZEN):
        expect_error(put(user, good), 403)
    expect_error(put(ADMIN, dict(good, indicator="2.1")), 422,
                 "not_external", "indicator")
    expect_error(put(ADMIN, dict(good, indicator="7.7")), 422,
                 "unknown_indicator")
    expect_error(put(ADMIN, dict(good, num=11)), 422, "bad_ratio", "num")
    expect_error(put(ADMIN, dict(good, num=-1)), 400, "out_of_range", "num")
    expect_error(put(ADMIN, dict(good, period="2025-13")), 400, "bad_period")
    expect_error(put(ADMIN, dict(good, unit=99999999)), 422, "unknown_unit")
    expect_error(put(ADMIN, dict(good, stars=5)), 400, "unknown_field")
    expect_error(put(ADMIN, {"unit": bd, "period": "2025-10"}), 400)
    i11 = indicators(ev(ctx, ADMIN, "766", unit=bd,
                        period="2025-10").json())["1.1"]
    check(i11["source"] == "missing" and i11["points"] is None,
          "refused entries changed 1.1: %r" % i11)
    r = expect(put(ADMIN, good), 200, "manual entry").json()
    check(r["source"] == "manual" and r["num"] == 9 and r["den"] == 10 and
          r["unit"]["id"] == bd and r["period"]["label"] == "2025-10",
          "stored %r" % r)
    i11 = indicators(ev(ctx, ADMIN, "766", unit=bd,
                        period="2025-10").json())["1.1"]
    check(i11["source"] == "manual" and i11["num"] == 9 and
          abs(i11["points"] - 5.4) < 0.001 and
          i11.get("note") == "Theo CSDL quốc gia về TTHC", "1.1 %r" % i11)
    expect(put(ADMIN, dict(good, num=10, note=None)), 200)
    i11 = indicators(ev(ctx, ADMIN, "766", unit=bd,
                        period="2025-10").json())["1.1"]
    check(i11["num"] == 10 and abs(i11["points"] - 6) < 0.001,
          "replaced %r" % i11)
    # another period is untouched; the province sums its subtree
    check(indicators(ev(ctx, ADMIN, "766", unit=bd, period="2025-11")
                     .json())["1.1"]["source"] == "missing", "other period")
    root = indicators(ev(ctx, INSPECTOR, "766", period="2025-10").json())
    check(root["1.1"]["source"] == "manual" and root["1.1"]["num"] >= 10,
          "root 1.1 %r" % root["1.1"])
    # TT 01 criterion 5 entered as a score of 2
    expect(put(ADMIN, {"unit": bd, "period": "2025-10", "indicator":
                       "tt01.5", "num": 1, "den": 2}), 200)
    t = expect(ev(ctx, BD["lead"], "tt01", unit=bd, period="2025-10"),
               200).json()
    check(t["unit_score"]["criteria"]["5"] == 1.0 and
          t["unit_score"]["criteria"]["6"] is None,
          "criteria 5/6 %r" % t["unit_score"]["criteria"])


@test
def test_evaluation_tt01_ranking_scorecard(ctx):
    d = done(ctx)
    period = month_of(d)
    bd = ctx.unit(BD["unit"])
    expect(post(ctx, CITIZEN, d["id"], {"scores": {"1": 0},
                                        "satisfaction": "dissatisfied"}), 201)
    t = expect(ev(ctx, BD["lead"], "tt01", unit=bd, period=period),
               200).json()
    us = t["unit_score"]
    crit = us["criteria"]
    check(sorted(crit) == [str(k) for k in range(1, 10)] and us["max"] == 18,
          "unit criteria %r" % us)
    total = round(sum(v for v in crit.values() if v is not None), 1)
    check(abs(us["total"] - total) < 0.051, "unit total %r vs %r"
          % (us["total"], total))
    bands = [(15, "xuat_sac"), (12, "tot"), (9, "kha"), (6, "trung_binh"),
             (-1, "yeu")]
    check(us["band"] == next(b for lim, b in bands if us["total"] >= lim),
          "band %r for %r" % (us["band"], us["total"]))
    check(t["dossiers"] >= 1 and all(0 <= v <= 2 for v in crit.values()
                                     if v is not None), "criteria %r" % crit)
    offs = {o["account"]["username"]: o for o in t["officials"]}
    o = offs.get(BD["spec"])
    check(o is not None and sorted(o["criteria"]) == ["1", "2", "3", "4",
                                                      "7"] and
          o["max"] == 10 and o["dossiers"] >= 1 and
          o["band"] == ("full" if o["total"] >= 5 else
                        "partial" if o["total"] >= 3.5 else "low"),
          "official %r" % o)
    # ranking of the province's direct children
    rk = expect(ev(ctx, INSPECTOR, "ranking", period=period, min_sample=1),
                200).json()
    check(rk["by"] == "total" and rk["min_sample"] == 1 and
          rk["period"]["label"] == period, "ranking header %r"
          % {k: rk[k] for k in ("by", "min_sample", "period")})
    items = rk["items"]
    ranked = [i for i in items if i["rank"] is not None]
    check([i["rank"] for i in ranked] == list(range(1, len(ranked) + 1)) and
          items[:len(ranked)] == ranked and
          all(i["insufficient"] for i in items[len(ranked):]) and
          all(i["sample"] < 1 for i in items[len(ranked):]),
          "ranked first, insufficient after")
    check(all(a["total"] >= b["total"] for a, b in zip(ranked, ranked[1:])),
          "sorted by total")
    mine = [i for i in items if i["unit"]["id"] == bd]
    check(len(mine) == 1 and mine[0]["rank"] is not None and
          len(mine[0]["groups"]) == 5, "Ba Đình in ranking %r" % mine)
    by2 = expect(ev(ctx, INSPECTOR, "ranking", period=period, by="2",
                    min_sample=1), 200).json()
    r2 = [i for i in by2["items"] if i["rank"] is not None]
    g2 = [(i["groups"][1] if i["groups"][1] is not None else -1) for i in r2]
    check(g2 == sorted(g2, reverse=True), "sorted by group 2 %r" % g2)
    none = expect(ev(ctx, INSPECTOR, "ranking", period=period,
                     min_sample=1000000), 200).json()
    check(all(i["rank"] is None and i["insufficient"] for i in
              none["items"]), "min sample not applied")
    com = expect(ev(ctx, ADMIN, "ranking", period=period, level="commune",
                    min_sample=1), 200).json()
    check(any(i["unit"]["id"] == bd for i in com["items"]),
          "communes ranking lacks Ba Đình")
    expect_error(ev(ctx, ADMIN, "ranking", by="6"), 400, "bad_by")
    expect_error(ev(ctx, ADMIN, "ranking", level="ward"), 400, "bad_level")
    # errors about the parent unit name the parameter given: parent
    expect_error(ev(ctx, ADMIN, "ranking", parent="abc"), 400, "bad_unit",
                 "parent")
    expect_error(ev(ctx, ADMIN, "ranking", parent="99999999"), 404,
                 "not_found", "parent")
    expect_error(ev(ctx, BD["lead"], "ranking", parent=str(ctx.unit("H26"))),
                 403, "out_of_scope", "parent")
    # scorecard = the same numbers
    sc = expect(ev(ctx, BD["lead"], "scorecard", unit=bd, period=period),
                200).json()
    i766 = expect(ev(ctx, BD["lead"], "766", unit=bd, period=period),
                  200).json()
    check(set(sc) == {"unit", "period", "i766", "tt01", "satisfaction",
                      "tasks"} and
          sc["i766"]["total"] == i766["total"] and
          len(sc["i766"]["groups"]) == 5 and
          sc["tt01"]["total"] == us["total"] and
          sc["tt01"]["band"] == us["band"], "scorecard %r" % sc)
    s = sc["satisfaction"]
    n = s["very"] + s["satisfied"] + s["dissatisfied"]
    check(s["dissatisfied"] >= 1 and n >= 1 and
          abs(s["rate"] - (s["very"] + s["satisfied"]) / n) < 0.0001,
          "satisfaction %r" % s)


@test
def test_evaluation_xlsx_exports(ctx):
    bd = ctx.unit(BD["unit"])
    for path, extra, sheet in (
            ("766", {"unit": bd}, "Chỉ số 766"),
            ("766/dossiers", {"unit": bd, "indicator": "2.1"}, "Hồ sơ"),
            ("tt01", {"unit": bd}, "Cán bộ"),
            ("ranking", {}, "Xếp hạng"),
            ("scorecard", {"unit": bd}, "Phiếu đánh giá")):
        r = expect(ev(ctx, ADMIN, path, format="xlsx", **extra), 200,
                   "xlsx of " + path)
        check(r.body[:4] == b"PK\x03\x04", "%s: not a zip" % path)
        check("attachment" in (r.header("Content-Disposition") or "") and
              "spreadsheetml" in (r.header("Content-Type") or ""),
              "%s headers" % path)
        z = zipfile.ZipFile(io.BytesIO(r.body))
        wb = z.read("xl/workbook.xml").decode("utf-8")
        check(sheet in wb, "%s: no sheet %s in %s" % (path, sheet, wb[:300]))
        check(any(n.startswith("xl/worksheets/sheet") for n in z.namelist()),
              "%s: no worksheet" % path)


@test
def test_evaluation_scoping_refusals(ctx):
    bd, hk = ctx.unit(BD["unit"]), ctx.unit(HK["unit"])
    paths = (("766", {}), ("766/dossiers", {"indicator": "2.1"}),
             ("tt01", {}), ("scorecard", {}))
    for path, extra in paths + (("ranking", {}),):
        expect_error(ctx.c.request("GET", API + "/evaluation/" + path,
                                   query=dict(extra, unit=bd)), 401)
        expect_error(ev(ctx, CITIZEN, path, unit=bd, **extra), 403)
        expect_error(ev(ctx, PARTNER, path, unit=bd, **extra), 403)
    for path, extra in paths:
        # a specialist of another unit
        expect_error(ev(ctx, HK["spec"], path, unit=bd, **extra), 403,
                     "out_of_scope")
        # a leader outside his subtree (a sibling, and the province)
        expect_error(ev(ctx, BD["lead"], path, unit=hk, **extra), 403,
                     "out_of_scope")
        # allowed: own unit, inspectors and administrators anywhere
        expect(ev(ctx, HK["spec"], path, unit=hk, **extra), 200)
        expect(ev(ctx, INSPECTOR, path, unit=bd, **extra), 200)
    root = ev(ctx, INSPECTOR, "766").json()["unit"]["id"]
    expect_error(ev(ctx, BD["lead"], "766", unit=root), 403, "out_of_scope")
    expect_error(ev(ctx, BD["lead"], "ranking", parent=hk), 403,
                 "out_of_scope")
    expect_error(ev(ctx, HK["desk"], "ranking", parent=bd), 403,
                 "out_of_scope")
    expect_error(ev(ctx, BD["lead"], "766", unit=hk, format="xlsx"), 403)
