"""
cases_evaluation.py - API tests of issue 5, part 1: citizens' evaluations
of finished dossiers (TT 01/2018 criteria 1, 3, 4, 7 and satisfaction)
through the three channels, each once: online (the applicant), kiosk (no
login, dossier code + receipt secret) and desk (paper form entered by a
desk officer of the receiving unit); refusals of unfinished dossiers,
strangers, bad scores and repeats. Imported by cases.py.
"""
import hashlib

from cases import (API, BD, CITIZEN, CITIZEN2, HK, act_ok, drive, ts)
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
