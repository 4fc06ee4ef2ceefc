// e2e_ui.mjs - end-to-end tests of the web UI pages of issue 6 added after
// the first ones: citizens' evaluations (online, kiosk, desk paper form),
// the administrator's catalog import, time limits, unit working hours and
// Open311 keys, the dossier register (Mẫu 06), and the accessibility of
// every role's pages. Loaded by main() in e2e.mjs once that module is
// evaluated, so these tests run after its own, with its harness.
import fs from 'node:fs';
import {
  BASE, test, check, newPage, login, nav, text, apiCall, tok, refs, act, receivedDossier, noHorizontalScroll,
} from './e2e.mjs';

// ------------------------------------------------------------------ tests: evaluations (TT 01/2018)

// A dossier carried through the API to done (and returned when asked).
async function finishedDossier(citizen, summary, returned = false) {
  const { spec } = await refs();
  let d = await receivedDossier(citizen, summary);
  d = await act('badinh.lanhdao', d, 'assign', { assignee_id: spec.id });
  d = await act('badinh.chuyenvien', d, 'submit_for_approval', { result: 'Đã cấp giấy khai sinh' });
  d = await act('badinh.lanhdao', d, 'approve');
  if (returned) d = await act('badinh.tiepnhan', d, 'return_result');
  return d;
}

test('citizen_rates_finished_dossier_online', async () => {
  const d = await finishedDossier('nguyenvanduc', 'e2e đánh giá trực tuyến', true);
  const page = await newPage();
  await login(page, 'nguyenvanduc');
  await page.goto(`/ho-so/${d.id}`);
  await text(page, '#dossier-state', /^Đã trả kết quả$/);
  const form = page.locator('#ev-online-form');
  await text(page, '#ev-online-crit-1 legend', 'Tổng thời gian giải quyết TTHC so với thời gian cho phép');
  await text(page, '#ev-online-crit-7 legend', 'Thái độ của cán bộ, công chức, viên chức');
  // overall satisfaction is required: sending without it says so, records nothing
  await form.locator('#ev-online-send').click();
  await text(page, '#evaluation .msg-error', 'Hãy chọn mức độ hài lòng chung');
  await page.getByLabel('Sớm hơn thời gian cho phép (2 điểm)').check();
  await page.locator('#ev-online-c3-1').check();
  await page.getByLabel('Rất hài lòng').check();
  await page.locator('#ev-online-comment').fill('Cán bộ hướng dẫn tận tình');
  await form.locator('#ev-online-send').click();
  await text(page, '#evaluation .msg-ok', 'Đã ghi nhận đánh giá');
  const item = page.locator('#ev-online');
  await text(page, '#ev-online .ev-sat', /^Rất hài lòng$/);
  await text(page, '#ev-online [data-criterion="1"]', /^2 điểm$/);
  await text(page, '#ev-online [data-criterion="3"]', /^1 điểm$/);
  await text(page, '#ev-online [data-criterion="4"]', /^Không đánh giá$/);
  await text(page, '#ev-online', 'Cán bộ hướng dẫn tận tình');
  check(await item.count() === 1, 'the recorded evaluation is not shown once');
  // once per dossier and channel: after a reload the form is gone, the record stays
  await page.reload();
  await page.locator('#ev-online').waitFor();
  check(await page.locator('#ev-online-form').count() === 0, 'the online form is still offered after rating');
  const ev = await apiCall('GET', `/dossiers/${d.id}/evaluation`, null, await tok('badinh.tiepnhan'));
  check(ev.items.length === 1 && ev.items[0].channel === 'online' && ev.items[0].scores['1'] === 2, `stored evaluation: ${JSON.stringify(ev.items)}`);
  return page;
});

test('citizen_unfinished_dossier_has_no_rating_form', async () => {
  const d = await receivedDossier('nguyenvanduc', 'e2e chưa xong');
  const page = await newPage();
  await login(page, 'nguyenvanduc');
  await page.goto(`/ho-so/${d.id}`);
  await text(page, '#eval-not-finished', 'sau khi có kết quả');
  check(await page.locator('#ev-online-form').count() === 0, 'a rating form on an unfinished dossier');
  check(await page.locator('#kiosk-secret').count() === 0, 'the citizen sees the kiosk code');
  return page;
});

test('kiosk_rating_with_code_and_secret', async () => {
  const d = await finishedDossier(null, 'e2e ki-ốt');
  const ev = await apiCall('GET', `/dossiers/${d.id}/evaluation`, null, await tok('badinh.tiepnhan'));
  check(/^[0-9a-f]{6}$/.test(ev.kiosk_secret || ''), `kiosk_secret: ${ev.kiosk_secret}`);
  const wrong = ev.kiosk_secret.replace(/^./, (c) => (c === '0' ? '1' : '0'));
  const page = await newPage({ viewport: { width: 800, height: 1280 } });
  await page.goto('/danh-gia');
  await text(page, 'h1', 'Đánh giá sự hài lòng');
  check(!(await page.locator('header nav').isVisible()), 'the kiosk page shows the site navigation');
  // a wrong secret is refused and nothing is recorded
  await page.locator('#kiosk-code').fill(d.code);
  await page.locator('#kiosk-secret-in').fill(wrong);
  await page.getByLabel('Hài lòng', { exact: true }).check();
  await page.locator('#kiosk-send').click();
  await text(page, '#kiosk-error .msg-error', 'Không tìm thấy hồ sơ với số hồ sơ và mã đánh giá này');
  // touch targets: every choice at least 44 px high
  const heights = await page.locator('.kiosk-form .choice label').evaluateAll((ls) => ls.map((l) => l.getBoundingClientRect().height));
  check(heights.length === 19 && heights.every((x) => x >= 44), `choice heights ${heights.join(',')}`);
  await page.locator('#kiosk-secret-in').fill(ev.kiosk_secret.toUpperCase());
  await page.locator('#kiosk-c7-2').check();
  await page.locator('#kiosk-comment').fill('Nhanh gọn');
  await page.locator('#kiosk-send').click();
  await text(page, '#kiosk-status .msg-ok', `Cảm ơn ông/bà đã đánh giá hồ sơ ${d.code}`);
  // the form is reset for the next person
  check(await page.locator('#kiosk-code').inputValue() === '', 'the code is not cleared');
  check(await page.locator('#kiosk-secret-in').inputValue() === '', 'the secret is not cleared');
  check(await page.locator('input[name=satisfaction]:checked').count() === 0, 'the satisfaction is not cleared');
  check(await page.locator('#kiosk-c7-skip').isChecked(), 'criterion 7 is not reset');
  // a second kiosk rating of the same dossier is refused
  await page.locator('#kiosk-code').fill(d.code);
  await page.locator('#kiosk-secret-in').fill(ev.kiosk_secret);
  await page.getByLabel('Không hài lòng').check();
  await page.locator('#kiosk-send').click();
  await text(page, '#kiosk-error .msg-error', 'đã được đánh giá tại ki-ốt');
  const after = await apiCall('GET', `/dossiers/${d.id}/evaluation`, null, await tok('badinh.tiepnhan'));
  check(after.items.length === 1 && after.items[0].channel === 'kiosk' && after.items[0].satisfaction === 'satisfied' &&
    after.items[0].scores['7'] === 2, `stored: ${JSON.stringify(after.items)}`);
  await noHorizontalScroll(page, 'kiosk page');
  return page;
});

test('desk_enters_paper_evaluation', async () => {
  const d = await finishedDossier(null, 'e2e phiếu giấy');
  const page = await newPage();
  await login(page, 'badinh.tiepnhan');
  await page.goto(`/ho-so/${d.id}`);
  await text(page, '#dossier-state', /^Đã xử lý xong$/);
  const ev = await apiCall('GET', `/dossiers/${d.id}/evaluation`, null, await tok('badinh.tiepnhan'));
  await text(page, '#kiosk-secret', ev.kiosk_secret);
  check(await page.locator('#ev-online-form').count() === 0, 'the desk officer gets the online form');
  await page.locator('#ev-desk-box summary').click();
  await page.locator('#ev-desk-c1-1').check();
  await page.locator('#ev-desk-c4-0').check();
  await page.locator('#ev-desk-sat-dissatisfied').check();
  await page.locator('#ev-desk-comment').fill('Phải đi lại nhiều nơi');
  await page.locator('#ev-desk-send').click();
  await text(page, '#evaluation .msg-ok', 'Đã ghi nhận đánh giá');
  await text(page, '#ev-desk', 'Phiếu giấy (cán bộ nhập)');
  await text(page, '#ev-desk .ev-sat', /^Không hài lòng$/);
  await text(page, '#ev-desk [data-criterion="4"]', /^0 điểm$/);
  check(await page.locator('#ev-desk-form').count() === 0, 'the paper form is still offered');
  // the citizen's channels stay open: a kiosk rating is still accepted
  const k = await apiCall('POST', '/public/evaluations', { code: d.code, secret: ev.kiosk_secret, satisfaction: 'satisfied' });
  check(k.channel === 'kiosk', 'kiosk after desk refused');
  await page.reload();
  await page.locator('#ev-kiosk').waitFor();
  check(await page.locator('#eval-list li').count() === 2, 'two evaluations are not both listed');
  return page;
});

test('evaluation_forms_usable_at_360px', async () => {
  const d = await finishedDossier('nguyenvanduc', 'e2e 360px');
  const page = await newPage({ viewport: { width: 360, height: 740 } });
  await login(page, 'nguyenvanduc');
  await page.goto(`/ho-so/${d.id}`);
  await page.locator('#ev-online-form').waitFor();
  await noHorizontalScroll(page, 'dossier page with the rating form');
  // keyboard: the satisfaction radios are reachable and choosable with the keyboard
  await page.locator('#ev-online-sat-very_satisfied').focus();
  await page.keyboard.press('ArrowDown');
  check(await page.locator('#ev-online-sat-satisfied').isChecked(), 'arrow keys do not move the satisfaction choice');
  await page.goto('/danh-gia');
  await page.locator('#kiosk-form').waitFor();
  await noHorizontalScroll(page, 'kiosk page');
  return page;
});

// ------------------------------------------------------------------ tests: administrator catalog import

function csvLine(cells) { return cells.map((c) => (/[",\n]/.test(String(c)) ? `"${String(c).replace(/"/g, '""')}"` : String(c))).join(','); }
const PROC_HEADER = 'code,name,field,level,time_limit_value,time_limit_unit,fee,online_level,source,portal_url,decision_no,competent_agency,implementing_agency,time_limit_by_channel,fee_by_channel,notes';
function procRow(code, name, field = 'Hộ tịch', days = 4) {
  return csvLine([code, name, field, 'Cấp xã', days, 'Ngày làm việc', 'Miễn phí', 'Trực tuyến|Trực tiếp', 'e2e', '', '1/QĐ-E2E', '', 'UBND cấp xã', '', '', '']);
}

test('admin_imports_catalog_with_dry_run', async () => {
  const code = '9.999100';
  const name = 'Thủ tục cấp giấy xác nhận thử nghiệm, kiểm thử e2e';
  const procs = `${PROC_HEADER}\n${procRow(code, name)}\n`;
  const docs = 'procedure_code,seq,document_name,original_or_copy,quantity,source,section,qty_original,qty_copy,form_file\n' +
    `${csvLine([code, 1, 'Tờ khai đề nghị xác nhận', 'bản chính', '1 bản chính', 'e2e', '* Giấy tờ phải nộp:', 1, 0, ''])}\n` +
    `${csvLine([code, 2, 'Bản sao giấy tờ tùy thân', 'bản sao', '1 bản sao', 'e2e', '* Giấy tờ phải nộp:', 0, 1, ''])}\n`;
  const page = await newPage();
  await login(page, 'admin');
  await nav(page, 'Nhập danh mục');
  await text(page, 'h1', 'Nhập danh mục thủ tục hành chính');
  await page.locator('#imp-procs').setInputFiles({ name: 'procedures.csv', mimeType: 'text/csv', buffer: Buffer.from(procs) });
  await page.locator('#imp-docs').setInputFiles({ name: 'procedure_documents.csv', mimeType: 'text/csv', buffer: Buffer.from(docs) });
  // dry run: counts, nothing saved
  await page.locator('#imp-check').click();
  await text(page, '#import-result h2', 'Kết quả kiểm tra (chưa lưu gì)');
  await text(page, '#imp-total', /^1$/);
  await text(page, '#imp-created', /^1$/);
  await text(page, '#imp-unchanged', /^0$/);
  const r = await fetch(`${BASE}/api/v1/procedures/${code}`);
  check(r.status === 404, `the dry run saved the procedure (${r.status})`);
  // the import
  await page.locator('#imp-run').click();
  await text(page, '#import-result h2', 'Đã nhập danh mục');
  await text(page, '#imp-created', /^1$/);
  // the procedure is in the public catalog, with its two documents
  await page.goto('/?q=' + encodeURIComponent('xac nhan thu nghiem kiem thu'));
  await page.locator('#catalog-results a', { hasText: name }).click();
  await text(page, 'h1', name);
  await text(page, '#proc-limit dd', /^4 ngày làm việc$/);
  await text(page, '#components', 'Bản sao giấy tờ tùy thân');
  // a bad row: refused with its line and column, nothing saved
  await nav(page, 'Nhập danh mục');
  const bad = `${PROC_HEADER}\n${procRow(code, name, 'Hộ tịch', 6)}\n${procRow('9.999101', 'Thủ tục thiếu lĩnh vực', '')}\n`;
  await page.locator('#imp-procs').setInputFiles({ name: 'procedures.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
  await page.locator('#imp-run').click();
  await text(page, '#import-errors h2', 'Tệp có lỗi, không thủ tục nào được lưu');
  await text(page, '#import-errors tr[data-line="3"] .err-where', /^Dòng 3$/);
  await text(page, '#import-errors .err-col', /^field$/);
  const p = await apiCall('GET', `/procedures/${code}`);
  check(p.version === 1 && p.time_limit.value === 4, `a refused import changed the procedure: v${p.version}`);
  // a re-import of the first file: unchanged
  await page.locator('#imp-procs').setInputFiles({ name: 'procedures.csv', mimeType: 'text/csv', buffer: Buffer.from(procs) });
  await page.locator('#imp-check').click();
  await text(page, '#imp-unchanged', /^1$/);
  // the procedures without a time limit are listed for the administrator
  await page.locator('#review-list li[data-code="2.000635"] a').click();
  await page.locator('#limit-form').waitFor(); // open at once: no limit yet
  await page.goBack();
  await page.locator('#import-form').waitFor();
  await page.setViewportSize({ width: 360, height: 740 });
  await noHorizontalScroll(page, 'catalog import page');
  // the administrator changes the imported procedure's time limit
  await page.goto(`/thu-tuc/${p.id}`);
  await page.locator('#limit-box summary').click();
  await page.locator('#lim-value').fill('0');
  await page.locator('#lim-save').click();
  await text(page, '#limit-form .msg-error', 'từ 1 đến 3650');
  await page.locator('#lim-unit').selectOption('workdays');
  await page.locator('#lim-value').fill('6');
  await page.locator('#lim-pause').selectOption('subtract');
  await page.locator('#lim-save').click();
  await text(page, '.msg-ok', `Đã lưu thời hạn của thủ tục ${code} (phiên bản 2)`);
  await text(page, '#proc-limit dd', /^6 ngày làm việc$/);
  const p2 = await apiCall('GET', `/procedures/${code}`);
  check(p2.version === 2 && p2.time_limit.value === 6 && p2.pause_policy === 'subtract', `after the change: ${JSON.stringify(p2.time_limit)} ${p2.pause_policy}`);
  await noHorizontalScroll(page, 'procedure page with the time-limit form');
  return page;
});

test('admin_sets_unit_working_hours', async () => {
  const page = await newPage({ viewport: { width: 360, height: 740 } });
  await login(page, 'admin');
  await nav(page, 'Đơn vị');
  await page.locator('#unit-search').fill('hoan kiem');
  await page.locator('#unit-search').press('Enter');
  await page.locator('a[data-unit="H26.00070"]').click();
  await text(page, 'h1', 'Phường Hoàn Kiếm');
  await text(page, '#wh-kind', 'giờ làm việc mặc định');
  await text(page, '#wh-summary li[data-day="6"]', 'Nghỉ');
  await page.locator('#wh-box summary').click();
  await page.locator('#wh-6-1-from').fill('08:00');
  await page.locator('#wh-save').click();
  await text(page, '#wh-form .msg-error', 'Ca 1 của Thứ Bảy chỉ có giờ bắt đầu');
  await page.locator('#wh-6-1-to').fill('11:30');
  await page.locator('#wh-1-1-from').fill('07:30');
  await page.locator('#wh-save').click();
  await text(page, '.msg-ok', 'Đã lưu giờ làm việc của Phường Hoàn Kiếm');
  await text(page, '#wh-kind', 'giờ làm việc riêng');
  await text(page, '#wh-summary li[data-day="6"]', /08:00-11:30$/);
  await text(page, '#wh-summary li[data-day="1"]', /07:30-12:00, 13:00-17:00$/);
  const wh = await apiCall('GET', '/units/H26.00070/workhours');
  check(/(^|;)6=08:00-11:30(;|$)/.test(wh.hours) && !wh.default, `stored hours ${wh.hours}`);
  await noHorizontalScroll(page, 'unit working hours');
  // back to the default hours
  await page.locator('#wh-box summary').click();
  await page.locator('#wh-reset').click();
  await text(page, '#wh-kind', 'giờ làm việc mặc định');
  check((await apiCall('GET', '/units/H26.00070/workhours')).default, 'the default hours are not restored');
  return page;
});

test('desk_downloads_dossier_register', async () => {
  await receivedDossier(null, 'e2e sổ theo dõi');
  const page = await newPage();
  await login(page, 'badinh.tiepnhan');
  await nav(page, 'Sổ theo dõi hồ sơ');
  await text(page, 'h1', 'Sổ theo dõi hồ sơ (Mẫu 06)');
  const today = (await apiCall('GET', '/health')).time.slice(0, 10).split('-').reverse().join('/');
  const shown = await page.locator('#reg-to').inputValue();
  check(shown === today, `the default end ${shown} is not the server date ${today}`);
  await page.locator('#reg-from').fill('01/01/2026');
  await page.locator('#reg-to').fill('31/03/2026');
  await page.locator('#reg-get').click();
  await text(page, '#reg-out .msg-error', 'tối đa 31 ngày');
  await page.locator('#reg-from').fill('01/03/2026');
  await page.locator('#reg-get').click();
  await text(page, '#reg-out .msg-ok', 'Đã tạo sổ theo dõi từ 01/03/2026 đến 31/03/2026');
  const head = async () => {
    const [dl] = await Promise.all([page.waitForEvent('download'), page.locator('#reg-file').click()]);
    const b = fs.readFileSync(await dl.path());
    return { type: await page.locator('#reg-file').getAttribute('data-type'), name: dl.suggestedFilename(), head: b.subarray(0, 5).toString('latin1'), size: b.length };
  };
  let f = await head();
  check(f.type.startsWith('application/pdf') && f.head === '%PDF-' && f.size > 1000 && f.name === 'so-theo-doi-2026-03-01-2026-03-31.pdf', `register PDF ${JSON.stringify(f)}`);
  await page.locator('#reg-from').fill('01/01/2026');
  await page.locator('#reg-format').selectOption('xlsx');
  await page.locator('#reg-get').click();
  await text(page, '#reg-file', '.xlsx');
  f = await head();
  check(f.type.includes('spreadsheetml') && f.head.startsWith('PK'), `register xlsx ${JSON.stringify(f)}`);
  // a unit outside the desk's scope is refused with the server's message
  await page.locator('#reg-unit-q').fill('hoan kiem');
  await page.locator('#reg-unit option', { hasText: 'Phường Hoàn Kiếm' }).waitFor({ state: 'attached' });
  await page.locator('#reg-unit').selectOption({ label: 'Phường Hoàn Kiếm (H26.00070)' });
  await page.locator('#reg-get').click();
  await text(page, '#reg-out .msg-error', 'Lỗi');
  return page;
});

test('admin_creates_open311_key', async () => {
  const page = await newPage();
  await login(page, 'admin');
  await nav(page, 'Khóa API Open311');
  await page.locator('#key-label').fill('Ứng dụng iHanoi (e2e)');
  await page.locator('#key-unit-q').fill('ba dinh');
  await page.locator('#key-unit option', { hasText: 'Phường Ba Đình' }).waitFor({ state: 'attached' });
  await page.locator('#key-unit').selectOption({ label: 'Phường Ba Đình (H26.00004)' });
  await page.locator('#key-create').click();
  await text(page, '#key-out .msg-ok', 'Đã tạo khóa cho "Ứng dụng iHanoi (e2e)"');
  await text(page, '#key-out', 'H26.00004');
  const key = (await page.locator('#key-value').textContent()).trim();
  check(key.length >= 20, `key ${key}`);
  // the gateway knows the key: past the key check, it asks for the service
  const post = (k) => fetch(`${BASE}/open311/v2/requests.json`, { method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: `api_key=${encodeURIComponent(k)}` });
  const good = await post(key);
  check(good.status === 400 && (await good.text()).includes('service_code is required'), `a request with the new key: ${good.status}`);
  const bad = await post(key.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')));
  check(bad.status === 401 || bad.status === 403, `a wrong key: ${bad.status}`);
  check(await page.locator('#key-label').inputValue() === '', 'the form is not cleared');
  return page;
});

// ------------------------------------------------------------------ tests: accessibility of every role's pages

// Form controls without an accessible name from a <label>, aria-label or
// aria-labelledby (hidden controls ignored).
async function unlabelled(page) {
  return page.evaluate(() => [...document.querySelectorAll('main input, main select, main textarea, main button')]
    .filter((el) => el.type !== 'hidden' && el.offsetParent !== null)
    .filter((el) => {
      if (el.tagName === 'BUTTON') return !(el.textContent.trim() || el.getAttribute('aria-label'));
      return !((el.labels && el.labels.length) || el.getAttribute('aria-label') || el.getAttribute('aria-labelledby'));
    })
    .map((el) => `${el.tagName.toLowerCase()}#${el.id || '?'}[name=${el.name || ''}]`));
}

// Every page of `pages` ({user: [url]}; user '' = anonymous) at 360 px:
// labelled controls, unique ids, no horizontal scroll. Returns the last page.
async function checkPages(pages) {
  const bad = [];
  let page = null;
  for (const [user, urls] of Object.entries(pages)) {
    if (page) await page.context().close();
    page = await newPage({ viewport: { width: 360, height: 740 } });
    if (user) await login(page, user);
    for (const u of urls) {
      await page.goto(u);
      await page.locator('main:not([aria-busy]) h1').first().waitFor();
      // open every collapsed action so that its fields are checked too
      await page.evaluate(() => document.querySelectorAll('main details').forEach((x) => { x.open = true; }));
      for (const x of await unlabelled(page)) bad.push(`${user || 'anonymous'} ${u}: ${x}`);
      const dups = await page.evaluate(() => { const seen = {}; for (const el of document.querySelectorAll('[id]')) seen[el.id] = (seen[el.id] || 0) + 1; return Object.keys(seen).filter((k) => seen[k] > 1); });
      if (dups.length) bad.push(`${user || 'anonymous'} ${u}: duplicate ids ${dups.join(',')}`);
      const over = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      if (over > 0) bad.push(`${user || 'anonymous'} ${u}: scrolls horizontally by ${over}px`);
    }
  }
  check(!bad.length, `unlabelled, duplicate ids or too wide: ${bad.join('; ')}`);
  return page;
}

test('public_citizen_desk_pages_labelled', async () => {
  const d = await finishedDossier('nguyenvanduc', 'e2e nhãn trường nhập');
  return checkPages({
    '': ['/', '/tra-cuu', '/danh-gia', '/phan-anh/gui', '/dang-nhap'],
    nguyenvanduc: ['/ho-so', `/ho-so/${d.id}`, '/phan-anh'],
    'badinh.tiepnhan': ['/tiep-nhan', '/ho-so?state=submitted', `/ho-so/${d.id}`, '/so-theo-doi'],
  });
});

test('officials_pages_labelled_and_keyboard_focus_visible', async () => {
  const hk = (await apiCall('GET', '/units/H26.00070')).id;
  const page = await checkPages({
    'badinh.chuyenvien': ['/ho-so?mine=1&open=1', '/nhiem-vu?mine=1'],
    'badinh.lanhdao': ['/ho-so?state=pending_approval', '/xin-loi', '/chi-dao'],
    thanhtra: ['/thanh-tra/vi-pham?state=open', '/thanh-tra/tong-hop'],
    admin: ['/quan-tri/don-vi', `/quan-tri/don-vi/${hk}`, '/quan-tri/tai-khoan', '/quan-tri/lich', '/quan-tri/danh-muc', '/quan-tri/open311', '/thu-tuc/1'],
  });
  // keyboard: Tab reaches the kiosk's first field with a visible outline
  await page.goto('/danh-gia');
  await page.locator('#kiosk-form').waitFor();
  for (let i = 0; i < 12; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate(() => document.activeElement && document.activeElement.id === 'kiosk-code')) break;
  }
  const outline = await page.evaluate(() => { const s = getComputedStyle(document.activeElement); return `${document.activeElement.id} ${s.outlineStyle} ${s.outlineWidth}`; });
  check(/^kiosk-code solid [1-9]/.test(outline), `focus on the kiosk code field: ${outline}`);
  return page;
});

// ------------------------------------------------------------------ tests: evaluation reports (766, TT 01)

test('evaluation_reports_match_api_drill_and_manual_entry', async () => {
  await finishedDossier('nguyenvanduc', 'e2e báo cáo đánh giá');
  const vn = (v) => (v === null ? '-' : Number(v).toLocaleString('vi-VN', { maximumFractionDigits: 2 }));
  const page = await newPage();
  await login(page, 'badinh.lanhdao');
  await nav(page, 'Báo cáo đánh giá');
  await text(page, 'h1', 'Báo cáo đánh giá');
  await page.locator('#er-766 .dash-body:not([aria-busy])').waitFor();
  await page.locator('#er-card .dash-body:not([aria-busy])').waitFor();
  check(await page.locator('#er-card .msg-error, #er-766 .msg-error').count() === 0,
    `section error: ${await page.locator('#er-card, #er-766').allTextContents()}`);
  // the figures shown are the API's for the period of the Excel links
  const period = new URL(await page.locator('#er-766 a.excel').getAttribute('href'), 'http://x').searchParams.get('period');
  const pq = period ? `?period=${period}` : '';
  const lt = await tok('badinh.lanhdao');
  const card = await apiCall('GET', `/evaluation/scorecard${pq}`, null, lt);
  const i766 = await apiCall('GET', `/evaluation/766${pq}`, null, lt);
  const dd = (k) => page.locator(`#er-card-facts [data-k="${k}"] dd`).textContent();
  check(await dd('766') === `${vn(card.i766.total)} / ${vn(card.i766.max)}`, `766 card ${await dd('766')} vs ${card.i766.total}`);
  check(await dd('tt01') === vn(card.tt01.total), `TT 01 card ${await dd('tt01')} vs ${card.tt01.total}`);
  check(await dd('band') === card.tt01.band_name, `band ${await dd('band')} vs ${card.tt01.band_name}`);
  const td = (k) => page.locator(`#er-card-tasks [data-k="${k}"] dd`).textContent();
  check(await td('total') === vn(card.tasks.total) && await td('overdue') === vn(card.tasks.overdue),
    `tasks ${await td('total')}/${await td('overdue')} vs ${JSON.stringify(card.tasks)}`);
  await text(page, '#er-766-total', `${vn(i766.total)} / ${vn(i766.max)}`);
  check(i766.total === card.i766.total, `766 total ${i766.total} vs scorecard ${card.i766.total}`);
  // every indicator row, its source in words
  const inds = i766.groups.flatMap((g) => g.indicators);
  check(await page.locator('#er-766 tr[data-ind]').count() === inds.length, `indicator rows ${await page.locator('#er-766 tr[data-ind]').count()} vs API ${inds.length}`);
  const i21 = inds.find((x) => x.id === '2.1');
  check(i21.drill === true, `2.1 has no drill-down after a finished dossier: ${JSON.stringify(i21)}`);
  await text(page, '#er-766 tr[data-ind="2.1"] td.source', /^Hệ thống tính$/);
  // drill-down: the dossiers in the denominator of 2.1
  const drill = await apiCall('GET', `/evaluation/766/dossiers?indicator=2.1&part=den${period ? `&period=${period}` : ''}`, null, lt);
  await page.locator('#er-766 tr[data-ind="2.1"] button[data-part="den"]').click();
  await text(page, '#er-drill-h', 'Hồ sơ của chỉ số 2.1');
  await page.locator('#er-drill:not([aria-busy]) #er-drill-count').waitFor();
  check(drill.total > 0, `drill API total ${drill.total}`);
  const rows = page.locator('#er-drill-table tbody tr');
  check(await rows.count() === Math.min(drill.items.length, 20), `drill rows ${await rows.count()} vs ${drill.items.length}`);
  check(await rows.first().locator('th a').getAttribute('href') === `/ho-so/${drill.items[0].id}`, 'drill row links its dossier');
  // TT 01: the unit's 9 criteria and its total
  await page.locator('#er-tt01 .dash-body:not([aria-busy])').waitFor();
  const tt = await apiCall('GET', `/evaluation/tt01${pq}`, null, lt);
  check(await page.locator('#er-tt01-unit tbody tr').count() === 9, 'TT 01 unit criteria rows');
  await text(page, '#er-tt01-total', `${vn(tt.unit_score.total)} / 18`);
  check(await page.locator('#er-tt01-officials tbody tr').count() === tt.officials.length || tt.officials.length === 0,
    'officials rows vs API');
  check(await page.locator('#er-manual').count() === 0, 'a leader is offered the manual entry');
  await page.setViewportSize({ width: 360, height: 740 });
  await noHorizontalScroll(page, 'evaluation reports at 360 px');
  await page.context().close();

  // the administrator enters an external indicator for Ba Đình
  const unit = i766.unit.id;
  const adm = await newPage({ viewport: { width: 360, height: 740 } });
  await login(adm, 'admin');
  await adm.goto(`/lanh-dao/danh-gia?unit=${unit}${period ? `&period=${period}` : ''}`);
  await adm.locator('#er-manual-form').waitFor();
  await adm.locator('#er-766 .dash-body:not([aria-busy])').waitFor();
  check(await adm.locator('#er-766 tr[data-ind="1.2"]').getAttribute('data-source') !== 'manual', '1.2 already manual');
  await adm.locator('#er-manual-ind').selectOption('1.2');
  // refused: numerator above the denominator, the API's message shown
  await adm.locator('#er-manual-num').fill('5');
  await adm.locator('#er-manual-den').fill('4');
  await adm.locator('#er-manual-save').click();
  await text(adm, '#er-manual-msg .msg-error', 'bad_ratio');
  await adm.locator('#er-manual-num').fill('3');
  await adm.locator('#er-manual-note').fill('Số liệu của Văn phòng UBND');
  await adm.locator('#er-manual-save').click();
  await text(adm, '#er-manual-msg .msg-ok', 'Đã lưu chỉ số 1.2');
  await text(adm, '#er-766 tr[data-ind="1.2"][data-source="manual"] td.source', /^Nhập thủ công$/);
  await text(adm, '#er-766 tr[data-ind="1.2"]', '3 / 4');
  const after = await apiCall('GET', `/evaluation/766?unit=${unit}${period ? `&period=${period}` : ''}`, null, await tok('admin'));
  const a12 = after.groups.flatMap((g) => g.indicators).find((x) => x.id === '1.2');
  check(a12.source === 'manual' && a12.num === 3 && a12.den === 4, `1.2 after entry ${JSON.stringify(a12)}`);
  await noHorizontalScroll(adm, 'evaluation reports (admin) at 360 px');
  return adm;
});
