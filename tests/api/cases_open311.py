"""
cases_open311.py - Open311 GeoReport v2 client checks, written from the
specification (wiki.open311.org/GeoReport_v2) against /open311/v2 (JSON
format only): service list and definition, POST requests.json
(form-encoded, api_key required, errors as [{"code","description"}]),
GET requests.json with its filters, GET requests/{id}.json, every
request field and the motcua extensions. Imported by cases.py after
cases_feedback.
"""
import datetime
import json
import urllib.parse

from cases import ADMIN, API, BD, CITIZEN, HK
from lib import check, expect, expect_error, short, test

O = "/open311/v2"
FIELDS = ("service_request_id", "status", "status_notes", "service_name",
          "service_code", "description", "agency_responsible",
          "service_notice", "requested_datetime", "updated_datetime",
          "expected_datetime", "address", "lat", "long", "media_url",
          "due_datetime", "on_time", "responsible_unit")
KEYS = {}


def o311_errors(r, status, what):
    check(r.status == status, "%s: expected %d, got %d: %s"
          % (what, status, r.status, short(r.body)))
    e = r.json()
    check(isinstance(e, list) and e and all(
        set(x) == {"code", "description"} and x["code"] == status and
        isinstance(x["description"], str) and x["description"]
        for x in e), "%s: not a GeoReport error array: %s"
          % (what, short(r.body)))


def key(ctx, unit=None):
    if unit not in KEYS:
        body = {"label": "Cổng thử nghiệm %s" % unit}
        if unit:
            body["unit_code"] = unit
        r = ctx.req(ADMIN, "POST", API + "/open311/keys", body=body)
        expect(r, 201, "create an Open311 key")
        check(len(r.json()["api_key"]) >= 32 and r.json()["unit_code"] == unit,
              "key %r" % r.json())
        KEYS[unit] = r.json()["api_key"]
    return KEYS[unit]


def post(ctx, fields):
    return ctx.c.request(
        "POST", O + "/requests.json",
        body=urllib.parse.urlencode(fields).encode(),
        ctype="application/x-www-form-urlencoded")


def create(ctx, **extra):
    f = {"api_key": key(ctx, BD["unit"]), "service_code": "other",
         "lat": "21.0368", "long": "105.8342",
         "email": "open311.tester@example.vn",
         "first_name": "Trần", "last_name": "Văn Bình",
         "description": "Đường dây nóng không ai nghe máy, gọi 0243 733 "
                        "1234 nhiều lần trong giờ hành chính."}
    f.update(extra)
    f = {k: v for k, v in f.items() if v is not None}
    r = post(ctx, f)
    expect(r, 201, "POST requests.json")
    b = r.json()
    check(isinstance(b, list) and len(b) == 1 and
          b[0]["service_request_id"].isdigit() and "service_notice" in b[0]
          and "account_id" in b[0], "create response %r" % b)
    return b[0]["service_request_id"]


def one(ctx, sid):
    r = ctx.c.request("GET", "%s/requests/%s.json" % (O, sid))
    expect(r, 200, "GET requests/%s.json" % sid)
    b = r.json()
    check(isinstance(b, list) and len(b) == 1, "one request %r" % b)
    return b[0]


@test
def test_open311_services(ctx):
    r = ctx.c.request("GET", O + "/services.json")
    expect(r, 200, "services.json")
    s = r.json()
    check(isinstance(s, list) and
          {x["service_code"] for x in s} ==
          {"regulation_or_procedure", "official_conduct_or_delay", "other"},
          "service codes %r" % s)
    for x in s:
        check(set(x) >= {"service_code", "service_name", "description",
                         "metadata", "type", "keywords", "group"} and
              x["type"] in ("realtime", "batch", "blackbox") and
              isinstance(x["metadata"], bool) and x["service_name"],
              "service fields %r" % x)
    r = ctx.c.request("GET", O + "/services/other.json")
    expect(r, 200, "service definition")
    check(r.json()["service_code"] == "other" and
          r.json()["attributes"] == [], "definition %r" % r.json())
    o311_errors(ctx.c.request("GET", O + "/services/parking.json"), 404,
                "unknown service")
    o311_errors(ctx.c.request("GET", O + "/services/other.xml"), 404,
                "XML format")


@test
def test_open311_post_errors(ctx):
    k = key(ctx, BD["unit"])
    base = {"api_key": k, "service_code": "other", "lat": "21.03",
            "long": "105.83", "email": "a@example.vn",
            "description": "Thủ tục rườm rà"}
    bad = dict(base, api_key="not-a-key")
    o311_errors(post(ctx, bad), 403, "wrong api_key")
    o311_errors(post(ctx, {k2: v for k2, v in base.items()
                           if k2 != "api_key"}), 403, "missing api_key")
    o311_errors(post(ctx, {k2: v for k2, v in base.items()
                           if k2 != "service_code"}), 400,
                "missing service_code")
    o311_errors(post(ctx, dict(base, service_code="potholes")), 404,
                "unknown service_code")
    o311_errors(post(ctx, {k2: v for k2, v in base.items()
                           if k2 not in ("lat", "long")}), 400,
                "missing location")
    o311_errors(post(ctx, dict(base, lat="95")), 400, "latitude range")
    o311_errors(post(ctx, {k2: v for k2, v in base.items()
                           if k2 != "email"}), 400, "no email or phone")
    o311_errors(post(ctx, {k2: v for k2, v in base.items()
                           if k2 != "description"}), 400,
                "missing description")
    # a key not bound to a unit needs jurisdiction_id
    free = key(ctx, None)
    o311_errors(post(ctx, dict(base, api_key=free)), 400,
                "no jurisdiction")
    o311_errors(post(ctx, dict(base, api_key=free, lat="north",
                               jurisdiction_id=HK["unit"])), 400,
                "latitude not a number")
    o311_errors(post(ctx, dict(base, api_key=free,
                               jurisdiction_id="NOPE.1")), 400,
                "unknown jurisdiction")
    f = {k2: v for k2, v in base.items() if k2 not in ("lat", "long")}
    f.update(api_key=free, jurisdiction_id=HK["unit"],
             address_string="Số 1 Tràng Tiền")
    r = post(ctx, f)
    expect(r, 201, "jurisdiction_id + address_string")
    got = one(ctx, r.json()[0]["service_request_id"])
    check(got["responsible_unit"] == HK["unit"] and
          got["address"] == "Số 1 Tràng Tiền" and got["lat"] is None,
          "routed by jurisdiction %r" % got)
    # only admins create keys
    expect_error(ctx.req(CITIZEN, "POST", API + "/open311/keys",
                         body={"label": "x"}), 403)


@test
def test_open311_request_fields(ctx):
    sid = create(ctx)
    x = one(ctx, sid)
    check(set(x) == set(FIELDS), "fields %s" % sorted(set(x) ^ set(FIELDS)))
    check(x["service_request_id"] == sid and x["status"] == "open" and
          x["status_notes"] is None and x["service_code"] == "other" and
          x["service_name"] and x["agency_responsible"] and
          x["responsible_unit"] == BD["unit"] and x["on_time"] is True and
          abs(x["lat"] - 21.0368) < 1e-9 and abs(x["long"] - 105.8342) < 1e-9
          and x["media_url"] is None, "request %r" % x)
    for k in ("requested_datetime", "updated_datetime", "expected_datetime",
              "due_datetime"):
        datetime.datetime.fromisoformat(x[k])  # ISO 8601 with offset
        check(x[k][-6:] == "+07:00", "%s %s" % (k, x[k]))
    check(x["expected_datetime"] == x["due_datetime"] and
          x["expected_datetime"] > x["requested_datetime"],
          "expected %r" % x)
    # no personal data: the phone inside the description is masked
    body = json.dumps(x, ensure_ascii=False)
    for secret in ("0243", "open311.tester", "Bình", "Trần"):
        check(secret not in body, "request leaks %r: %s" % (secret, body))
    check("[đã ẩn]" in x["description"], "masked %r" % x["description"])
    # the officials see it as a feedback with channel open311
    r = ctx.req(BD["lead"], "GET", "%s/feedback/%s" % (API, sid))
    expect(r, 200, "feedback from Open311")
    f = r.json()
    check(f["channel"] == "open311" and f["contact_name"] == "Trần Văn Bình"
          and f["contact_email"] == "open311.tester@example.vn",
          "feedback %r" % f)
    # closing: answered -> closed with the answer as status_notes
    ans = ("Về %s: đường dây nóng đã bố trí người trực thường xuyên."
           % f["ref"])
    r = ctx.req(BD["spec"], "POST", "%s/feedback/%s/answer" % (API, sid),
                body={"text": ans, "decision": "other_specific"})
    expect(r, 200, "answer")
    expect(ctx.req(BD["lead"], "POST", "%s/feedback/%s/approve" % (API, sid),
                   body={}), 200, "approve")
    x = one(ctx, sid)
    check(x["status"] == "closed" and x["status_notes"] == ans and
          x["on_time"] is True, "closed %r" % x)
    o311_errors(ctx.c.request("GET", O + "/requests/999999999.json"), 404,
                "unknown request")
    o311_errors(ctx.c.request("GET", O + "/requests/%s.xml" % sid), 404,
                "XML format")


@test
def test_open311_request_filters(ctx):
    a = create(ctx)
    b = create(ctx, service_code="regulation_or_procedure")
    c = create(ctx)
    r = ctx.c.request("GET", O + "/requests.json",
                      query={"service_request_id": "%s,%s" % (a, c),
                             "service_code": "regulation_or_procedure"})
    expect(r, 200, "by ids")
    check([x["service_request_id"] for x in r.json()] == [a, c],
          "ids override the other filters %r" % r.json())
    r = ctx.c.request("GET", O + "/requests.json",
                      query={"service_code": "regulation_or_procedure"})
    expect(r, 200, "by service_code")
    got = [x["service_request_id"] for x in r.json()]
    check(b in got and a not in got and
          all(x["service_code"] == "regulation_or_procedure"
              for x in r.json()), "service_code filter %r" % got)
    ra = one(ctx, a)["requested_datetime"]
    r = ctx.c.request("GET", O + "/requests.json",
                      query={"start_date": ra, "end_date": ra})
    expect(r, 200, "by dates")
    check(a in [x["service_request_id"] for x in r.json()],
          "date window contains a")
    later = (datetime.datetime.fromisoformat(ra) +
             datetime.timedelta(days=1)).isoformat()
    r = ctx.c.request("GET", O + "/requests.json",
                      query={"start_date": later})
    check(r.status == 200 and a not in
          [x["service_request_id"] for x in r.json()], "start_date filter")
    expect(ctx.req(BD["desk"], "POST", "%s/feedback/%s/reject" % (API, c),
                   body={"reason": "Trùng lặp"}), 200, "reject c")
    r = ctx.c.request("GET", O + "/requests.json", query={"status": "open"})
    ids = [x["service_request_id"] for x in r.json()]
    check(a in ids and c not in ids and
          all(x["status"] == "open" for x in r.json()), "status=open")
    r = ctx.c.request("GET", O + "/requests.json", query={"status": "closed"})
    ids = [x["service_request_id"] for x in r.json()]
    check(c in ids and a not in ids, "status=closed")
    r = ctx.c.request("GET", O + "/requests.json")
    check(r.status == 200 and len(r.json()) <= 1000 and
          {a, b, c} <= {x["service_request_id"] for x in r.json()},
          "default listing")
    o311_errors(ctx.c.request("GET", O + "/requests.json",
                              query={"status": "pending"}), 400, "status")
    o311_errors(ctx.c.request("GET", O + "/requests.json",
                              query={"start_date": "yesterday"}), 400,
                "start_date")
    o311_errors(ctx.c.request("GET", O + "/requests.json",
                              query={"service_request_id": "1,x"}), 400,
                "ids")
