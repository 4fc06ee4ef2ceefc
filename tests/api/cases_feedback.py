"""
cases_feedback.py - API tests of issue 9: citizen feedback and petitions
(phản ánh, kiến nghị): intake from every channel, routing and forwarding,
working-day deadlines under the controlled clock, the answer quality
gates, near-duplicate detection, leader sign-off, publication without
personal data, rating once, the conduct violation and the sweeper.
Imported by cases.py, so the tests run in its order, before its last
test.
"""
import datetime
import hashlib
import json
import os

from cases import ADMIN, API, BD, CITIZEN, CITIZEN2, HK, INSPECTOR, ts
from cases_discipline import notes, sweep
from lib import check, expect, expect_error, short, test

FB = API + "/feedback"
PUB = API + "/public/feedback"


def new_fb(ctx, user=CITIZEN, status=201, **fields):
    n = ctx.seq()
    body = {"category": "regulation_or_procedure",
            "title": "Thời hạn cấp giấy khai sinh số %d" % n,
            "content": "Đề nghị rút ngắn thời hạn cấp giấy khai sinh.",
            "unit_code": BD["unit"]}
    body.update(fields)
    body = {k: v for k, v in body.items() if v is not None}
    r = ctx.req(user, "POST", FB, body=body)
    expect(r, status, "create feedback as %s" % user)
    return r.json()


def act(ctx, user, fid, action, **body):
    return ctx.req(user, "POST", "%s/%d/%s" % (FB, fid, action), body=body)


def act_ok(ctx, user, fid, action, state, **body):
    r = act(ctx, user, fid, action, **body)
    expect(r, 200, "%s feedback %d as %s" % (action, fid, user))
    check(r.json()["state"] == state, "%s -> %s, expected %s"
          % (action, r.json()["state"], state))
    return r.json()


def answer_text(f, extra=""):
    """A default answer citing f; distinct words per feedback so that the
    answers of one unit are no near-duplicates of each other."""
    h = hashlib.sha1(f["ref"].encode()).hexdigest()
    salt = " ".join(h[i:i + 5] for i in range(0, 40, 5))
    return ("Về phản ánh %s: Ủy ban nhân dân quận trả lời như sau. "
            "Thời hạn giải quyết được quy định tại Luật Hộ tịch 2014 và "
            "được niêm yết công khai tại bộ phận một cửa %s. Số hiệu %s."
            % (f["ref"], extra, salt))


def answered(ctx, f, text=None, decision="explain_current_rule",
             basis="Luật Hộ tịch 2014, Điều 16"):
    act_ok(ctx, BD["spec"], f["id"], "answer", "drafted",
           text=text or answer_text(f, f["ref"]), decision=decision,
           legal_basis=basis)
    return act_ok(ctx, BD["lead"], f["id"], "approve", "answered")


def working_days(ctx, a, b):
    r = ctx.req(ADMIN, "GET", API + "/calendar/between",
                query={"a": a, "b": b})
    expect(r, 200, "calendar between")
    return r.json()["working_days"]


def day(s):
    return s[:10]


def local_now():
    return datetime.datetime.now(datetime.timezone(datetime.timedelta(hours=7)))


@test
def test_feedback_intake_channels(ctx):
    f = new_fb(ctx)
    check(f["channel"] == "web" and f["citizen_id"] == ctx.uid(CITIZEN) and
          f["state"] == "received" and f["ref"].startswith("PAKN-H26.00004-")
          and f["unit_code"] == BD["unit"], "citizen intake %r" % f)
    # anonymous: contact details required
    r = ctx.c.request("POST", FB, body={
        "category": "other", "title": "Ý kiến", "content": "Nội dung",
        "unit_code": BD["unit"]})
    expect_error(r, 400, "contact_required", "contact_name")
    r = ctx.c.request("POST", FB, body={
        "category": "other", "title": "Ý kiến", "content": "Nội dung",
        "unit_code": BD["unit"], "contact_name": "Lê Văn An"})
    expect_error(r, 400, "contact_required", "contact_phone")
    r = ctx.c.request("POST", FB, body={
        "category": "other", "title": "Ý kiến", "content": "Nội dung",
        "unit_code": BD["unit"], "contact_name": "Lê Văn An",
        "contact_phone": "0912345678"})
    expect(r, 201, "anonymous intake")
    check(r.json()["channel"] == "web" and r.json()["citizen_id"] is None,
          "anonymous %r" % r.json())
    # the desk transcribes a phone call; channel required and limited
    d = new_fb(ctx, BD["desk"], channel="phone", contact_name="Phạm Thị Hoa",
               contact_phone="0987654321")
    check(d["channel"] == "phone", "desk channel %r" % d)
    r = ctx.req(BD["desk"], "POST", FB, body={
        "category": "other", "title": "x", "content": "y",
        "unit_code": BD["unit"], "channel": "web", "contact_name": "A",
        "contact_phone": "0987654321"})
    expect_error(r, 400, "bad_channel", "channel")
    r = ctx.req(CITIZEN, "POST", FB, body={
        "category": "other", "title": "x", "content": "y",
        "unit_code": BD["unit"], "channel": "paper"})
    expect_error(r, 400, "bad_channel", "channel")
    # validation
    expect_error(ctx.req(CITIZEN, "POST", FB, body={
        "category": "complaint", "title": "x", "content": "y",
        "unit_code": BD["unit"]}), 400, "unknown_category", "category")
    expect_error(ctx.req(CITIZEN, "POST", FB, body={
        "category": "other", "title": "x", "content": "y",
        "unit_code": "NOPE.1"}), 422, "unknown_unit", "unit_code")
    expect_error(ctx.req(CITIZEN, "POST", FB, body={
        "category": "other", "title": "x", "content": "y",
        "unit_code": BD["unit"], "official_id": ctx.uid(BD["desk"])}),
        400, "link_not_allowed", "official_id")
    expect_error(ctx.req(CITIZEN, "POST", FB, body={
        "category": "official_conduct_or_delay", "title": "x",
        "content": "y", "official_id": ctx.uid(CITIZEN2)}),
        422, "unknown_official", "official_id")
    # scoping: own for citizens, unit subtree for officials
    r = ctx.req(CITIZEN2, "GET", "%s/%d" % (FB, f["id"]))
    expect_error(r, 404, "not_found")
    r = ctx.req(HK["spec"], "GET", "%s/%d" % (FB, f["id"]))
    expect_error(r, 404, "not_found")
    r = ctx.req(BD["spec"], "GET", "%s/%d" % (FB, f["id"]))
    expect(r, 200, "official of the unit reads")
    ids = [x["id"] for x in ctx.req(CITIZEN2, "GET", FB).json()["items"]]
    check(f["id"] not in ids, "citizen2 lists citizen's feedback")
    ids = [x["id"] for x in ctx.req(CITIZEN, "GET", FB).json()["items"]]
    check(f["id"] in ids and d["id"] not in ids, "citizen's own list")
    ids = [x["id"] for x in ctx.req(HK["lead"], "GET", FB).json()["items"]]
    check(f["id"] not in ids, "another unit lists the feedback")
    ids = [x["id"] for x in ctx.req(BD["lead"], "GET", FB,
                                    query={"limit": "500"}).json()["items"]]
    check(f["id"] in ids and d["id"] in ids, "unit list")
    expect_error(ctx.c.request("GET", FB), 401, "unauthenticated")


@test
def test_feedback_deadlines_working_days(ctx):
    f = new_fb(ctx)
    rec = day(f["received_at"])
    for key, n in (("due_reject", 2), ("due_request_info", 5),
                   ("due_answer", 15), ("forward_until", 5)):
        check(f[key].endswith("T23:59:59+07:00"), "%s %s" % (key, f[key]))
        got = working_days(ctx, rec, day(f[key]))
        check(got == n, "%s: %d working days after receipt, expected %d"
              % (key, got, n))
        # the deadline day itself is a working day: the day before has
        # one working day less
        prev = (datetime.date.fromisoformat(day(f[key])) -
                datetime.timedelta(days=1)).isoformat()
        check(working_days(ctx, rec, prev) == n - 1,
              "%s is not the first day with %d working days" % (key, n))
    a = answered(ctx, f)
    check(working_days(ctx, day(a["answered_at"]), day(a["due_publish"]))
          == 2, "publish deadline %r" % a)


def clocked(ctx, until, fn):
    """Run fn with the server clock moved to just after `until`."""
    off = int((ts(until) - local_now()).total_seconds()) + 3600
    try:
        ctx.set_clock(off)
        return fn()
    finally:
        ctx.set_clock(0)


@test
def test_feedback_reject_and_info_on_time_or_late(ctx):
    f = new_fb(ctx)
    expect_error(act(ctx, BD["lead"], f["id"], "reject"), 400,
                 "missing_field", "reason")
    expect_error(act(ctx, CITIZEN, f["id"], "reject", reason="x"), 403)
    r = act_ok(ctx, BD["desk"], f["id"], "reject", "rejected",
               reason="Không thuộc phạm vi phản ánh, kiến nghị")
    check(r["on_time"] is True and r["state_note"].startswith("Không"),
          "timely reject %r" % r)
    expect_error(act(ctx, BD["desk"], f["id"], "reject", reason="x"), 409,
                 "wrong_state")
    late = new_fb(ctx)
    r = clocked(ctx, late["due_reject"], lambda: act(
        ctx, BD["desk"], late["id"], "reject", reason="Muộn"))
    expect(r, 200, "late reject")
    check(r.json()["on_time"] is False, "late reject on_time %r" % r.json())
    g = new_fb(ctx)
    r = clocked(ctx, g["due_request_info"], lambda: act(
        ctx, BD["spec"], g["id"], "request-info", reason="Thiếu địa chỉ"))
    expect(r, 200, "late info request")
    check(r.json()["state"] == "info_requested" and
          r.json()["on_time"] is False, "late info %r" % r.json())
    h = new_fb(ctx)
    r = act_ok(ctx, BD["spec"], h["id"], "request-info", "info_requested",
               reason="Đề nghị bổ sung địa chỉ liên hệ")
    check(r["on_time"] is True, "timely info %r" % r)


@test
def test_feedback_forward_window(ctx):
    f = new_fb(ctx)
    expect_error(act(ctx, BD["spec"], f["id"], "forward", reason="x",
                     unit_code=BD["unit"]), 422, "same_unit", "unit_code")
    expect_error(act(ctx, HK["spec"], f["id"], "forward", reason="x",
                     unit_code=HK["unit"]), 404, "not_found")
    r = clocked(ctx, f["received_at"], lambda: act(
        ctx, BD["spec"], f["id"], "forward", unit_code=HK["unit"],
        reason="Thuộc thẩm quyền UBND quận Hoàn Kiếm"))
    expect(r, 200, "forward")
    g = r.json()
    check(g["unit_code"] == HK["unit"] and g["forwards"] == 1 and
          g["state"] == "received" and
          ts(g["received_at"]) > ts(f["received_at"]) and
          working_days(ctx, day(g["received_at"]), day(g["due_answer"]))
          == 15, "forwarded %r" % g)
    expect_error(ctx.req(BD["spec"], "GET", "%s/%d" % (FB, f["id"])), 404)
    expect(ctx.req(HK["spec"], "GET", "%s/%d" % (FB, f["id"])), 200,
           "new unit reads")
    late = new_fb(ctx)
    r = clocked(ctx, late["forward_until"], lambda: act(
        ctx, BD["spec"], late["id"], "forward", unit_code=HK["unit"],
        reason="Muộn"))
    expect_error(r, 422, "forward_window_closed")


@test
def test_feedback_answer_gates(ctx):
    f = new_fb(ctx)
    fid = f["id"]
    spec = BD["spec"]
    expect_error(act(ctx, spec, fid, "answer", text="Chúng tôi đã tiếp "
                     "nhận và sẽ xem xét.", decision="other_specific"),
                 422, "answer_missing_subject", "text")
    expect_error(act(ctx, spec, fid, "answer", text=answer_text(f)),
                 422, "decision_required", "decision")
    expect_error(act(ctx, spec, fid, "answer", text=answer_text(f),
                     decision="ignore"), 422, "unknown_decision",
                 "decision")
    expect_error(act(ctx, spec, fid, "answer", text=answer_text(f),
                     decision="explain_current_rule"), 422,
                 "legal_basis_required", "legal_basis")
    expect_error(act(ctx, spec, fid, "answer"), 422, "answer_required",
                 "text")
    expect_error(act(ctx, BD["desk"], fid, "answer", text=answer_text(f),
                     decision="other_specific"), 403)
    # the title words (folded, any case) also cite the subject
    r = act_ok(ctx, spec, fid, "answer", "drafted",
               text="Về thời hạn cấp GIẤY KHAI SINH SỐ %s: đã chuyển xử lý."
               % f["title"].split()[-1], decision="other_specific")
    # sign-off: only a leader of the unit, and publish needs it
    expect_error(act(ctx, BD["desk"], fid, "publish"), 422,
                 "answer_not_approved")
    expect_error(act(ctx, spec, fid, "approve"), 403,
                 "leader_signoff_required")
    expect_error(act(ctx, HK["lead"], fid, "approve"), 404)
    r = act_ok(ctx, BD["lead"], fid, "approve", "answered")
    check(r["approved_by"] == ctx.uid(BD["lead"]) and
          r["drafted_by"] == ctx.uid(spec) and r["on_time"] is True,
          "approved %r" % r)
    expect_error(act(ctx, BD["lead"], fid, "approve"), 409, "wrong_state")
    n = [x for x in notes(ctx, CITIZEN, kind="feedback_answered")
         if f["ref"] in x["title"]]
    check(len(n) == 1, "citizen notified of the answer: %r" % n)


@test
def test_feedback_near_duplicate(ctx):
    a = new_fb(ctx)
    long_answer = ("Về phản ánh thủ tục đăng ký khai sinh, Ủy ban nhân dân "
                   "quận trả lời như sau: hồ sơ được giải quyết theo Luật "
                   "Hộ tịch 2014 và Nghị định 123/2015, thời hạn trong ngày "
                   "làm việc, không thu thêm giấy tờ ngoài danh mục. ")
    answered(ctx, a, text=long_answer + a["ref"])
    b = new_fb(ctx)
    r = act(ctx, BD["spec"], b["id"], "answer",
            text=long_answer.upper() + b["ref"],
            decision="explain_current_rule", legal_basis="Luật Hộ tịch")
    expect_error(r, 422, "answer_near_duplicate", "text")
    check(a["ref"] in r.json()["error"]["message"],
          "duplicate names the other feedback: %s" % short(r.body))
    # a genuinely different answer passes
    answered(ctx, b, text="Về %s: thời hạn cấp giấy khai sinh là ngay trong "
             "ngày; trường hợp nhận sau 15 giờ thì trả trong ngày làm việc "
             "tiếp theo. Đơn vị đã nhắc nhở công chức một cửa." % b["ref"])
    # the same text at another unit is not compared
    c = new_fb(ctx, unit_code=HK["unit"])
    act_ok(ctx, HK["spec"], c["id"], "answer", "drafted",
           text=long_answer + c["ref"], decision="explain_current_rule",
           legal_basis="Luật Hộ tịch 2014")
    # drafted twice in parallel: the second approval is refused
    d = new_fb(ctx)
    e = new_fb(ctx)
    for x in (d, e):
        act_ok(ctx, BD["spec"], x["id"], "answer", "drafted",
               text="Trả lời %s. Đơn vị giữ nguyên quy định hiện hành vì "
               "quy định bảo đảm tính hợp pháp, khả thi, đơn giản và thống "
               "nhất với hệ thống pháp luật hiện hành về hộ tịch." % x["ref"],
               decision="other_specific")
    act_ok(ctx, BD["lead"], d["id"], "approve", "answered")
    expect_error(act(ctx, BD["lead"], e["id"], "approve"), 422,
                 "answer_near_duplicate", "text")


@test
def test_feedback_publish_without_personal_data(ctx):
    f = new_fb(ctx, CITIZEN, contact_phone="0912000111",
               contact_email="duc@example.vn",
               content="Tôi có CCCD 001099012345, gọi "
               "0912 000 111 hoặc duc.nguyen@example.vn. Hồ sơ chậm 3 ngày.")
    fid = f["id"]
    expect_error(ctx.c.request("GET", "%s/%d" % (PUB, fid)), 404)
    answered(ctx, f, text=answer_text(f, "(liên hệ 024 3825 1234)"))
    expect_error(ctx.c.request("GET", "%s/%d" % (PUB, fid)), 404)
    r = act_ok(ctx, BD["desk"], fid, "publish", "published")
    check(r["on_time"] is True and r["published_at"], "published %r" % r)
    expect_error(act(ctx, BD["desk"], fid, "publish"), 409, "wrong_state")
    r = ctx.c.request("GET", "%s/%d" % (PUB, fid))
    expect(r, 200, "public feedback")
    p = r.json()
    body = r.body.decode("utf-8")
    for secret in ("0912", "001099012345", "duc.nguyen", "duc@example",
                   "3825", "Nguyễn Văn Đức", "contact", "citizen_id"):
        check(secret not in body, "public page leaks %r: %s"
              % (secret, short(r.body, 800)))
    check("[đã ẩn]" in p["content"] and "Hồ sơ chậm 3 ngày" in p["content"]
          and p["answer"] and "[đã ẩn]" in p["answer"] and
          p["decision"] == "explain_current_rule" and p["ref"] == f["ref"],
          "public %r" % p)
    r = ctx.c.request("GET", PUB, query={"limit": "500"})
    expect(r, 200, "public list")
    items = [x for x in r.json()["items"] if x["id"] == fid]
    check(len(items) == 1 and "0912" not in json.dumps(items[0]),
          "public list item %r" % items)
    check(all(x["state"] == "published" for x in r.json()["items"]),
          "unpublished feedback in the public list")
    # the owner still sees the personal data
    own = ctx.req(CITIZEN, "GET", "%s/%d" % (FB, fid)).json()
    check(own["contact_phone"] == "0912000111", "own view %r" % own)


@test
def test_feedback_rating_once(ctx):
    f = new_fb(ctx)
    expect_error(act(ctx, CITIZEN, f["id"], "rate", rating="satisfied"),
                 409, "wrong_state")
    answered(ctx, f)
    expect_error(act(ctx, CITIZEN2, f["id"], "rate", rating="satisfied"),
                 404)
    expect_error(act(ctx, BD["lead"], f["id"], "rate", rating="satisfied"),
                 403)
    expect_error(act(ctx, CITIZEN, f["id"], "rate", rating="great"), 400,
                 "bad_rating", "rating")
    r = act_ok(ctx, CITIZEN, f["id"], "rate", "answered",
               rating="not_satisfied")
    check(r["rating"] == "not_satisfied" and r["rated_at"], "rated %r" % r)
    expect_error(act(ctx, CITIZEN, f["id"], "rate", rating="satisfied"),
                 409, "already_rated", "rating")
    check(ctx.req(CITIZEN, "GET", "%s/%d" % (FB, f["id"])).json()["rating"]
          == "not_satisfied", "rating kept")


@test
def test_feedback_official_conduct_violation(ctx):
    official = ctx.uid(BD["desk"])
    f = new_fb(ctx, category="official_conduct_or_delay",
               title="Cán bộ một cửa hẹn lại nhiều lần", unit_code=None,
               official_id=official)
    check(f["official_id"] == official and f["unit_code"] == BD["unit"],
          "routed to the official's unit %r" % f)
    answered(ctx, f, text="Về %s: đơn vị đã kiểm điểm công chức." % f["ref"],
             decision="act_against_official", basis=None)
    r = ctx.req(INSPECTOR, "GET", API + "/violations",
                query={"rule": "feedback_official_conduct", "limit": "500"})
    expect(r, 200, "violations")
    vs = [v for v in r.json()["items"]
          if v["evidence"].get("feedback_id") == f["id"]]
    check(len(vs) == 1 and vs[0]["official_id"] == official and
          vs[0]["state"] == "open", "conduct violation %r" % vs)
    # an explanation does not blame the official
    g = new_fb(ctx, category="official_conduct_or_delay",
               title="Cán bộ thu thêm giấy tờ", unit_code=None,
               official_id=official)
    answered(ctx, g, text="Về %s: việc yêu cầu là đúng quy định." % g["ref"])
    r = ctx.req(INSPECTOR, "GET", API + "/violations",
                query={"rule": "feedback_official_conduct", "limit": "500"})
    check(not [v for v in r.json()["items"]
               if v["evidence"].get("feedback_id") == g["id"]],
          "violation without act_against_official")


@test
def test_feedback_list_state_filter(ctx):
    f = new_fb(ctx)
    for who in (BD["lead"], CITIZEN):
        r = ctx.req(who, "GET", FB, query={"state": "received",
                                           "limit": "500"})
        expect(r, 200, "list received")
        check(f["id"] in [x["id"] for x in r.json()["items"]],
              "new feedback listed as received")
        for bad in ("zz", "RECEIVED", "answered "):
            r = ctx.req(who, "GET", FB, query={"state": bad})
            expect_error(r, 400, "bad_state", "state",
                         "unknown state %r" % bad)


@test
def test_feedback_overdue_sweep(ctx):
    f = new_fb(ctx)
    spool = os.path.join(ctx.srv.tmp, "spool", "feedback.jsonl")
    sweep(ctx, ts(f["due_answer"]) - datetime.timedelta(hours=1), spool)
    check(not ctx.req(BD["lead"], "GET", "%s/%d" % (FB, f["id"]))
          .json()["overdue"], "overdue before the deadline")
    for _ in range(2):
        sweep(ctx, ts(f["due_answer"]) + datetime.timedelta(hours=1), spool)
    g = ctx.req(BD["lead"], "GET", "%s/%d" % (FB, f["id"])).json()
    check(g["overdue"] is True, "not marked overdue %r" % g)
    n = [x for x in notes(ctx, BD["lead"], kind="feedback_overdue")
         if f["ref"] in x["title"]]
    check(len(n) == 1, "leader escalation once: %r" % n)
    r = ctx.req(INSPECTOR, "GET", API + "/violations",
                query={"rule": "feedback_overdue", "limit": "500"})
    vs = [v for v in r.json()["items"]
          if v["evidence"].get("feedback_id") == f["id"]]
    check(len(vs) == 1 and vs[0]["unit_id"] == f["unit_id"],
          "one feedback_overdue violation %r" % vs)
    # answered late: approve says so
    act_ok(ctx, BD["spec"], f["id"], "answer", "drafted",
           text=answer_text(f, "muộn"), decision="other_specific")
    r = clocked(ctx, f["due_answer"], lambda: act(
        ctx, BD["lead"], f["id"], "approve"))
    expect(r, 200, "late approval")
    check(r.json()["on_time"] is False, "late answer on_time %r" % r.json())
