"""
cases_webui.py - API tests of what the web UI of issue 6 added to the API:
POST /api/v1/catalog/import (the administrator's catalog import: a dry run
counts and changes nothing, a real import creates a procedure and then a
new version, a bad row is refused naming its line with no change, every
other role is refused; its own procedure code keeps the catalog the other
cases rely on as it is), and the kiosk evaluation code printed on the
receipt (form 01) that officials print. Imported by cases.py.
"""
import csv
import io

from cases import (ADMIN, API, BD, CITIZEN, INSPECTOR, drive)
from cases_discipline import pdf_text
from lib import check, expect, expect_error, test

CODE = "9.999001"
HEADER = ["code", "name", "field", "level", "time_limit_value",
          "time_limit_unit", "fee", "online_level", "source", "portal_url",
          "decision_no", "competent_agency", "implementing_agency",
          "time_limit_by_channel", "fee_by_channel", "notes"]
DOC_HEADER = ["procedure_code", "seq", "document_name", "original_or_copy",
              "quantity", "source", "section", "qty_original", "qty_copy",
              "form_file"]


def procs_csv(name, days="5", code=CODE):
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\r\n")
    w.writerow(HEADER)
    w.writerow([code, name, "Hộ tịch", "Cấp xã", days, "Ngày làm việc",
                "Miễn phí", "Trực tuyến|Trực tiếp", "e2e", "", "1/QĐ-TEST",
                "", "UBND cấp xã", "", "", ""])
    return out.getvalue()


def docs_csv(names, code=CODE):
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(DOC_HEADER)
    for i, n in enumerate(names, 1):
        w.writerow([code, i, n, "bản chính", "1 bản chính", "e2e",
                    "* Giấy tờ phải nộp:", 1, 0, ""])
    return out.getvalue()


def imp(ctx, user, body):
    return ctx.req(user, "POST", API + "/catalog/import", body)


def proc(ctx, status=200):
    r = ctx.c.request("GET", "%s/procedures/%s" % (API, CODE))
    expect(r, status, "procedure " + CODE)
    return r.json() if status == 200 else None


@test
def test_catalog_import_dry_run_then_real_then_version(ctx):
    body = {"procedures": procs_csv("Thủ tục kiểm thử nhập danh mục"),
            "documents": docs_csv(["Tờ khai theo mẫu", "Giấy tờ tùy thân"]),
            "dry_run": True}
    r = expect(imp(ctx, ADMIN, body), 200, "dry run")
    check(r.json() == {"dry_run": True, "format": "csv", "total": 1,
                       "created": 1, "versioned": 0, "unchanged": 0},
          "dry run answer %r" % r.json())
    proc(ctx, 404)
    body["dry_run"] = False
    r = expect(imp(ctx, ADMIN, body), 200, "import")
    check(r.json()["created"] == 1 and r.json()["dry_run"] is False,
          "import answer %r" % r.json())
    p = proc(ctx)
    check(p["name"] == "Thủ tục kiểm thử nhập danh mục" and
          p["version"] == 1 and len(p["components"]) == 2 and
          p["time_limit"]["value"] == 5, "imported %r" % p)
    # the same file again: unchanged, no new version
    r = expect(imp(ctx, ADMIN, body), 200, "re-import")
    check(r.json()["unchanged"] == 1 and r.json()["created"] == 0,
          "re-import %r" % r.json())
    # a changed limit: a dry run says versioned and keeps version 1
    body2 = {"procedures": procs_csv("Thủ tục kiểm thử nhập danh mục",
                                     days="7"), "dry_run": True}
    r = expect(imp(ctx, ADMIN, body2), 200, "dry run of a change")
    check(r.json()["versioned"] == 1, "dry run of a change %r" % r.json())
    check(proc(ctx)["version"] == 1, "a dry run made a version")
    body2["dry_run"] = False
    expect(imp(ctx, ADMIN, body2), 200, "import of a change")
    p = proc(ctx)
    check(p["version"] == 2 and p["time_limit"]["value"] == 7 and
          len(p["components"]) == 2, "new version %r" % p)


@test
def test_catalog_import_bad_rows_change_nothing(ctx):
    good = procs_csv("Thủ tục kiểm thử nhập danh mục (sai)", days="9")
    before = proc(ctx)
    e = expect_error(imp(ctx, ADMIN, {"procedures": good + '9.9,x\r\n'}),
                     400)
    check("line 3" in e["message"], "the error does not name the line: %r"
          % e)
    e = expect_error(imp(ctx, ADMIN, {
        "procedures": good,
        "documents": docs_csv(["Tờ khai"], code="9.999404")}), 400)
    check(e["field"] == "procedure_code" and "line 2" in e["message"],
          "documents error %r" % e)
    after = proc(ctx)
    check(after["version"] == before["version"] and
          after["name"] == before["name"], "a refused import changed %r"
          % after)
    expect_error(imp(ctx, ADMIN, {"procedures": "[1]", "format": "json"}),
                 400)
    expect_error(imp(ctx, ADMIN, {"procedures": "{", "format": "json"}),
                 400, "malformed_json")
    expect_error(imp(ctx, ADMIN, {"procedures": "[]", "format": "json",
                                  "documents": "x"}), 400,
                 "documents_not_csv", "documents")
    expect_error(imp(ctx, ADMIN, {"procedures": good, "format": "xls"}),
                 400, "bad_format", "format")
    expect_error(imp(ctx, ADMIN, {"procedures": good, "sheet": 1}), 400,
                 "unknown_field")
    expect_error(imp(ctx, ADMIN, {"procedures": ""}), 400, None,
                 "procedures")
    expect_error(imp(ctx, ADMIN, {"dry_run": True}), 400, None,
                 "procedures")
    expect_error(imp(ctx, ADMIN, {"procedures": good, "dry_run": "yes"}),
                 400)
    check(proc(ctx)["version"] == before["version"], "changed by a refusal")


@test
def test_catalog_import_refused_to_other_roles(ctx):
    body = {"procedures": procs_csv("Thủ tục do người không có quyền nhập",
                                    code="9.999002")}
    for user in (CITIZEN, BD["desk"], BD["spec"], BD["lead"], INSPECTOR):
        expect_error(imp(ctx, user, body), 403, what="import as " + user)
    expect_error(ctx.c.request("POST", API + "/catalog/import", body=body),
                 401)
    expect_error(ctx.c.request("GET", API + "/catalog/import"), 405)
    r = ctx.c.request("GET", API + "/procedures/9.999002")
    expect(r, 404, "a refused import created the procedure")


@test
def test_receipt_carries_the_kiosk_code_for_officials(ctx):
    d = drive(ctx, "processing")
    did, code = d["id"], d["code"]
    r = expect(ctx.req(BD["desk"], "GET", "%s/dossiers/%d/evaluation"
                       % (API, did)), 200, "evaluation as desk")
    sec = r.json()["kiosk_secret"]
    t = pdf_text(ctx, BD["desk"], did, "01")
    check(code in t and ("Mã đánh giá sự hài lòng: %s" % sec) in t,
          "the desk's receipt lacks the kiosk code %s: %s" % (sec, t[-600:]))
    t = pdf_text(ctx, CITIZEN, did, "01")
    check(code in t and "Mã đánh giá" not in t and sec not in t,
          "the citizen's receipt shows the kiosk code: %s" % t[-600:])
