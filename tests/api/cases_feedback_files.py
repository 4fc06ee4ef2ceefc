"""
cases_feedback_files.py - API tests of issue 9, attachments of a feedback:
uploaded at intake (web citizen, desk transcription, partner API) and on
the answer, with the dossier uploads' size and type limits; readable by
the submitter, the handling unit's officials and inspectors; refused
(with the right status and no file left on disk) to everyone else;
never on the public page; audited. Imported by cases.py after
cases_feedback.
"""
import hashlib
import os

from cases import (ADMIN, API, BD, CITIZEN, CITIZEN2, HK, INSPECTOR, PARTNER,
                   PDF)
from cases_feedback import FB, PUB, act_ok, answer_text, new_fb
from cases_tasks import audit_rows
from lib import check, expect, expect_error, short, test

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16


def up(ctx, user, fid, data, ctype="application/pdf", name="Đơn phản ánh.pdf",
       kind=None):
    q = {}
    if name is not None:
        q["name"] = name
    if kind is not None:
        q["kind"] = kind
    return ctx.c.request("POST", "%s/%d/files" % (FB, fid), body=data,
                         ctype=ctype, query=q,
                         token=ctx.tok(user) if user else None)


def unique_pdf(ctx, what):
    return PDF + ("%% %s %d\n" % (what, ctx.seq())).encode()


def files_of(ctx, user, fid):
    r = ctx.req(user, "GET", "%s/%d/files" % (FB, fid))
    return expect(r, 200, "files of %d as %s" % (fid, user)).json()["items"]


def on_disk(ctx, data):
    sha = hashlib.sha256(data).hexdigest()
    return os.path.exists(os.path.join(ctx.srv.files, sha[:2], sha[2:4], sha))


@test
def test_feedback_files_intake_answer_and_visibility(ctx):
    f = new_fb(ctx)
    fid = f["id"]
    data = unique_pdf(ctx, "intake")
    r = up(ctx, CITIZEN, fid, data)
    expect(r, 201, "citizen intake upload")
    j = r.json()
    check(j["kind"] == "intake" and j["name"] == "Đơn phản ánh.pdf" and
          j["size"] == len(data) and j["mime"] == "application/pdf" and
          j["sha256"] == hashlib.sha256(data).hexdigest(),
          "upload answer %r" % j)
    # visible to the submitter, the unit's officials, an inspector
    for who in (CITIZEN, BD["desk"], BD["spec"], BD["lead"], INSPECTOR,
                ADMIN):
        items = files_of(ctx, who, fid)
        check([x["id"] for x in items] == [j["id"]], "list as %s: %r"
              % (who, items))
        r = ctx.req(who, "GET", "%s/%d/files/%d" % (FB, fid, j["id"]))
        expect(r, 200, "download as " + who)
        check(r.body == data and (r.header("Content-Type") or "")
              .startswith("application/pdf"), "downloaded bytes as %s" % who)
    g = expect(ctx.req(CITIZEN, "GET", "%s/%d" % (FB, fid)), 200).json()
    check([x["id"] for x in g["files"]] == [j["id"]],
          "feedback detail lists its files %r" % g.get("files"))
    # refusals: another citizen, another commune, anonymous
    for who in (CITIZEN2, HK["desk"], HK["lead"]):
        expect_error(ctx.req(who, "GET", "%s/%d/files" % (FB, fid)), 404,
                     what="list as " + who)
        expect_error(ctx.req(who, "GET", "%s/%d/files/%d"
                             % (FB, fid, j["id"])), 404,
                     what="download as " + who)
    other = unique_pdf(ctx, "refused")
    expect_error(up(ctx, CITIZEN2, fid, other), 404, what="other citizen")
    expect_error(up(ctx, HK["desk"], fid, other), 404, what="other commune")
    expect_error(up(ctx, None, fid, other), 401, what="anonymous upload")
    expect_error(up(ctx, BD["spec"], fid, other), 403, "not_submitter")
    expect_error(up(ctx, INSPECTOR, fid, other), 403, "not_submitter")
    expect_error(up(ctx, CITIZEN, fid, other, kind="answer"), 403,
                 "forbidden")
    expect_error(up(ctx, BD["desk"], fid, other, kind="answer"), 403,
                 "forbidden")
    check(not on_disk(ctx, other), "a refused upload was written to disk")
    # the dossier uploads' limits
    expect_error(up(ctx, CITIZEN, fid, b"just text, not a PDF\n"), 415,
                 "unsupported_file")
    expect_error(up(ctx, CITIZEN, fid, PDF, ctype="image/png"), 415,
                 "unsupported_file")
    expect_error(up(ctx, CITIZEN, fid, b"<html></html>", ctype="text/html"),
                 415)
    expect_error(up(ctx, CITIZEN, fid, PDF, name=None), 400, "bad_name")
    expect_error(up(ctx, CITIZEN, fid, PDF, name="a/b.pdf"), 400, "bad_name")
    expect_error(up(ctx, CITIZEN, fid, b""), 400, "empty_body")
    expect_error(up(ctx, CITIZEN, fid, PDF, kind="photo"), 400, "bad_kind")
    big = PDF + b"0" * (20 * 1024 * 1024)
    expect_error(up(ctx, CITIZEN, fid, big), 413, "body_too_large")
    expect_error(up(ctx, CITIZEN, 99999999, PDF), 404, what="no feedback")
    g2 = new_fb(ctx)
    expect_error(ctx.req(CITIZEN, "GET", "%s/%d/files/%d"
                         % (FB, g2["id"], j["id"])), 404, "file_not_found")
    check(len(files_of(ctx, CITIZEN, fid)) == 1, "refused uploads attached")
    # the answer's attachment, by the handling unit, before approval
    r = up(ctx, BD["spec"], fid, PNG + str(ctx.seq()).encode(), "image/png",
           "Sơ đồ quy trình.png", kind="answer")
    expect(r, 201, "answer attachment")
    check(r.json()["kind"] == "answer" and r.json()["mime"] == "image/png",
          "answer file %r" % r.json())
    ans = r.json()
    # not sent yet: the submitter sees neither the draft nor its files
    check(sorted(x["kind"] for x in files_of(ctx, CITIZEN, fid)) ==
          ["intake"], "citizen sees an unapproved answer's file")
    expect_error(ctx.req(CITIZEN, "GET", "%s/%d/files/%d"
                         % (FB, fid, ans["id"])), 404,
                 what="download of an unapproved answer file")
    text = answer_text(f, f["ref"])
    act_ok(ctx, BD["spec"], fid, "answer", "drafted", text=text,
           decision="explain_current_rule",
           legal_basis="Luật Hộ tịch 2014, Điều 16")
    mine = expect(ctx.req(CITIZEN, "GET", "%s/%d" % (FB, fid)), 200).json()
    check(mine["state"] == "drafted" and mine["answer"] is None and
          mine["decision"] is None and mine["legal_basis"] is None and
          [x["kind"] for x in mine["files"]] == ["intake"],
          "citizen reads the unapproved draft %r" % mine)
    listed = expect(ctx.req(CITIZEN, "GET", FB), 200).json()["items"]
    check(all(x["answer"] is None for x in listed if x["id"] == fid),
          "citizen's list shows the unapproved draft")
    theirs = expect(ctx.req(BD["lead"], "GET", "%s/%d" % (FB, fid)),
                    200).json()
    check(theirs["answer"] == text and len(theirs["files"]) == 2,
          "the leader approving it does not see the draft")
    act_ok(ctx, BD["lead"], fid, "approve", "answered")
    mine = expect(ctx.req(CITIZEN, "GET", "%s/%d" % (FB, fid)), 200).json()
    check(mine["answer"] == text, "citizen cannot read the sent answer")
    check(sorted(x["kind"] for x in files_of(ctx, CITIZEN, fid)) ==
          ["answer", "intake"], "citizen sees the answer's file once sent")
    expect(ctx.req(CITIZEN, "GET", "%s/%d/files/%d" % (FB, fid, ans["id"])),
           200, "download of the sent answer's file")
    expect_error(up(ctx, BD["spec"], fid, unique_pdf(ctx, "late"),
                    kind="answer"), 409, "wrong_state")
    expect_error(up(ctx, CITIZEN, fid, unique_pdf(ctx, "late")), 409,
                 "wrong_state")
    # published: the public page shows neither files nor their names
    act_ok(ctx, BD["lead"], fid, "publish", "published")
    r = expect(ctx.req(None, "GET", "%s/%d" % (PUB, fid)), 200, "public")
    body = r.body.decode()
    check("files" not in r.json() and "Đơn phản ánh" not in body and
          j["sha256"] not in body and "Sơ đồ quy trình" not in body,
          "public page shows attachments: %s" % short(body, 800))
    lst = expect(ctx.req(None, "GET", PUB, query={"limit": "200"}), 200)
    check(j["sha256"] not in lst.body.decode() and
          "Đơn phản ánh" not in lst.body.decode(), "public list shows files")
    acts = [a for a, _ in audit_rows(ctx, "feedback:%d" % fid)]
    check(acts.count("feedback.file_upload") == 2, "audit %s" % acts)


@test
def test_feedback_files_desk_and_partner_submitters(ctx):
    # the Hoàn Kiếm desk transcribes a letter about Ba Đình and attaches
    # the scanned letter: it may attach and read, the Ba Đình unit reads
    f = new_fb(ctx, HK["desk"], channel="paper",
               contact_name="Nguyễn Thị Thu", contact_phone="0911222333")
    data = unique_pdf(ctx, "scan")
    r = up(ctx, HK["desk"], f["id"], data, name="Thư phản ánh (bản quét).pdf")
    expect(r, 201, "desk intake upload")
    check([x["id"] for x in files_of(ctx, BD["spec"], f["id"])] ==
          [r.json()["id"]], "the handling unit reads the scan")
    check(len(files_of(ctx, HK["desk"], f["id"])) == 1, "desk reads it")
    expect_error(up(ctx, HK["spec"], f["id"], unique_pdf(ctx, "x")), 404,
                 what="another official of the desk's unit")
    # the national portal (partner API) sends one with a photo
    p = new_fb(ctx, PARTNER, contact_name="Trần Văn Bình",
               contact_email="binh@example.vn")
    check(p["channel"] == "api", "partner channel %r" % p)
    r = up(ctx, PARTNER, p["id"], PNG + str(ctx.seq()).encode(),
           "image/png", "anh.png")
    expect(r, 201, "partner intake upload")
    expect(ctx.req(PARTNER, "GET", "%s/%d" % (FB, p["id"])), 200,
           "partner reads what it sent")
    expect_error(ctx.req(PARTNER, "GET", "%s/%d" % (FB, f["id"])), 404,
                 what="partner reads another's feedback")
    expect_error(up(ctx, PARTNER, f["id"], unique_pdf(ctx, "y")), 404,
                 what="partner attaches to another's feedback")
    # information requested: the citizen may still add files
    c = new_fb(ctx)
    act_ok(ctx, BD["spec"], c["id"], "request-info", "info_requested",
           reason="Đề nghị gửi bản chụp giấy hẹn.")
    expect(up(ctx, CITIZEN, c["id"], unique_pdf(ctx, "info")), 201,
           "upload while info requested")


@test
def test_feedback_files_anonymous_upload_key(ctx):
    body = {"category": "other", "title": "Thiếu ghế chờ (ảnh chụp)",
            "content": "Xem ảnh đính kèm.", "unit_code": BD["unit"],
            "contact_name": "Vũ Thị Lan", "contact_phone": "0977111222"}
    r = ctx.c.request("POST", FB, body=body)
    expect(r, 201, "anonymous intake")
    f = r.json()
    key = f.get("upload_key") or ""
    check(len(key) >= 40 and f.get("upload_key_expires_at"),
          "anonymous intake gives an upload key: %r" % f)
    g = new_fb(ctx)
    check("upload_key" not in g, "a citizen got an upload key")

    def anon(fid, data, k, kind=None, ctype="image/png"):
        q = {"name": "anh-ghe-cho.png"}
        if k is not None:
            q["upload_key"] = k
        if kind:
            q["kind"] = kind
        return ctx.c.request("POST", "%s/%d/files" % (FB, fid), body=data,
                             ctype=ctype, query=q)
    img = PNG + str(ctx.seq()).encode()
    expect_error(anon(f["id"], img, None), 401, "unauthenticated")
    expect_error(anon(f["id"], img, key[:-2] + "xx"), 403, "bad_upload_key")
    expect_error(anon(g["id"], img, key), 403, "bad_upload_key")
    expect_error(anon(f["id"], img, key, kind="answer"), 403,
                 "bad_upload_key")
    expect_error(anon(f["id"], b"not an image", key), 415,
                 "unsupported_file")
    check(not on_disk(ctx, img), "a refused anonymous upload was stored")
    r = anon(f["id"], img, key)
    expect(r, 201, "anonymous upload with its key")
    check([x["id"] for x in files_of(ctx, BD["spec"], f["id"])] ==
          [r.json()["id"]], "the unit sees the anonymous sender's photo")
    expect_error(ctx.c.request("GET", "%s/%d/files" % (FB, f["id"])), 401,
                 what="anonymous list")
    # the key expires after an hour
    from cases_feedback import clocked
    late = PNG + str(ctx.seq()).encode()
    clocked(ctx, f["upload_key_expires_at"], lambda: expect_error(
        anon(f["id"], late, key), 403, "bad_upload_key"))
