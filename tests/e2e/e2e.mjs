// e2e.mjs - end-to-end tests of the motcua web UI with playwright-core
// driving Debian's chromium. Started by run.sh, which serves a fresh demo
// database with --test-clock and passes:
//   E2E_BASE      http://127.0.0.1:PORT
//   E2E_INIT_OUT  file with the output of `motcua init --demo` (logins)
//   E2E_ARTIFACTS directory for screenshots of failing pages
// Prints "ok NAME" or "FAIL NAME: reason" per test and ends with
// "N passed, M failed". Tests run in order and share a few records (the
// dossiers created early are carried through later tests).
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import path from 'node:path';

const BASE = process.env.E2E_BASE;
const ART = process.env.E2E_ARTIFACTS;
const TIMEOUT = 15000;
// Thursday 05/03/2026 09:00: a 3-working-day limit then skips Sat 07 and
// Sun 08 and ends on Tue 10/03/2026.
const CLOCK = '2026-03-05T09:00:00+07:00';
const DUE = '10/03/2026';

function parseLogins(text) {
  const logins = {};
  let inTable = false;
  for (const line of text.split('\n')) {
    const cols = line.trim().split(/\s+/);
    if (cols[0] === 'username' && cols[1] === 'password') { inTable = true; continue; }
    if (inTable && cols.length >= 3) logins[cols[0]] = cols[1];
  }
  return logins;
}
const LOGINS = parseLogins(fs.readFileSync(process.env.E2E_INIT_OUT, 'utf8'));

async function apiCall(method, p, body, token) {
  const headers = { 'Content-Type': 'application/json' };
  if (token) headers.Authorization = `Bearer ${token}`;
  const r = await fetch(BASE + '/api/v1' + p, { method, headers, body: body ? JSON.stringify(body) : undefined });
  const text = await r.text();
  if (!r.ok) throw new Error(`${method} ${p} -> ${r.status}: ${text.slice(0, 300)}`);
  return text ? JSON.parse(text) : null;
}

async function waitHealthy() {
  const deadline = Date.now() + 30000;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const r = await fetch(BASE + '/api/v1/health');
      if (r.ok) return;
      last = `status ${r.status}`;
    } catch (e) { last = e.message; }
    await new Promise((res) => setTimeout(res, 100));
  }
  throw new Error(`server not healthy: ${last}`);
}

// A minimal, well-formed PDF (the server checks the content matches the type).
function tinyPdf() {
  const objs = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>',
  ];
  let out = '%PDF-1.4\n';
  const offs = [];
  objs.forEach((o, i) => { offs.push(out.length); out += `${i + 1} 0 obj\n${o}\nendobj\n`; });
  const xref = out.length;
  out += `xref\n0 ${objs.length + 1}\n0000000000 65535 f \n`;
  for (const off of offs) out += `${String(off).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objs.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

// ------------------------------------------------------------------ harness

const shared = {};
const tests = [];
function test(name, fn, opts = {}) { tests.push({ name, fn, opts }); }

let browser;

async function newPage(opts = {}) {
  const context = await browser.newContext({
    baseURL: BASE, viewport: opts.viewport || { width: 1280, height: 900 }, locale: 'vi-VN',
  });
  context.setDefaultTimeout(TIMEOUT);
  const page = await context.newPage();
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(e.message));
  return page;
}

async function login(page, user) {
  await page.goto('/dang-nhap');
  await page.locator('#username').fill(user);
  await page.locator('#password').fill(LOGINS[user]);
  await page.locator('#login-submit').click();
  await page.locator('#who').waitFor();
}

async function logout(page) {
  await page.locator('#logout').click();
  await page.locator('#login-link').waitFor();
}

async function nav(page, label) {
  await page.locator('header nav').getByRole('link', { name: label, exact: true }).click();
}

function text(page, sel, re) { return page.locator(sel, { hasText: re }).waitFor(); }

async function openDossier(page, listLabel, id) {
  await nav(page, listLabel);
  await page.locator(`li.dossier[data-id="${id}"] a`).click();
  await page.locator('#dossier-state').waitFor();
}

async function doAction(page, action, fill) {
  const form = page.locator(`#act-${action}`);
  const det = page.locator(`#action-${action}`);
  if (await det.count()) await det.locator('summary').click();
  if (fill) await fill(form);
  await form.locator('button[type=submit]').click();
}

function check(cond, what) { if (!cond) throw new Error(what); }

// ------------------------------------------------------------------ tests

test('catalog_search_accent_insensitive', async () => {
  const page = await newPage();
  await page.goto('/');
  await page.locator('#catalog-q').fill('dang ky khai sinh ket hop');
  await page.locator('#catalog-q').press('Enter');
  const link = page.locator('#catalog-results a', { hasText: 'Thủ tục đăng ký khai sinh kết hợp đăng ký nhận cha, mẹ, con' });
  await link.click();
  await text(page, 'h1', 'Thủ tục đăng ký khai sinh kết hợp');
  await text(page, '#proc-limit dd', /^3 ngày làm việc$/);
  await text(page, '#proc-fee dd', 'Miễn phí');
  await page.locator('#components li .badge.mandatory').first().waitFor();
  await page.getByRole('link', { name: 'Đăng nhập để nộp hồ sơ trực tuyến' }).waitFor();
  return page;
});

test('citizen_submits_online_with_pdf_and_tracks', async () => {
  const page = await newPage();
  await login(page, 'nguyenvanduc');
  await nav(page, 'Thủ tục hành chính');
  await page.locator('#catalog-q').fill('khai sinh ket hop');
  await page.locator('#catalog-q').press('Enter');
  await page.locator('#catalog-results a', { hasText: 'khai sinh kết hợp' }).click();
  await page.locator('#submit-online').click();
  await text(page, 'h1', 'Nộp hồ sơ trực tuyến');
  await page.locator('#unit-q').fill('ba dinh');
  await page.locator('#unit option', { hasText: 'Phường Ba Đình' }).waitFor({ state: 'attached' });
  await page.locator('#unit').selectOption({ label: 'Phường Ba Đình (H26.00004)' });
  await page.locator('#summary').fill('Đăng ký khai sinh cho con (kiểm thử e2e)');
  const fileInput = page.locator('input[type=file][data-component]').first();
  await fileInput.setInputFiles({ name: 'giay-chung-sinh.pdf', mimeType: 'application/pdf', buffer: tinyPdf() });
  await page.locator('#submit-send').click();
  await text(page, '.msg-ok', 'Đã nộp hồ sơ thành công');
  await text(page, '#dossier-state', /^Mới đăng ký$/);
  await text(page, '#file-list', 'giay-chung-sinh.pdf');
  shared.onlineId = Number(page.url().split('/').pop());
  check(shared.onlineId > 0, `no dossier id in ${page.url()}`);
  // track it from "my dossiers"
  await nav(page, 'Hồ sơ của tôi');
  const row = page.locator(`li.dossier[data-id="${shared.onlineId}"]`);
  await row.waitFor();
  await text(page, `li.dossier[data-id="${shared.onlineId}"] .state`, /^Mới đăng ký$/);
  await row.locator('a').click();
  await text(page, '#history', 'Nộp hồ sơ');
  return page;
});

test('desk_receives_counter_dossier', async () => {
  const page = await newPage();
  await login(page, 'badinh.tiepnhan');
  await nav(page, 'Tiếp nhận tại quầy');
  await page.locator('#proc-q').fill('khai sinh ket hop');
  await page.locator('#proc option', { hasText: '1.000689' }).waitFor({ state: 'attached' });
  await page.locator('#proc').selectOption({ label: '1.000689 - Thủ tục đăng ký khai sinh kết hợp đăng ký nhận cha, mẹ, con' });
  await page.locator('#applicant_name').fill('Lê Thị Hoa');
  await page.locator('#applicant_phone').fill('0987654321');
  await page.locator('#counter-send').click();
  await text(page, '#receipt-code', /^H26\.00004-260305-\d{4}$/);
  await text(page, '#receipt-due', new RegExp(`^${DUE}$`));
  shared.counterCode = (await page.locator('#receipt-code').textContent()).trim();
  await page.getByRole('link', { name: 'Mở hồ sơ' }).click();
  await text(page, '#dossier-code', shared.counterCode);
  await text(page, '#dossier-state', /^Được tiếp nhận$/);
  shared.counterId = Number(page.url().split('/').pop());
  return page;
});

test('public_lookup_without_login', async () => {
  check(shared.counterCode, 'needs the counter dossier');
  const page = await newPage();
  await page.goto('/');
  await nav(page, 'Tra cứu hồ sơ');
  await page.locator('#lookup-code').fill(shared.counterCode);
  await page.locator('#lookup-code').press('Enter');
  await text(page, '#lookup-result h2', shared.counterCode);
  await text(page, '#lookup-state', /^Được tiếp nhận$/);
  await text(page, '#lookup-due', new RegExp(`^${DUE}$`));
  check(new URL(page.url()).pathname === `/tra-cuu/${shared.counterCode}`, `url is ${page.url()}`);
  check(await page.locator('#login-link').isVisible(), 'not anonymous');
  return page;
});

test('public_lookup_deep_link', async () => {
  check(shared.counterCode, 'needs the counter dossier');
  const r = await fetch(`${BASE}/tra-cuu/${shared.counterCode}`);
  if (r.status === 404) {
    return { skip: 'server answers 404 for /tra-cuu/CODE when the code contains a dot (static.c fallback)' };
  }
  const page = await newPage();
  await page.goto(`/tra-cuu/${shared.counterCode}`);
  await text(page, '#lookup-state', /^Được tiếp nhận$/);
  await text(page, '#lookup-due', new RegExp(`^${DUE}$`));
  return page;
});

test('desk_receives_online_dossier', async () => {
  check(shared.onlineId, 'needs the online dossier');
  const page = await newPage();
  await login(page, 'badinh.tiepnhan');
  await openDossier(page, 'Chờ tiếp nhận', shared.onlineId);
  await text(page, '#file-list', 'giay-chung-sinh.pdf');
  await doAction(page, 'receive');
  await text(page, '.msg-ok', 'Đã thực hiện: Tiếp nhận');
  await text(page, '#dossier-state', /^Được tiếp nhận$/);
  await text(page, '#dossier-code', /^H26\.00004-260305-\d{4}$/);
  await text(page, '#dossier-due', new RegExp(`^${DUE}$`));
  return page;
});

test('why_is_this_my_date_lists_weekend', async () => {
  check(shared.onlineId, 'needs the online dossier');
  const page = await newPage();
  await login(page, 'nguyenvanduc');
  await openDossier(page, 'Hồ sơ của tôi', shared.onlineId);
  await text(page, '#why h2', 'Vì sao ngày hẹn trả là ngày này?');
  await text(page, '#why-skipped li[data-kind="weekend"]', 'Thứ Bảy, 07/03/2026');
  await text(page, '#why-skipped li[data-kind="weekend"]', 'Chủ nhật, 08/03/2026');
  await text(page, '#why .due-line', `Ngày hẹn trả kết quả: ${DUE}`);
  return page;
});

test('specialist_and_leader_carry_dossier_to_returned', async () => {
  check(shared.counterId, 'needs the counter dossier');
  const id = shared.counterId;
  const page = await newPage();
  // leader assigns
  await login(page, 'badinh.lanhdao');
  await openDossier(page, 'Phân công', id);
  await doAction(page, 'assign', async (f) => {
    await f.locator('select[name=assignee_id]').selectOption({ label: 'Hoàng Văn Nam (badinh.chuyenvien)' });
  });
  await text(page, '#dossier-state', /^Đang xử lý$/);
  await logout(page);
  // specialist: work queue with urgency, submit for approval
  await login(page, 'badinh.chuyenvien');
  await nav(page, 'Việc của tôi');
  await text(page, `li.dossier[data-id="${id}"] .urg`, 'Trong hạn');
  await page.locator(`li.dossier[data-id="${id}"] a`).click();
  await page.locator('#ledger').waitFor();
  await doAction(page, 'submit_for_approval', async (f) => {
    await f.locator('textarea[name=result]').fill('Đủ điều kiện cấp Giấy khai sinh');
  });
  await text(page, '#dossier-state', /^Đang xử lý - chờ phê duyệt$/);
  await logout(page);
  // leader approves
  await login(page, 'badinh.lanhdao');
  await openDossier(page, 'Phê duyệt', id);
  await doAction(page, 'approve');
  await text(page, '#dossier-state', /^Đã xử lý xong$/);
  await logout(page);
  // desk returns the result
  await login(page, 'badinh.tiepnhan');
  await openDossier(page, 'Trả kết quả', id);
  await doAction(page, 'return_result');
  await text(page, '#dossier-state', /^Đã trả kết quả$/);
  for (const a of ['Phân công xử lý', 'Trình phê duyệt', 'Phê duyệt', 'Trả kết quả']) {
    await page.locator('#history li', { hasText: a }).first().waitFor();
  }
  await text(page, '#actions', 'Không có thao tác nào');
  return page;
});

test('english_after_switching', async () => {
  const page = await newPage();
  await page.goto('/');
  await text(page, 'h1', 'Tra cứu thủ tục hành chính');
  await page.locator('#lang-toggle').click();
  await text(page, 'h1', 'Find an administrative procedure');
  await page.locator('header nav').getByRole('link', { name: 'Track a dossier', exact: true }).waitFor();
  check(await page.evaluate(() => document.documentElement.lang) === 'en', 'html lang is not en');
  // the choice survives a reload and applies to the dossier pages
  await login(page, 'nguyenvanduc');
  await text(page, 'h1', 'My dossiers');
  if (shared.onlineId) {
    await page.locator(`li.dossier[data-id="${shared.onlineId}"] a`).click();
    await text(page, '#why h2', 'Why is this my date?');
    await text(page, '#why-skipped', 'Saturday, 07/03/2026');
    await text(page, '#dossier-state', /^Received$/);
  }
  return page;
});

test('catalog_360px_no_horizontal_scroll', async () => {
  const page = await newPage({ viewport: { width: 360, height: 740 } });
  await page.goto('/?q=giay');
  await page.locator('#catalog-results li').first().waitFor();
  const over = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  check(over <= 0, `catalog page scrolls horizontally by ${over}px`);
  await page.locator('#catalog-results a').first().click();
  await page.locator('#components').waitFor();
  const over2 = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  check(over2 <= 0, `procedure page scrolls horizontally by ${over2}px`);
  return page;
});

test('admin_calendar_year_and_announcement', async () => {
  const page = await newPage();
  await login(page, 'admin');
  await nav(page, 'Lịch làm việc');
  await text(page, 'h1', 'Lịch làm việc năm 2026');
  await text(page, '#days-off', 'Tết Nguyên Đán');
  await page.locator('td.day.k-holiday[data-date="2026-02-17"]').waitFor();
  await page.locator('#ann-date').fill('31/12/2026');
  await page.locator('#ann-kind').selectOption('off');
  await page.locator('#ann-reason').fill('Nghỉ thử nghiệm e2e');
  await page.locator('#announce button[type=submit]').click();
  await text(page, '.msg-ok', 'Đã lưu thông báo ngày 31/12/2026');
  await text(page, '#days-off li[data-date="2026-12-31"]', 'Nghỉ thử nghiệm e2e');
  await page.locator('td.day.k-off[data-date="2026-12-31"]').waitFor();
  return page;
});

test('admin_accounts_create_specialist', async () => {
  const page = await newPage();
  await login(page, 'admin');
  await nav(page, 'Tài khoản');
  await text(page, '#account-table', 'badinh.chuyenvien');
  await page.locator('details.action summary').click();
  await page.locator('#acc-username').fill('badinh.cv2');
  await page.locator('#acc-password').fill('matkhau123!');
  await page.locator('#acc-name').fill('Phạm Thị Lan');
  await page.locator('#acc-role').selectOption('specialist');
  await page.locator('#acc-unit-q').fill('ba dinh');
  await page.locator('#acc-unit option', { hasText: 'Phường Ba Đình' }).waitFor({ state: 'attached' });
  await page.locator('#acc-unit').selectOption({ label: 'Phường Ba Đình (H26.00004)' });
  await page.locator('details.action button[type=submit]').click();
  await text(page, '.msg-ok', 'Đã tạo tài khoản badinh.cv2');
  await text(page, '#account-table', 'Phạm Thị Lan');
  return page;
});

// ------------------------------------------------------------------ API setup helpers

const tokens = {};
async function tok(user) {
  if (!tokens[user]) tokens[user] = (await apiCall('POST', '/sessions', { username: user, password: LOGINS[user] })).token;
  return tokens[user];
}

// The birth-registration procedure and Phường Ba Đình, looked up once.
async function refs() {
  if (shared.refs) return shared.refs;
  const procs = await apiCall('GET', '/procedures?q=1.000689&limit=5');
  const p = procs.items.find((x) => x.code === '1.000689');
  check(p, 'procedure 1.000689 not found');
  const proc = await apiCall('GET', `/procedures/${p.id}`);
  const unit = await apiCall('GET', '/units/H26.00004');
  const specs = await apiCall('GET', `/accounts?role=specialist&unit_id=${unit.id}`, null, await tok('badinh.lanhdao'));
  const spec = specs.items.find((a) => a.username === 'badinh.chuyenvien');
  check(spec, 'badinh.chuyenvien not found');
  shared.refs = { proc, unit, spec };
  return shared.refs;
}

async function act(user, d, action, extra = {}) {
  return apiCall('POST', `/dossiers/${d.id}/transitions`, { action, version: d.version, ...extra }, await tok(user));
}

// A dossier received by the Ba Đình desk; submitted online by `citizen`
// when given (so that it has an applicant account), else at the counter.
async function receivedDossier(citizen, summary) {
  const { proc, unit } = await refs();
  let d;
  if (citizen) {
    d = await apiCall('POST', '/dossiers', { procedure_id: proc.id, receiving_unit_id: unit.id, applicant_name: 'Nguyễn Văn Đức', summary }, await tok(citizen));
  } else {
    d = await apiCall('POST', '/dossiers', { procedure_id: proc.id, receiving_unit_id: unit.id, channel: 1, applicant_name: 'Đỗ Văn Bình', summary }, await tok('badinh.tiepnhan'));
  }
  return act('badinh.tiepnhan', d, 'receive');
}

async function noHorizontalScroll(page, what) {
  const over = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  check(over <= 0, `${what} scrolls horizontally by ${over}px`);
}

// ------------------------------------------------------------------ tests: forms, discipline, notifications

test('desk_prints_receipt_after_intake', async () => {
  const page = await newPage();
  await login(page, 'badinh.tiepnhan');
  await nav(page, 'Tiếp nhận tại quầy');
  await page.locator('#proc-q').fill('khai sinh ket hop');
  await page.locator('#proc option', { hasText: '1.000689' }).waitFor({ state: 'attached' });
  await page.locator('#proc').selectOption({ label: '1.000689 - Thủ tục đăng ký khai sinh kết hợp đăng ký nhận cha, mẹ, con' });
  await page.locator('#applicant_name').fill('Phạm Văn Tâm');
  await page.locator('#counter-send').click();
  await text(page, '#receipt-code', /^H26\.00004-260305-\d{4}$/);
  const link = page.getByRole('link', { name: /^In giấy tiếp nhận/ });
  await link.waitFor();
  check(await link.getAttribute('target') === '_blank', 'the receipt link does not open a new tab');
  const href = await link.getAttribute('href');
  check(/^\/api\/v1\/dossiers\/\d+\/forms\/01$/.test(href), `receipt link is ${href}`);
  const probe = (u) => page.evaluate(async (url) => {
    const r = await fetch(url, { credentials: 'same-origin' });
    const b = new Uint8Array(await r.arrayBuffer());
    return { status: r.status, type: r.headers.get('content-type'), head: String.fromCharCode(...b.slice(0, 5)) };
  }, u);
  const res = await probe(href);
  check(res.status === 200, `receipt PDF status ${res.status}`);
  check((res.type || '').startsWith('application/pdf'), `receipt PDF type ${res.type}`);
  check(res.head === '%PDF-', `receipt does not start with %PDF- (${res.head})`);
  // the dossier page lists the forms it has reached: 01 and 05, not 02-04
  await page.getByRole('link', { name: 'Mở hồ sơ' }).click();
  await page.locator('#dossier-state').waitFor();
  await text(page, '#forms a[data-form="01"]', 'Mẫu 01 - Giấy tiếp nhận hồ sơ và hẹn trả kết quả');
  await text(page, '#forms a[data-form="05"]', 'Mẫu 05');
  check(await page.locator('#forms a[data-form="02"], #forms a[data-form="03"], #forms a[data-form="04"]').count() === 0, 'forms 02-04 listed too early');
  const res5 = await probe(await page.locator('#forms a[data-form="05"]').getAttribute('href'));
  check(res5.status === 200 && (res5.type || '').startsWith('application/pdf'), `form 05: ${res5.status} ${res5.type}`);
  return page;
});

test('inspector_confirms_repeated_supplement', async () => {
  // setup through the API: the specialist asks for a supplement twice
  const { proc, spec } = await refs();
  const comp = proc.components[0].id;
  let d = await receivedDossier(null, 'Kiểm thử e2e: bổ sung hai lần');
  d = await act('badinh.lanhdao', d, 'assign', { assignee_id: spec.id });
  d = await act('badinh.chuyenvien', d, 'request_supplement', { components: [comp], reason: 'Thiếu giấy chứng sinh' });
  d = await act('badinh.tiepnhan', d, 'supplement_received');
  d = await act('badinh.chuyenvien', d, 'request_supplement', { components: [comp], reason: 'Bản sao chưa chứng thực' });
  const vs = await apiCall('GET', '/violations?rule=supplement_repeated&state=open', null, await tok('thanhtra'));
  check(vs.items.some((v) => v.dossier_id === d.id), 'the API raised no supplement_repeated violation');

  const page = await newPage();
  await login(page, 'thanhtra');
  await text(page, 'h1', 'Vi phạm quy định một cửa');
  await page.locator('#v-rule').selectOption('supplement_repeated');
  await page.locator('#v-filter').click();
  const row = page.locator(`li.violation[data-dossier="${d.id}"]`);
  await row.waitFor();
  await text(page, `li.violation[data-dossier="${d.id}"]`, 'Yêu cầu bổ sung hồ sơ lần thứ hai');
  await text(page, `li.violation[data-dossier="${d.id}"] .vstate`, /^Chờ xem xét$/);
  await row.locator('a').click();
  await text(page, '#violation-state', /^Chờ xem xét$/);
  await text(page, '#violation-dossier', d.code);
  await text(page, '#violation-official dd', 'Hoàng Văn Nam');
  await text(page, '#evidence [data-key="round"] dd', /^2$/);
  await text(page, '#evidence [data-key="dossier_code"] dd', d.code);
  // the reason is required
  await page.getByLabel('Xác nhận vi phạm').check();
  await page.locator('#decision-send').click();
  check(await page.locator('#decision-reason').evaluate((el) => !el.validity.valid), 'an empty reason was accepted');
  await page.locator('#decision-reason').fill('Đã xác minh: yêu cầu bổ sung lần thứ hai (e2e)');
  await page.locator('#decision-send').click();
  await text(page, '.msg-ok', /Đã xác nhận vi phạm #\d+/);
  await text(page, '#violation-state', /^Đã xác nhận$/);
  await text(page, '#violation-reason dd', 'Đã xác minh: yêu cầu bổ sung lần thứ hai (e2e)');
  check(await page.locator('#decision-form').count() === 0, 'the decision form is still offered');
  // the list of confirmed violations shows it
  await nav(page, 'Vi phạm');
  await page.locator('#v-state').selectOption('confirmed');
  await page.locator('#v-filter').click();
  await text(page, `li.violation[data-dossier="${d.id}"] .vstate`, /^Đã xác nhận$/);
  // the discipline summary counts it, and the CSV carries the same table
  await nav(page, 'Tổng hợp kỷ luật');
  await text(page, '#ds-officials tr', 'Hoàng Văn Nam');
  await text(page, '#ds-units', 'Phường Ba Đình');
  const [dl] = await Promise.all([page.waitForEvent('download'), page.locator('#csv-download').click()]);
  check(/\.csv$/.test(dl.suggestedFilename()), `CSV named ${dl.suggestedFilename()}`);
  const csv = fs.readFileSync(await dl.path(), 'utf8');
  check(csv.charCodeAt(0) === 0xFEFF, 'the CSV has no byte-order mark');
  check(csv.includes('"Hoàng Văn Nam') && csv.includes('Yêu cầu bổ sung hồ sơ lần thứ hai'), 'the CSV lacks the official row');
  shared.violationDossier = d;
  return page;
});

test('reschedule_notifies_citizen_badge_and_inbox', async () => {
  const d = await receivedDossier('nguyenvanduc', 'Kiểm thử e2e: hẹn lại');
  const before = (await apiCall('GET', '/notifications?unread=1&limit=1', null, await tok('nguyenvanduc'))).unread;
  const page = await newPage();
  // the leader reschedules with an apology, dd/mm/yyyy, once only
  await login(page, 'badinh.lanhdao');
  await page.goto(`/ho-so/${d.id}`);
  await page.locator('#dossier-state').waitFor();
  await page.locator('#action-reschedule summary').click();
  await text(page, '#act-reschedule .note', 'chỉ được xin lỗi và hẹn lại ngày trả kết quả một lần');
  const due = page.getByLabel('Ngày hẹn trả mới (dd/mm/yyyy)');
  check(await due.getAttribute('placeholder') === 'dd/mm/yyyy', 'no dd/mm/yyyy placeholder');
  await due.fill('12/03/2026');
  await page.locator('#act-reschedule textarea[name=reason]').fill('Cần xác minh thêm với UBND nơi cư trú; chúng tôi xin lỗi ông.');
  await page.locator('#act-reschedule button[type=submit]').click();
  await text(page, '.msg-ok', 'Đã thực hiện: Gia hạn');
  await text(page, '#dossier-due', /^12\/03\/2026$/);
  await text(page, '.note', 'Đã gia hạn một lần');
  check(await page.locator('#action-reschedule').count() === 0, 'reschedule is offered a second time');
  await text(page, '#forms a[data-form="04"]', 'Mẫu 04');
  await logout(page);
  // the citizen sees the unread count in the header, reads the apology
  await login(page, 'nguyenvanduc');
  await text(page, '#notif-badge', new RegExp(`^${before + 1}$`));
  const linkName = await page.locator('#notif-link').innerText();
  check(linkName.startsWith('Thông báo'), `notification link reads ${linkName}`);
  await page.locator('#notif-link').click();
  await text(page, 'h1', 'Thông báo của tôi');
  const item = page.locator('li.notif[data-read="0"]', { hasText: d.code });
  await item.waitFor();
  await text(page, `li.notif[data-read="0"]:has-text("${d.code}") .badge`, 'Thư xin lỗi');
  await item.getByRole('button', { name: /^Đánh dấu đã đọc/ }).click();
  await text(page, '.msg-ok', 'Đã đánh dấu đã đọc');
  await page.locator('li.notif[data-read="1"]', { hasText: d.code }).waitFor();
  if (before === 0) await page.locator('#notif-badge').waitFor({ state: 'detached' });
  else await text(page, '#notif-badge', new RegExp(`^${before}$`));
  return page;
});

test('inspector_and_inbox_360px', async () => {
  const page = await newPage({ viewport: { width: 360, height: 740 } });
  await login(page, 'thanhtra');
  await page.locator('#violation-list, #violation-count').first().waitFor();
  await noHorizontalScroll(page, 'violation list');
  await page.goto('/thanh-tra/vi-pham?state=confirmed');
  await page.locator('li.violation a').first().click();
  await page.locator('#evidence').waitFor();
  await noHorizontalScroll(page, 'violation page');
  await page.goto('/thanh-tra/tong-hop');
  await page.locator('#ds-total').waitFor();
  await noHorizontalScroll(page, 'discipline summary');
  await page.goto('/thong-bao');
  await page.locator('#notif-count').waitFor();
  await noHorizontalScroll(page, 'notifications');
  return page;
});

// ------------------------------------------------------------------ tests: directive tasks

test('directive_task_assigned_reported_done_accepted', async () => {
  const page = await newPage();
  // the Department of Justice's leader records a directive and assigns a task to Phường Ba Đình
  await login(page, 'stp.lanhdao');
  await nav(page, 'Văn bản chỉ đạo');
  await text(page, 'h1', 'Văn bản chỉ đạo');
  await page.locator('#dir-number').fill('15/CT-STP-E2E');
  await page.getByLabel('Ngày ban hành (dd/mm/yyyy)').fill('05/03/2026');
  await page.locator('#dir-summary').fill('Chỉ thị tăng cường kỷ cương tại Bộ phận Một cửa (e2e)');
  await page.locator('#dir-form button[type=submit]').click();
  await text(page, '.msg-ok', 'Đã ghi nhận văn bản 15/CT-STP-E2E');
  await text(page, 'h1', 'Văn bản 15/CT-STP-E2E');
  await page.locator('#task-title').fill('Rà soát niêm yết thủ tục hành chính (e2e)');
  await page.locator('#task-lead-q').fill('ba dinh');
  await page.locator('#task-lead option', { hasText: 'Phường Ba Đình' }).waitFor({ state: 'attached' });
  await page.locator('#task-lead').selectOption({ label: 'Phường Ba Đình (H26.00004)' });
  await page.getByLabel('Số ngày làm việc kể từ ngày ban hành').check();
  await page.locator('#task-workdays').fill('3');
  await page.locator('#task-expected').fill('Báo cáo kết quả rà soát');
  await page.locator('#task-form button[type=submit]').click();
  await text(page, '.msg-ok', 'hạn 10/03/2026');
  const card = page.locator('#task-list li.task', { hasText: 'Rà soát niêm yết thủ tục hành chính (e2e)' });
  await card.waitFor();
  await text(page, '#task-list li.task .tstatus', /^Đang thực hiện, trong hạn$/);
  const taskId = Number(await card.getAttribute('data-id'));
  check(taskId > 0, 'no task id');
  await logout(page);
  // the unit's leader reports progress, then marks it done with evidence
  await login(page, 'badinh.lanhdao');
  await nav(page, 'Nhiệm vụ của đơn vị');
  await page.locator(`li.task[data-id="${taskId}"] a`).click();
  await text(page, '#task-state', /^Đang thực hiện$/);
  await page.locator('#task-report-box summary').click();
  await page.locator('#report-percent').fill('60');
  await page.locator('#report-note').fill('Đã rà soát 6/10 thủ tục');
  await page.locator('#task-report button[type=submit]').click();
  await text(page, '.msg-ok', 'Đã gửi báo cáo tiến độ');
  await text(page, '#task-progress', /^60%$/);
  await text(page, '#report-list', 'Đã rà soát 6/10 thủ tục');
  await page.locator('#task-done-box summary').click();
  await page.locator('#done-evidence').fill('Báo cáo số 20/BC-UBND ngày 06/03/2026');
  await page.locator('#task-done button[type=submit]').click();
  await text(page, '.msg-ok', 'Đã báo cáo hoàn thành');
  await text(page, '#task-state', /^Đã báo cáo hoàn thành, chờ đánh giá$/);
  // the per-unit report and its Excel download
  await page.goto('/nhiem-vu/bao-cao?unit=19&from=2026-03-01&to=2026-03-31');
  await text(page, '#rep-total', 'Tổng số nhiệm vụ: 1');
  const href = await page.locator('#xlsx-download').getAttribute('href');
  check(/format=xlsx/.test(href), `xlsx link is ${href}`);
  const res = await page.evaluate(async (url) => {
    const r = await fetch(url, { credentials: 'same-origin' });
    const b = new Uint8Array(await r.arrayBuffer());
    return { status: r.status, head: String.fromCharCode(...b.slice(0, 2)) };
  }, href);
  check(res.status === 200 && res.head === 'PK', `xlsx: ${res.status} ${res.head}`);
  const pdfHref = await page.locator('#pdf-download').getAttribute('href');
  const pdf = await page.request.get(pdfHref);
  check(pdf.status() === 200 && (await pdf.body()).subarray(0, 5).toString() === '%PDF-', `pdf report: ${pdf.status()}`);
  await logout(page);
  // the issuer accepts; the overview shows the task done on time
  await login(page, 'stp.lanhdao');
  await nav(page, 'Theo dõi nhiệm vụ');
  await page.locator(`li.task[data-id="${taskId}"] a`).click();
  await text(page, '#task-evidence dd', 'Báo cáo số 20/BC-UBND');
  await page.locator('#task-accept-box summary').click();
  await page.locator('#task-accept button[type=submit]').click();
  await text(page, '.msg-ok', 'Đã nghiệm thu nhiệm vụ');
  await text(page, '#task-state', /^Đã nghiệm thu$/);
  await nav(page, 'Theo dõi nhiệm vụ');
  await text(page, `li.task[data-id="${taskId}"] .tstatus`, /^Hoàn thành đúng hạn$/);
  check(await page.locator(`li.task.ts-done_on_time[data-id="${taskId}"]`).count() === 1, 'the overview card lacks the done-on-time colour');
  shared.taskId = taskId;
  return page;
});

// ------------------------------------------------------------------ tests: citizen feedback

test('feedback_answer_gated_approved_published', async () => {
  const page = await newPage();
  const title = 'Thời gian chờ tại quầy tiếp nhận quá lâu';
  await login(page, 'nguyenvanduc');
  await nav(page, 'Phản ánh của tôi');
  await page.locator('#fb-new').click();
  await text(page, 'h1', 'Gửi phản ánh, kiến nghị');
  await page.locator('#fb-category').selectOption('regulation_or_procedure');
  await page.locator('#fb-title').fill(title);
  await page.locator('#fb-content').fill('Sáng 05/03/2026 tôi phải chờ hơn 2 giờ tại Bộ phận Một cửa phường.');
  await page.locator('#fb-unit-q').fill('ba dinh');
  await page.locator('#fb-unit option', { hasText: 'Phường Ba Đình' }).waitFor({ state: 'attached' });
  await page.locator('#fb-unit').selectOption({ label: 'Phường Ba Đình (H26.00004)' });
  await page.locator('#fb-send').click();
  await text(page, '.msg-ok', 'Đã gửi phản ánh, kiến nghị');
  await text(page, '#fb-state-badge', /^Đã tiếp nhận$/);
  await page.locator('#fb-due-answer').waitFor();
  const ref = (await page.locator('#fb-ref').textContent()).trim();
  const id = Number(page.url().split('/').pop());
  check(/^PAKN-/.test(ref) && id > 0, `ref ${ref}, url ${page.url()}`);
  await nav(page, 'Phản ánh của tôi');
  await text(page, `li.feedback[data-id="${id}"] .fbstate`, /^Đã tiếp nhận$/);
  await logout(page);
  // the specialist drafts an answer: the quality gate refuses a vague one
  await login(page, 'badinh.chuyenvien');
  await nav(page, 'Phản ánh, kiến nghị');
  await page.locator(`li.feedback[data-id="${id}"] a`).click();
  await page.locator('#fb-answer-text').fill('Cảm ơn ông đã góp ý, chúng tôi sẽ rút kinh nghiệm.');
  await page.locator('#fb-decision').selectOption('other_specific');
  await page.locator('#fb-answer button[type=submit]').click();
  await text(page, '#fb-answer .msg-error', 'Câu trả lời phải nêu số tiếp nhận hoặc nội dung tiêu đề của phản ánh');
  await page.locator('#fb-answer-text').fill(`Về phản ánh ${ref} "${title}": từ ngày 09/03/2026 phường bố trí thêm một cán bộ tiếp nhận vào buổi sáng.`);
  await page.locator('#fb-answer button[type=submit]').click();
  await text(page, '.msg-ok', 'Đã thực hiện: Dự thảo trả lời');
  await text(page, '#fb-state-badge', /^Đã dự thảo trả lời, chờ lãnh đạo duyệt$/);
  await logout(page);
  // the leader signs off and publishes
  await login(page, 'badinh.lanhdao');
  await nav(page, 'Phản ánh, kiến nghị');
  await page.locator(`li.feedback[data-id="${id}"] a`).click();
  await page.locator('#fb-approve button[type=submit]').click();
  await text(page, '#fb-state-badge', /^Đã trả lời$/);
  await page.locator('#fb-publish button[type=submit]').click();
  await text(page, '#fb-state-badge', /^Đã công khai$/);
  await logout(page);
  // the public page shows the answer without the citizen's name
  await nav(page, 'Trả lời phản ánh');
  const item = page.locator(`li.public-answer[data-ref="${ref}"]`);
  await item.waitFor();
  await text(page, `li.public-answer[data-ref="${ref}"] .fb-answer`, 'bố trí thêm một cán bộ tiếp nhận');
  const body = await page.locator('main').innerText();
  check(!body.includes('Nguyễn Văn Đức') && !body.includes('0912345678'), 'the public page shows personal data');
  // the citizen rates the answer
  await login(page, 'nguyenvanduc');
  await page.goto(`/phan-anh/${id}`);
  await page.getByLabel('Hài lòng', { exact: true }).check();
  await page.locator('#fb-rate button[type=submit]').click();
  await text(page, '.msg-ok', 'Cảm ơn bạn đã đánh giá');
  await text(page, '#fb-rating', 'Hài lòng');
  return page;
});

test('feedback_anonymous_with_contact', async () => {
  const page = await newPage();
  await page.goto('/');
  await nav(page, 'Gửi phản ánh, kiến nghị');
  await page.locator('#fb-category').selectOption('other');
  await page.locator('#fb-title').fill('Thiếu ghế ngồi chờ tại Bộ phận Một cửa');
  await page.locator('#fb-content').fill('Đề nghị bố trí thêm ghế chờ.');
  await page.locator('#fb-unit-q').fill('ba dinh');
  await page.locator('#fb-unit option', { hasText: 'Phường Ba Đình' }).waitFor({ state: 'attached' });
  await page.locator('#fb-unit').selectOption({ label: 'Phường Ba Đình (H26.00004)' });
  await page.locator('#fb-send').click();
  check(await page.locator('#fb-name').evaluate((el) => !el.validity.valid), 'an empty contact name was accepted');
  await page.locator('#fb-name').fill('Trần Văn An');
  await page.locator('#fb-send').click();
  await text(page, '.msg-error', 'Hãy nhập họ tên và số điện thoại hoặc thư điện tử');
  await page.locator('#fb-phone').fill('0987000111');
  await page.locator('#fb-files').setInputFiles({ name: 'anh-phong-cho.pdf', mimeType: 'application/pdf', buffer: tinyPdf() });
  await page.locator('#fb-send').click();
  await text(page, '#fb-receipt .msg-ok', 'Đã gửi phản ánh, kiến nghị');
  await text(page, '#fb-ref', /^PAKN-H26\.00004-\d+$/);
  await text(page, '#fb-receipt-files', /^anh-phong-cho\.pdf$/);
  return page;
});

test('feedback_desk_transcribes_paper_letter_with_attachments', async () => {
  const page = await newPage();
  const title = 'Cán bộ yêu cầu nộp thêm giấy tờ ngoài quy định';
  await login(page, 'badinh.tiepnhan');
  await nav(page, 'Nhập phản ánh qua điện thoại, văn bản');
  await text(page, 'h1', 'Nhập phản ánh nhận qua điện thoại hoặc văn bản');
  await page.locator('#fbd-channel').selectOption('paper');
  await page.locator('#fbd-name').fill('Lê Thị Hồng');
  await page.locator('#fbd-phone').fill('0904555666');
  await page.locator('#fbd-address').fill('12 Phan Đình Phùng, Ba Đình');
  await page.locator('#fbd-category').selectOption('official_conduct_or_delay');
  await page.locator('#fbd-title').fill(title);
  await page.locator('#fbd-content').fill('Bà Hồng gửi thư: khi nộp hồ sơ, cán bộ yêu cầu bản sao sổ hộ khẩu không có trong danh mục.');
  if (shared.counterCode) {
    await page.locator('#fbd-dossier').fill(shared.counterCode);
  } else {
    await page.locator('#fbd-unit-q').fill('ba dinh');
    await page.locator('#fbd-unit option', { hasText: 'Phường Ba Đình' }).waitFor({ state: 'attached' });
    await page.locator('#fbd-unit').selectOption({ label: 'Phường Ba Đình (H26.00004)' });
  }
  const scan = tinyPdf();
  await page.locator('#fbd-files').setInputFiles({ name: 'Thư phản ánh (bản quét).pdf', mimeType: 'application/pdf', buffer: scan });
  // the sender's contact is required
  await page.locator('#fbd-phone').fill('');
  await page.locator('#fbd-send').click();
  await text(page, '.msg-error', 'Hãy nhập họ tên và số điện thoại hoặc thư điện tử');
  await page.locator('#fbd-phone').fill('0904555666');
  await page.locator('#fbd-send').click();
  await text(page, '.msg-ok', 'Đã gửi phản ánh, kiến nghị');
  await text(page, 'h1', title);
  await text(page, '#fb-state-badge', /^Đã tiếp nhận$/);
  await text(page, '#fb-channel dd', /^Văn bản, đơn giấy$/);
  await text(page, '#fb-contact dd', 'Lê Thị Hồng · 0904555666 · 12 Phan Đình Phùng, Ba Đình');
  if (shared.counterCode) await text(page, '#fb-dossier-link', shared.counterCode);
  const file = page.locator('#fb-file-list li', { hasText: 'Thư phản ánh (bản quét).pdf' });
  await file.waitFor();
  await text(page, '#fb-file-list li .badge', /^Kèm phản ánh$/);
  const href = await file.locator('a').getAttribute('href');
  const got = await page.request.get(href);
  check(got.status() === 200 && Buffer.compare(await got.body(), scan) === 0, `download ${href}: ${got.status()}`);
  const id = Number(page.url().split('/').pop());
  check(id > 0, `no feedback id in ${page.url()}`);
  await logout(page);
  // the specialist sees the scan and attaches a file to the answer
  await login(page, 'badinh.chuyenvien');
  await nav(page, 'Phản ánh, kiến nghị');
  await page.locator(`li.feedback[data-id="${id}"] a`).click();
  await page.locator('#fb-file-list li', { hasText: 'Thư phản ánh (bản quét).pdf' }).waitFor();
  check(await page.locator('#fb-attach-intake-box').count() === 0, 'the specialist may add intake files');
  await page.locator('#fb-attach-answer-box summary').click();
  await page.locator('#fb-attach-answer-file').setInputFiles({ name: 'Danh mục giấy tờ.pdf', mimeType: 'application/pdf', buffer: tinyPdf() });
  await page.locator('#fb-attach-answer button[type=submit]').click();
  await text(page, '.msg-ok', 'Đã đính kèm Danh mục giấy tờ.pdf');
  await page.locator('#fb-file-list li[data-kind="answer"]', { hasText: 'Danh mục giấy tờ.pdf' }).waitFor();
  check(await page.locator('#fb-file-list li').count() === 2, 'two attachments listed');
  return page;
});

test('tasks_and_feedback_360px', async () => {
  const page = await newPage({ viewport: { width: 360, height: 740 } });
  await page.goto('/phan-anh/gui');
  await page.locator('#fb-form').waitFor();
  await noHorizontalScroll(page, 'feedback form');
  await page.goto('/phan-anh/cong-khai');
  await page.locator('#fb-public-count').waitFor();
  await noHorizontalScroll(page, 'public answers');
  await login(page, 'badinh.lanhdao');
  await page.goto('/nhiem-vu');
  await page.locator('#task-count').waitFor();
  await noHorizontalScroll(page, 'task overview');
  if (shared.taskId) {
    await page.goto(`/nhiem-vu/${shared.taskId}`);
    await page.locator('#task-state').waitFor();
    await noHorizontalScroll(page, 'task page');
  }
  await page.goto('/nhiem-vu/bao-cao?unit=19');
  await page.locator('#rep-total').waitFor();
  await noHorizontalScroll(page, 'task report');
  await page.goto('/xin-loi');
  await page.locator('#ap-count').waitFor();
  await noHorizontalScroll(page, 'apology drafts');
  return page;
});

// ------------------------------------------------------------------ tests: apology drafts (last: moves the clock)

test('overdue_dossier_apology_draft_approved', async () => {
  const d = await receivedDossier(null, 'Kiểm thử e2e: quá hạn, xin lỗi');
  check(d.due_at && d.due_at.startsWith('2026-03-10'), `due ${d.due_at}`);
  const adm = await apiCall('POST', '/sessions', { username: 'admin', password: LOGINS.admin });
  // the day after the due day: the sweeper (every second in run.sh) drafts the apology
  await apiCall('POST', '/test/clock', { now: '2026-03-11T09:00:00+07:00' }, adm.token);
  for (const k of Object.keys(tokens)) delete tokens[k]; // sessions idle-expire with the clock jump
  let draft = null;
  for (let i = 0; i < 100 && !draft; i++) {
    const r = await apiCall('GET', `/apologies?state=draft&dossier_id=${d.id}`, null, await tok('badinh.lanhdao'));
    draft = r.items[0] || null;
    if (!draft) await new Promise((res) => setTimeout(res, 200));
  }
  check(draft, 'the sweeper drafted no apology within 20 s');
  const page = await newPage();
  await login(page, 'badinh.lanhdao');
  await nav(page, 'Thư xin lỗi');
  await text(page, 'h1', 'Dự thảo thư xin lỗi, hẹn lại ngày trả');
  const card = page.locator(`li.apology[data-dossier="${d.id}"]`);
  await card.waitFor();
  await text(page, `li.apology[data-dossier="${d.id}"] .apstate`, /^Chờ duyệt$/);
  await text(page, `li.apology[data-dossier="${d.id}"]`, 'Hồ sơ đã quá hạn');
  await card.locator('details summary', { hasText: 'Duyệt và gửi thư xin lỗi' }).click();
  await card.getByLabel('Ngày hẹn trả mới (dd/mm/yyyy)').fill('13/03/2026');
  await card.getByLabel('Lý do chậm và lời xin lỗi gửi người dân').fill('Cần xác minh thêm thông tin; chúng tôi thành thật xin lỗi ông.');
  await card.locator(`#ap-approve-${draft.id} button[type=submit]`).click();
  await text(page, '.msg-ok', `Đã duyệt thư xin lỗi cho hồ sơ ${d.code}; ngày hẹn mới 13/03/2026`);
  check(await page.locator(`li.apology[data-dossier="${d.id}"]`).count() === 0, 'the approved draft is still listed as a draft');
  await page.locator('#ap-state').selectOption('approved');
  await page.locator('form.filters button[type=submit]').click();
  await text(page, `li.apology[data-dossier="${d.id}"] .apstate`, /^Đã duyệt$/);
  await page.locator(`li.apology[data-dossier="${d.id}"] h2 a`).click();
  await text(page, '#dossier-due', /^13\/03\/2026$/);
  return page;
});

// ------------------------------------------------------------------ tests: leadership dashboard

async function setClock(iso) {
  const adm = await apiCall('POST', '/sessions', { username: 'admin', password: LOGINS.admin });
  await apiCall('POST', '/test/clock', { now: iso }, adm.token);
  for (const k of Object.keys(tokens)) delete tokens[k]; // sessions idle-expire with the clock jump
}

async function canvasSize(page, sel) {
  const box = await page.locator(sel).boundingBox();
  return box ? box.width * box.height : 0;
}

test('leader_dashboard_charts_tables_excel', async () => {
  const { spec } = await refs();
  const month = '2026-03';
  const trendOf = async () => (await apiCall('GET', `/dashboard/trend?from=${month}&to=${month}`, null, await tok('badinh.lanhdao'))).items[0];
  const before = await trendOf();
  // B: assigned, handed over a day after its due date, approved (late)
  let b = await receivedDossier(null, 'Kiểm thử e2e: bảng điều khiển, trễ hạn');
  b = await act('badinh.lanhdao', b, 'assign', { assignee_id: spec.id });
  await setClock(new Date(Date.parse(b.due_at) + 16 * 3600 * 1000).toISOString());
  b = await act('badinh.chuyenvien', b, 'submit_for_approval', { result: 'Đủ điều kiện, trình muộn' });
  b = await act('badinh.lanhdao', b, 'approve');
  // A: received now, then 10 hours before its due instant
  const a = await receivedDossier(null, 'Kiểm thử e2e: bảng điều khiển, sắp đến hạn');
  await setClock(new Date(Date.parse(a.due_at) - 10 * 3600 * 1000).toISOString());
  check(a.due_at.startsWith(month), `A due ${a.due_at} left March`);
  const after = await trendOf();
  check(after.received === before.received + 2 && after.finished === before.finished + 1 && after.on_time === before.on_time,
    `trend API before ${JSON.stringify(before)} after ${JSON.stringify(after)}`);

  const page = await newPage();
  await login(page, 'badinh.lanhdao');
  await nav(page, 'Bảng điều khiển');
  await text(page, 'h1', 'Bảng điều khiển lãnh đạo');
  const row = page.locator(`#db-trend-table tr[data-month="${month}"]`);
  await row.waitFor();
  const cells = await row.locator('td').allTextContents();
  check(cells[0] === String(after.received) && cells[1] === String(after.finished) && cells[2] === String(after.on_time),
    `trend row ${JSON.stringify(cells)} vs ${JSON.stringify(after)}`);
  await page.locator('#db-trend-chart').waitFor();
  check(await canvasSize(page, '#db-trend-chart') > 0, 'the trend chart has no size');
  check((await page.locator('#db-trend-chart').getAttribute('aria-label')).includes('03/2026'), 'trend chart text alternative');
  // the worst steps: the late hand-over of B by its specialist
  await page.locator('#db-steps-chart').waitFor();
  check(await canvasSize(page, '#db-steps-chart') > 0, 'the steps chart has no size');
  const stepRow = page.locator('#db-steps-table tbody tr', { hasText: spec.full_name });
  await stepRow.first().waitFor();
  const delay = Number((await stepRow.first().locator('td.delay').textContent()).replace(/\./g, '').replace(',', '.'));
  check(delay >= 16, `delay of the late step ${delay} h`);
  // near due: A, 10 hours left, coloured as near due, linked to its page
  const near = page.locator(`#db-near-table tr[data-id="${a.id}"]`);
  await near.waitFor();
  check((await near.getAttribute('class')).includes('urg-near'), 'A is not coloured near due');
  await text(page, `#db-near-table tr[data-id="${a.id}"]`, 'còn 10 giờ');
  // the ranking and 766 sections answer without error; the 766 chart and
  // table show the unit's own index as the API computes it
  await page.locator('#db-ranking .dash-body:not([aria-busy])').waitFor();
  await page.locator('#db-groups .dash-body:not([aria-busy])').waitFor();
  check(await page.locator('#db-ranking .msg-error, #db-groups .msg-error').count() === 0,
    `dashboard section error: ${await page.locator('#db-ranking, #db-groups').allTextContents()}`);
  check(await canvasSize(page, '#db-groups-chart') > 0, 'the 766 groups chart has no size');
  const shownPeriod = new URL(await page.locator('#db-groups a.excel').getAttribute('href'), 'http://x').searchParams.get('period');
  const i766 = await apiCall('GET', `/evaluation/766${shownPeriod ? `?period=${shownPeriod}` : ''}`, null, await tok('badinh.lanhdao'));
  const gRow = page.locator(`#db-groups-table tr[data-unit="${i766.unit.id}"]`);
  await gRow.waitFor();
  const gCells = await gRow.locator('td').allTextContents();
  const vn = (v) => Number(v).toLocaleString('vi-VN', { maximumFractionDigits: 2 });
  check(gCells.length === 7 && gCells[5] === `${vn(i766.total)} / ${vn(i766.max)}` && gCells[6] === vn(i766.dossiers),
    `766 row ${JSON.stringify(gCells)} vs total ${i766.total} over ${i766.dossiers} dossiers`);
  // Excel of the trend table
  const [dl] = await Promise.all([page.waitForEvent('download'),
    page.locator('#db-trend a.excel').click()]);
  const file = await dl.path();
  const head = fs.readFileSync(file).subarray(0, 2).toString('latin1');
  check(head === 'PK' && dl.suggestedFilename().endsWith('.xlsx'), `download ${dl.suggestedFilename()} starts ${head}`);
  await near.locator('a').click();
  await page.locator('#dossier-state').waitFor();
  check(page.url().endsWith(`/ho-so/${a.id}`), `near-due link went to ${page.url()}`);
  return page;
});

test('dashboard_360px_and_inspector_unit', async () => {
  const page = await newPage({ viewport: { width: 360, height: 740 } });
  await login(page, 'thanhtra');
  await page.goto('/lanh-dao/bang-dieu-khien');
  await page.locator('#db-trend-table').waitFor();
  await page.locator('#db-trend-chart').waitFor();
  check(await canvasSize(page, '#db-trend-chart') > 0, 'the trend chart has no size at 360 px');
  await noHorizontalScroll(page, 'dashboard at 360 px');
  await page.locator('#db-unit-q').fill('Ba Đình');
  await page.locator('#db-unit option', { hasText: 'H26.00004' }).waitFor({ state: 'attached' });
  await page.locator('#db-unit').selectOption({ label: (await page.locator('#db-unit option', { hasText: 'H26.00004' }).first().textContent()) });
  await page.locator('#db-show').click();
  await page.waitForURL(/unit=\d+/);
  await text(page, '#db-trend .hint', 'H26.00004');
  return page;
});

test('inspector_dashboard_ranking_matches_api', async () => {
  const page = await newPage();
  await login(page, 'thanhtra');
  await page.goto('/lanh-dao/bang-dieu-khien');
  await page.locator('#db-ranking .dash-body:not([aria-busy])').waitFor();
  const href = await page.locator('#db-ranking a.excel').getAttribute('href');
  const q = new URL(href, 'http://x').searchParams;
  const r = await apiCall('GET', `/evaluation/ranking?${q.has('period') ? `period=${q.get('period')}` : ''}`, null, await tok('thanhtra'));
  check(r.items.length > 0, 'the province ranking has no units');
  const rows = page.locator('#db-ranking-table tbody tr');
  check(await rows.count() === r.items.length, `ranking rows ${await rows.count()} vs API ${r.items.length}`);
  const first = r.items[0];
  const cells = await page.locator(`#db-ranking-table tr[data-unit="${first.unit.id}"] td`).allTextContents();
  check(cells[0] === (first.rank === null ? '-' : String(first.rank)), `rank cell ${cells[0]} vs ${first.rank}`);
  check(cells[cells.length - 1].startsWith(Number(first.sample).toLocaleString('vi-VN')), `sample cell ${cells[cells.length - 1]} vs ${first.sample}`);
  return page;
});

// ------------------------------------------------------------------ main

export {
  BASE, test, check, newPage, login, nav, text, apiCall, tok, refs, act, receivedDossier, noHorizontalScroll,
};

async function main() {
  let passed = 0;
  let failed = 0;
  try {
    await import('./e2e_ui.mjs'); // more tests (registered after these)
    await waitHealthy();
    const adm = await apiCall('POST', '/sessions', { username: 'admin', password: LOGINS.admin });
    await apiCall('POST', '/test/clock', { now: CLOCK }, adm.token);
    browser = await chromium.launch({
      executablePath: process.env.E2E_CHROMIUM || '/usr/bin/chromium',
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
        '--disable-sync', '--no-first-run', '--disable-quic'],
      // launch() gives every run a fresh temporary --user-data-dir of its
      // own; run.sh points TMPDIR at the run's scratch directory.
    });
  } catch (e) {
    console.log(`FAIL setup: ${String(e.message || e).replace(/\s+/g, ' ')}`);
    console.log(`0 passed, ${tests.length + 1} failed`);
    process.exit(1);
  }
  const only = process.env.E2E_ONLY ? new RegExp(process.env.E2E_ONLY) : null;
  for (const tc of tests) {
    if (only && !only.test(tc.name)) continue;
    let page = null;
    const t0 = Date.now();
    try {
      const res = await Promise.race([
        tc.fn(),
        new Promise((_, rej) => setTimeout(() => rej(new Error('test took over 60s')), 60000)),
      ]);
      if (res && res.skip) {
        console.log(`skip ${tc.name}: ${res.skip}`);
        continue;
      }
      page = res;
      if (page && page.errors && page.errors.length) throw new Error(`page errors: ${page.errors.join('; ')}`);
      passed += 1;
      console.log(`ok ${tc.name} (${((Date.now() - t0) / 1000).toFixed(1)}s)`);
    } catch (e) {
      failed += 1;
      console.log(`FAIL ${tc.name}: ${String(e.message || e).split('\n').filter((l) => l.trim() && !l.includes('=====')).slice(0, 3).join(' | ').replace(/\s+/g, ' ')}`);
      page = page || e.page;
      // screenshot every open page of this test
      for (const ctx of browser.contexts()) {
        for (const [i, p] of ctx.pages().entries()) {
          try {
            fs.mkdirSync(ART, { recursive: true });
            await p.screenshot({ path: path.join(ART, `${tc.name}-${i}.png`), fullPage: true });
          } catch (ex) { /* page gone */ }
        }
      }
    } finally {
      for (const ctx of browser.contexts()) await ctx.close().catch(() => {});
    }
  }
  await browser.close();
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

main();
