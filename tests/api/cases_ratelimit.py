"""
cases_ratelimit.py - API tests of issue 10, rate limits with counters in
the database (defaults of `motcua serve`): failed logins per username
(10 / 15 min) and per client address (100 / 15 min), refused kiosk
evaluations per address (20 / 15 min), anonymous feedback per address
(30 / hour); 429 rate_limited with Retry-After, nothing changed, other
users and other addresses unaffected, the window ends. The test server runs
with --trust-proxy, so each test uses its own X-Forwarded-For address and
the rest of the suite (127.0.0.1) keeps its budget. Imported by cases.py.
"""
from cases import API, BD, CITIZEN, INSPECTOR
from cases_evaluation import GOOD, done, secret
from lib import check, expect, expect_error, test

LOGIN = API + "/sessions"
FB = API + "/feedback"


def ip(ctx):
    n = ctx.seq()
    return "198.51.%d.%d" % (100 + n // 250, 1 + n % 250)


def login(ctx, user, password, addr):
    return ctx.c.request("POST", LOGIN,
                         body={"username": user, "password": password},
                         headers={"X-Forwarded-For": "10.9.9.9, " + addr})


def limited(r, window, what):
    e = expect_error(r, 429, "rate_limited", what=what)
    ra = r.header("Retry-After")
    check(ra is not None and ra.isdigit() and 1 <= int(ra) <= window,
          "%s: Retry-After %r (window %d s)" % (what, ra, window))
    return e


@test
def test_rate_login_per_username(ctx):
    user = "khongco.rl%d" % ctx.seq()
    a, b = ip(ctx), ip(ctx)
    for i in range(10):
        expect_error(login(ctx, user, "sai-%d" % i, a if i % 2 else b), 401,
                     "invalid_credentials", what="failure %d" % (i + 1))
    limited(login(ctx, user, "sai-10", a), 900, "11th failure")
    # the username is limited from any address
    limited(login(ctx, user, "sai-11", ip(ctx)), 900, "from another address")
    # other users from the same address are not blocked
    expect(login(ctx, INSPECTOR, ctx.logins[INSPECTOR], a), 201,
           "another user from the same address")
    try:
        ctx.set_clock(16 * 60)
        expect_error(login(ctx, user, "sai-12", a), 401,
                     "invalid_credentials", what="after the window")
    finally:
        ctx.set_clock(0)


@test
def test_rate_login_per_address(ctx):
    a = ip(ctx)
    for i in range(100):
        r = login(ctx, "khongco.ip%d.%d" % (ctx.seq(), i), "sai", a)
        expect_error(r, 401, "invalid_credentials",
                     what="failure %d from one address" % (i + 1))
    # now even a right password is refused from this address
    limited(login(ctx, INSPECTOR, ctx.logins[INSPECTOR], a), 900,
            "right password from a blocked address")
    expect(login(ctx, INSPECTOR, ctx.logins[INSPECTOR], ip(ctx)), 201,
           "the same user from another address")


@test
def test_rate_kiosk_evaluation_guesses(ctx):
    d = done(ctx)
    a = ip(ctx)
    good = dict(GOOD, code=d["code"], secret=secret(d))
    hdr = {"X-Forwarded-For": a}
    wrong = secret(d)
    for i in range(20):
        guess = "%06x" % ((int(wrong, 16) + 1 + i) % 0x1000000)
        r = ctx.c.request("POST", API + "/public/evaluations",
                          body=dict(good, secret=guess), headers=hdr)
        expect_error(r, 404, "not_found", what="guess %d" % (i + 1))
    r = ctx.c.request("POST", API + "/public/evaluations", body=good,
                      headers=hdr)
    limited(r, 900, "the right secret after 20 refused guesses")
    r = ctx.req(BD["desk"], "GET", "%s/dossiers/%d/evaluation"
                % (API, d["id"]))
    expect(r, 200)
    check(not [e for e in r.json().get("items", [])
               if e.get("channel") == "kiosk"],
          "a kiosk evaluation was stored while limited: %s" % r.json())
    r = ctx.c.request("POST", API + "/public/evaluations", body=good,
                      headers={"X-Forwarded-For": ip(ctx)})
    expect(r, 201, "the right secret from another kiosk")


@test
def test_rate_anonymous_feedback(ctx):
    a = ip(ctx)
    hdr = {"X-Forwarded-For": a}

    def body(n):
        return {"category": "other", "title": "Góp ý số %d" % n,
                "content": "Nội dung góp ý %d" % n, "unit_code": BD["unit"],
                "contact_name": "Lê Văn An", "contact_phone": "0912345678"}

    for i in range(30):
        r = ctx.c.request("POST", FB, body=body(i), headers=hdr)
        expect(r, 201, "anonymous feedback %d" % (i + 1))
    r = ctx.c.request("POST", FB, body=body(30), headers=hdr)
    limited(r, 3600, "31st anonymous feedback in an hour")
    # signed-in citizens are not counted; other addresses are not limited
    mine = {k: v for k, v in body(31).items() if not k.startswith("contact")}
    r = ctx.req(CITIZEN, "POST", FB, body=mine, headers=hdr)
    expect(r, 201, "a citizen from the same address")
    r = ctx.c.request("POST", FB, body=body(32),
                      headers={"X-Forwarded-For": ip(ctx)})
    expect(r, 201, "anonymous from another address")
