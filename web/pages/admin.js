// pages/admin.js - administrator's catalog pages: import the procedure
// catalog from files (POST /api/v1/catalog/import): procedures.csv with an
// optional procedure_documents.csv, or the JSON export. A dry run (kiểm tra
// trước) validates and counts without saving; the import is all or
// nothing and stops at the first bad row, which the page names (line and
// column). The import page also lists the procedures whose time limit
// needs an administrator, and the procedure page gets the form that
// confirms or changes a time limit (PUT /api/v1/procedures/{code}). A
// unit's page (/quan-tri/don-vi/{id}) shows and, for administrators, sets
// its working hours (GET/PUT /api/v1/units/{id}/workhours), which hour and
// half-day time limits run on. /quan-tri/open311 creates the API keys of
// the Open311 feedback gateway (POST /api/v1/open311/keys), shown once.
import { t, extend, fmtDate } from '/i18n.js';
import { api, qs, ApiError } from '/api.js';
import { h, field, dl, msg, errText } from '/ui.js';
import { S, requireRole, navigate, flash, unitPicker } from '/app.js';

const UNITS = ['workdays', 'halfdays', 'workhours', 'sameday'];
const PAUSE = ['restart', 'subtract'];
// ISO weekdays 1..7, then 0 = a swapped working day whose weekday has none.
const DAYS = [1, 2, 3, 4, 5, 6, 7, 0];
const DEFAULT_HOURS = '1-5=08:00-12:00,13:00-17:00;0=08:00-12:00,13:00-17:00';

// The JSON request body is limited to 1 MiB by the server.
const MAX_BYTES = 1 << 20;

extend({
  'nav.catalogImport': 'Nhập danh mục',
  'imp.title': 'Nhập danh mục thủ tục hành chính',
  'imp.intro': 'Chọn tệp danh mục (procedures.csv, kèm procedure_documents.csv nếu có, hoặc tệp JSON xuất từ hệ thống). Nên "Kiểm tra trước": hệ thống đọc toàn bộ tệp và cho biết sẽ thêm, tạo phiên bản mới hay giữ nguyên bao nhiêu thủ tục mà không lưu gì. Việc nhập là tất cả hoặc không: một dòng sai thì không thủ tục nào được lưu.',
  'imp.procs': 'Tệp thủ tục (.csv hoặc .json)',
  'imp.procsHint': 'CSV theo mẫu procedures.csv (dòng đầu là tên cột), hoặc mảng JSON như tệp xuất danh mục.',
  'imp.docs': 'Tệp thành phần hồ sơ (procedure_documents.csv, không bắt buộc)',
  'imp.docsHint': 'Chỉ dùng với CSV. Thủ tục không có dòng nào trong tệp này giữ nguyên thành phần hồ sơ hiện có.',
  'imp.check': 'Kiểm tra trước (không lưu)',
  'imp.run': 'Nhập danh mục',
  'imp.needFile': 'Hãy chọn tệp thủ tục.',
  'imp.badExt': 'Tệp thủ tục phải có đuôi .csv hoặc .json.',
  'imp.docsJson': 'Tệp JSON đã có thành phần hồ sơ; bỏ chọn tệp procedure_documents.csv.',
  'imp.tooBig': 'Tệp quá lớn để nhập qua trang web (tối đa khoảng 1 MB mỗi lần); hãy chia nhỏ tệp hoặc dùng lệnh "motcua catalog import".',
  'imp.reading': 'Đang đọc và kiểm tra tệp...',
  'imp.resultDry': 'Kết quả kiểm tra (chưa lưu gì)',
  'imp.resultDone': 'Đã nhập danh mục',
  'imp.dryNote': 'Chưa có thay đổi nào được lưu. Bấm "Nhập danh mục" để lưu.',
  'imp.total': 'Số thủ tục trong tệp',
  'imp.created': 'Thủ tục mới',
  'imp.versioned': 'Thủ tục có phiên bản mới',
  'imp.unchanged': 'Thủ tục không thay đổi',
  'imp.errTitle': 'Tệp có lỗi, không thủ tục nào được lưu',
  'imp.errRow': 'Vị trí',
  'imp.errCol': 'Cột',
  'imp.errMsg': 'Lỗi',
  'imp.errFile': 'Tệp',
  'imp.fileProcs': 'tệp thủ tục',
  'imp.fileDocs': 'tệp thành phần hồ sơ',
  'imp.line': 'Dòng {n}',
  'imp.element': 'Phần tử thứ {n}',
  'imp.errNote': 'Việc kiểm tra dừng ở lỗi đầu tiên. Sửa dòng này rồi kiểm tra lại.',
  'imp.review': 'Thủ tục cần quản trị viên xác nhận thời hạn',
  'imp.reviewNone': 'Không có thủ tục nào.',
  'lim.title': 'Xác nhận hoặc sửa thời hạn giải quyết',
  'lim.intro': 'Lưu sẽ tạo phiên bản mới của thủ tục, có hiệu lực từ bây giờ; hồ sơ đã tiếp nhận giữ thời hạn cũ.',
  'lim.unit': 'Đơn vị thời hạn',
  'lim.unit.workdays': 'Ngày làm việc',
  'lim.unit.halfdays': 'Buổi làm việc (4 giờ)',
  'lim.unit.workhours': 'Giờ làm việc',
  'lim.unit.sameday': 'Trong ngày',
  'lim.value': 'Thời hạn (số)',
  'lim.valueHint': 'Từ 1 đến 3650; bỏ trống nếu là "Trong ngày".',
  'lim.cutoff': 'Hồ sơ nhận sau 15 giờ được trả vào ngày làm việc tiếp theo (chỉ với "Trong ngày")',
  'lim.pause': 'Khi yêu cầu bổ sung hồ sơ',
  'lim.pause.restart': 'Tính lại thời hạn từ đầu khi nhận đủ hồ sơ bổ sung',
  'lim.pause.subtract': 'Không tính thời gian chờ bổ sung vào thời hạn',
  'lim.save': 'Lưu thời hạn',
  'lim.saved': 'Đã lưu thời hạn của thủ tục {code} (phiên bản {v}).',
  'lim.same': 'Thời hạn không thay đổi.',
  'lim.badValue': 'Thời hạn phải là số nguyên từ 1 đến 3650.',
  'wh.link': 'Giờ làm việc',
  'wh.title': 'Giờ làm việc',
  'wh.intro': 'Thời hạn tính theo giờ hoặc buổi làm việc của hồ sơ do đơn vị này giải quyết chạy theo các khung giờ dưới đây. Thay đổi áp dụng cho hồ sơ tiếp nhận từ nay; hạn đã tính không đổi.',
  'wh.default': 'Đang dùng giờ làm việc mặc định (thứ Hai đến thứ Sáu, 08:00-12:00 và 13:00-17:00).',
  'wh.custom': 'Đơn vị có giờ làm việc riêng.',
  'wh.day.1': 'Thứ Hai', 'wh.day.2': 'Thứ Ba', 'wh.day.3': 'Thứ Tư', 'wh.day.4': 'Thứ Năm',
  'wh.day.5': 'Thứ Sáu', 'wh.day.6': 'Thứ Bảy', 'wh.day.7': 'Chủ nhật',
  'wh.day.0': 'Ngày làm bù (ngày nghỉ chuyển thành ngày làm việc)',
  'wh.span': 'Ca {n}',
  'wh.from': '{day}, ca {n}: từ',
  'wh.to': '{day}, ca {n}: đến',
  'wh.off': 'Nghỉ',
  'wh.save': 'Lưu giờ làm việc',
  'wh.reset': 'Về giờ mặc định',
  'wh.saved': 'Đã lưu giờ làm việc của {name}.',
  'wh.half': 'Ca {n} của {day} chỉ có giờ bắt đầu hoặc giờ kết thúc.',
  'wh.none': 'Hãy nhập ít nhất một ca làm việc.',
  'wh.unit': 'Đơn vị',
  'wh.code': 'Mã',
  'wh.kind': 'Loại',
  'wh.since': 'Hiệu lực từ',
  'wh.until': 'Hết hiệu lực',
  'wh.children': 'Đơn vị trực thuộc',
  'nav.open311': 'Khóa API Open311',
  'key.title': 'Tạo khóa API Open311',
  'key.intro': 'Hệ thống khác (cổng dịch vụ công, ứng dụng của thành phố) gửi phản ánh, kiến nghị qua giao diện Open311 bằng khóa API. Khóa chỉ hiện một lần; hệ thống chỉ lưu bản băm.',
  'key.label': 'Tên hệ thống dùng khóa',
  'key.unit': 'Đơn vị nhận phản ánh (không bắt buộc)',
  'key.unitSearch': 'Tìm đơn vị',
  'key.unitNone': 'Không giới hạn đơn vị',
  'key.create': 'Tạo khóa',
  'key.created': 'Đã tạo khóa cho "{label}". Hãy sao chép ngay: khóa sẽ không hiện lại.',
  'key.value': 'Khóa API',
}, {
  'nav.catalogImport': 'Catalog import',
  'imp.title': 'Import the procedure catalog',
  'imp.intro': 'Choose the catalog files (procedures.csv, with procedure_documents.csv if you have it, or the JSON export). "Check first" reads the whole file and tells how many procedures would be added, get a new version or stay unchanged, without saving anything. The import is all or nothing: one bad row and no procedure is saved.',
  'imp.procs': 'Procedures file (.csv or .json)',
  'imp.procsHint': 'CSV in the procedures.csv format (first line: column names), or the JSON array of the catalog export.',
  'imp.docs': 'Required documents file (procedure_documents.csv, optional)',
  'imp.docsHint': 'CSV only. A procedure without rows in this file keeps its current documents.',
  'imp.check': 'Check first (save nothing)',
  'imp.run': 'Import the catalog',
  'imp.needFile': 'Choose the procedures file.',
  'imp.badExt': 'The procedures file must end in .csv or .json.',
  'imp.docsJson': 'A JSON file carries its documents; unselect procedure_documents.csv.',
  'imp.tooBig': 'The file is too large for the web page (about 1 MB at a time); split it or use "motcua catalog import".',
  'imp.reading': 'Reading and checking the file...',
  'imp.resultDry': 'Check result (nothing saved)',
  'imp.resultDone': 'Catalog imported',
  'imp.dryNote': 'Nothing was saved yet. Press "Import the catalog" to save.',
  'imp.total': 'Procedures in the file',
  'imp.created': 'New procedures',
  'imp.versioned': 'Procedures with a new version',
  'imp.unchanged': 'Unchanged procedures',
  'imp.errTitle': 'The file has an error; no procedure was saved',
  'imp.errRow': 'Where',
  'imp.errCol': 'Column',
  'imp.errMsg': 'Error',
  'imp.errFile': 'File',
  'imp.fileProcs': 'procedures file',
  'imp.fileDocs': 'documents file',
  'imp.line': 'Line {n}',
  'imp.element': 'Element {n}',
  'imp.errNote': 'The check stops at the first error. Fix this row and check again.',
  'imp.review': 'Procedures whose time limit an administrator must confirm',
  'imp.reviewNone': 'None.',
  'lim.title': 'Confirm or change the time limit',
  'lim.intro': 'Saving makes a new version of the procedure, in force from now; dossiers already received keep their dates.',
  'lim.unit': 'Unit',
  'lim.unit.workdays': 'Working days',
  'lim.unit.halfdays': 'Working half-days (4 hours)',
  'lim.unit.workhours': 'Working hours',
  'lim.unit.sameday': 'Same day',
  'lim.value': 'Time limit (number)',
  'lim.valueHint': '1 to 3650; leave empty for "Same day".',
  'lim.cutoff': 'A dossier received after 15:00 is due the next working day ("Same day" only)',
  'lim.pause': 'When a supplement is requested',
  'lim.pause.restart': 'Count the limit again from the complete supplement',
  'lim.pause.subtract': 'Do not count the time waiting for the supplement',
  'lim.save': 'Save the time limit',
  'lim.saved': 'Time limit of procedure {code} saved (version {v}).',
  'lim.same': 'The time limit did not change.',
  'lim.badValue': 'The time limit is a whole number from 1 to 3650.',
  'wh.link': 'Working hours',
  'wh.title': 'Working hours',
  'wh.intro': 'Hour and half-day time limits of the dossiers this unit handles run on the hours below. A change applies to dossiers received from now on; dates already computed stay.',
  'wh.default': 'The default hours are in use (Monday to Friday, 08:00-12:00 and 13:00-17:00).',
  'wh.custom': 'The unit has its own hours.',
  'wh.day.1': 'Monday', 'wh.day.2': 'Tuesday', 'wh.day.3': 'Wednesday', 'wh.day.4': 'Thursday',
  'wh.day.5': 'Friday', 'wh.day.6': 'Saturday', 'wh.day.7': 'Sunday',
  'wh.day.0': 'Swapped working day (a day off turned into a working day)',
  'wh.span': 'Span {n}',
  'wh.from': '{day}, span {n}: from',
  'wh.to': '{day}, span {n}: to',
  'wh.off': 'Off',
  'wh.save': 'Save the working hours',
  'wh.reset': 'Back to the default hours',
  'wh.saved': 'Working hours of {name} saved.',
  'wh.half': 'Span {n} of {day} has only a start or only an end.',
  'wh.none': 'Enter at least one working span.',
  'wh.unit': 'Unit',
  'wh.code': 'Code',
  'wh.kind': 'Kind',
  'wh.since': 'Valid from',
  'wh.until': 'Valid until',
  'wh.children': 'Units below',
  'nav.open311': 'Open311 API keys',
  'key.title': 'Create an Open311 API key',
  'key.intro': 'Other systems (the national portal, city apps) send feedback through the Open311 interface with an API key. The key is shown once; only its hash is stored.',
  'key.label': 'Name of the system using the key',
  'key.unit': 'Unit receiving the feedback (optional)',
  'key.unitSearch': 'Find a unit',
  'key.unitNone': 'No unit restriction',
  'key.create': 'Create the key',
  'key.created': 'Key created for "{label}". Copy it now: it will not be shown again.',
  'key.value': 'API key',
});

async function readText(file) {
  const s = await file.text();
  return s.charCodeAt(0) === 0xfeff ? s.slice(1) : s; // drop a UTF-8 BOM
}

// The server's message is "[documents file: ](line|element) N: what".
function errorTable(e) {
  let m = e.message || '';
  let file = t('imp.fileProcs');
  const df = /^documents file: /.exec(m);
  if (df) { file = t('imp.fileDocs'); m = m.slice(df[0].length); }
  const pos = /^(line|element) (\d+): /.exec(m);
  let where = null;
  if (pos) { where = t(pos[1] === 'line' ? 'imp.line' : 'imp.element', { n: pos[2] }); m = m.slice(pos[0].length); }
  const row = h('tr', { 'data-line': pos ? pos[2] : null },
    h('td', null, file), h('td', { class: 'err-where' }, where || '-'), h('td', { class: 'err-col' }, e.field || '-'),
    h('td', { class: 'err-msg' }, `${m}${e.code ? ` (${e.code})` : ''}`));
  return h('div', { id: 'import-errors', class: 'import-result' },
    h('h2', { id: 'imp-err-title', class: 'bad' }, t('imp.errTitle')),
    h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-labelledby': 'imp-err-title' }, h('table', null,
      h('thead', null, h('tr', null, ['imp.errFile', 'imp.errRow', 'imp.errCol', 'imp.errMsg'].map((k) => h('th', { scope: 'col' }, t(k))))),
      h('tbody', null, row))),
    h('p', { class: 'hint' }, t('imp.errNote')));
}

function resultView(r) {
  const rows = ['total', 'created', 'versioned', 'unchanged'].map((k) => h('tr', { 'data-count': k },
    h('th', { scope: 'row' }, t(`imp.${k}`)), h('td', { id: `imp-${k}` }, String(r[k]))));
  return h('div', { id: 'import-result', class: 'import-result', 'data-dry-run': r.dry_run ? '1' : '0' },
    h('h2', { id: 'imp-res-title' }, t(r.dry_run ? 'imp.resultDry' : 'imp.resultDone')),
    h('table', { class: 'counts', 'aria-labelledby': 'imp-res-title' }, h('tbody', null, rows)),
    r.dry_run ? h('p', { class: 'note' }, t('imp.dryNote')) : null);
}

async function pageCatalogImport() {
  requireRole(['admin']);
  const out = h('div', { id: 'import-out', 'aria-live': 'polite' });
  const procs = h('input', { type: 'file', id: 'imp-procs', name: 'procedures', required: true, accept: '.csv,.json,text/csv,application/json', 'aria-describedby': 'imp-procs-hint' });
  const docs = h('input', { type: 'file', id: 'imp-docs', name: 'documents', accept: '.csv,text/csv', 'aria-describedby': 'imp-docs-hint' });
  const btnCheck = h('button', { type: 'submit', id: 'imp-check', value: 'dry' }, t('imp.check'));
  const btnRun = h('button', { type: 'submit', id: 'imp-run', class: 'secondary', value: 'run' }, t('imp.run'));
  const send = async (dry) => {
    out.replaceChildren();
    const f = procs.files[0];
    if (!f) { out.replaceChildren(msg(t('imp.needFile'))); procs.focus(); return; }
    const ext = (f.name.split('.').pop() || '').toLowerCase();
    if (ext !== 'csv' && ext !== 'json') { out.replaceChildren(msg(t('imp.badExt'))); procs.focus(); return; }
    const d = docs.files[0] || null;
    if (ext === 'json' && d) { out.replaceChildren(msg(t('imp.docsJson'))); docs.focus(); return; }
    if (f.size + (d ? d.size : 0) > MAX_BYTES) { out.replaceChildren(msg(t('imp.tooBig'))); return; }
    const body = { format: ext, procedures: await readText(f), dry_run: dry };
    if (d) body.documents = await readText(d);
    btnCheck.disabled = true; btnRun.disabled = true;
    out.replaceChildren(h('p', { class: 'loading' }, t('imp.reading')));
    try {
      out.replaceChildren(resultView(await api('POST', '/catalog/import', body)));
    } catch (ex) {
      if (ex instanceof ApiError && ex.status === 413) out.replaceChildren(msg(t('imp.tooBig')));
      else if (ex instanceof ApiError && ex.status === 400) out.replaceChildren(errorTable(ex));
      else out.replaceChildren(msg(errText(ex)));
    } finally { btnCheck.disabled = false; btnRun.disabled = false; }
    const h2 = out.querySelector('h2');
    if (h2) { h2.setAttribute('tabindex', '-1'); h2.focus(); }
  };
  const form = h('form', {
    id: 'import-form', novalidate: true,
    onsubmit: (e) => { e.preventDefault(); send(!(e.submitter && e.submitter.value === 'run')); },
  },
  h('div', { class: 'field' }, h('label', { for: 'imp-procs' }, t('imp.procs'), h('span', { class: 'req' }, ' *', h('span', { class: 'sr-only' }, t('common.required')))),
    procs, h('p', { class: 'hint', id: 'imp-procs-hint' }, t('imp.procsHint'))),
  h('div', { class: 'field' }, h('label', { for: 'imp-docs' }, t('imp.docs')), docs, h('p', { class: 'hint', id: 'imp-docs-hint' }, t('imp.docsHint'))),
  h('div', { class: 'buttons' }, btnCheck, ' ', btnRun));
  return h('div', null, h('h1', null, t('imp.title')), h('p', null, t('imp.intro')), form, out, await reviewList());
}

// Procedures flagged incomplete (no time limit) or unit_assumed.
async function reviewList() {
  const lists = await Promise.all(['incomplete', 'unit_assumed'].map((flag) => api('GET', '/procedures' + qs({ flag, limit: 100 }))));
  const seen = new Set();
  const items = [];
  for (const l of lists) {
    for (const p of l.items) {
      if (seen.has(p.code)) continue;
      seen.add(p.code);
      items.push(h('li', { 'data-code': p.code }, h('a', { href: `/thu-tuc/${p.id}` }, `${p.code} - ${p.name || ''}`), ' ',
        p.flags.map((f) => h('span', { class: `badge flag-${f}` }, t(`flag.${f}`)))));
    }
  }
  return h('section', { 'aria-labelledby': 'review-title', id: 'review' }, h('h2', { id: 'review-title' }, t('imp.review')),
    items.length ? h('ul', { id: 'review-list' }, items) : h('p', null, t('imp.reviewNone')));
}

// The administrator's time-limit form on the procedure page.
export function procedureLimitForm(p) {
  const tl = p.time_limit || {};
  const err = h('div', { 'aria-live': 'assertive' });
  const unit = field(t('lim.unit'), 'select', { name: 'limit_unit', id: 'lim-unit', required: true },
    UNITS.map((u) => h('option', { value: u, selected: (tl.unit || 'workdays') === u }, t(`lim.unit.${u}`))));
  const value = field(t('lim.value'), 'number', { name: 'limit_value', id: 'lim-value', min: 1, max: 3650, step: 1, inputmode: 'numeric',
    value: tl.value ? String(tl.value) : '', hint: t('lim.valueHint') });
  const cutoff = h('div', { class: 'check' }, h('input', { type: 'checkbox', id: 'lim-cutoff', name: 'cutoff_15h', value: '1', checked: !!tl.cutoff_15h }),
    h('label', { for: 'lim-cutoff' }, t('lim.cutoff')));
  const pause = field(t('lim.pause'), 'select', { name: 'pause_policy', id: 'lim-pause' },
    PAUSE.map((x) => h('option', { value: x, selected: (p.pause_policy || 'restart') === x }, t(`lim.pause.${x}`))));
  const btn = h('button', { type: 'submit', id: 'lim-save' }, t('lim.save'));
  const form = h('form', {
    id: 'limit-form', class: 'action-form', novalidate: true,
    onsubmit: async (e) => {
      e.preventDefault();
      err.replaceChildren();
      const fd = new FormData(form);
      const body = { limit_unit: fd.get('limit_unit'), pause_policy: fd.get('pause_policy'), expect_version: p.version };
      const v = (fd.get('limit_value') || '').trim();
      if (v !== '' || body.limit_unit !== 'sameday') {
        const n = Number(v);
        if (!/^\d+$/.test(v) || n < 1 || n > 3650) { err.replaceChildren(msg(t('lim.badValue'))); form.elements.limit_value.focus(); return; }
        body.limit_value = n;
      }
      if (body.limit_unit === 'sameday') body.cutoff_15h = !!fd.get('cutoff_15h');
      btn.disabled = true;
      try {
        const r = await api('PUT', `/procedures/${encodeURIComponent(p.code)}`, body);
        flash(r.changed === false ? t('lim.same') : t('lim.saved', { code: p.code, v: r.version }));
        navigate(`/thu-tuc/${r.id}`, true);
      } catch (ex) { btn.disabled = false; err.replaceChildren(msg(errText(ex))); }
    },
  }, h('p', { class: 'hint' }, t('lim.intro')), unit, value, cutoff, pause, err, btn);
  return h('details', { class: 'action', id: 'limit-box', open: p.incomplete ? true : null }, h('summary', null, t('lim.title')), form);
}

// ------------------------------------------------------------------ unit working hours

// "1-5=08:00-12:00,13:00-17:00;6=08:00-11:30" -> {1: ['08:00-12:00', ...], ...}
function parseHours(text) {
  const byDay = {};
  for (const d of DAYS) byDay[d] = [];
  for (const group of (text || '').split(';')) {
    const eq = group.indexOf('=');
    if (eq < 0) continue;
    const spans = group.slice(eq + 1).split(',').filter(Boolean);
    for (const key of group.slice(0, eq).split(',')) {
      const m = /^(\d)(?:-(\d))?$/.exec(key.trim());
      if (!m) continue;
      for (let d = Number(m[1]); d <= Number(m[2] || m[1]); d++) if (byDay[d]) byDay[d].push(...spans);
    }
  }
  return byDay;
}

function hoursSummary(byDay) {
  return h('ul', { id: 'wh-summary', class: 'plain' }, DAYS.map((d) => h('li', { 'data-day': d },
    h('strong', null, `${t(`wh.day.${d}`)}: `), byDay[d].length ? byDay[d].join(', ') : t('wh.off'))));
}

function hoursForm(unit, wh) {
  const byDay = parseHours(wh.hours);
  const nspans = Math.max(2, ...DAYS.map((d) => byDay[d].length));
  const err = h('div', { 'aria-live': 'assertive' });
  const rows = DAYS.map((d) => h('fieldset', { class: 'wh-day', id: `wh-day-${d}` }, h('legend', null, t(`wh.day.${d}`)),
    h('div', { class: 'wh-spans' }, Array.from({ length: nspans }, (_, i) => {
      const [from, to] = (byDay[d][i] || '-').split('-');
      const day = t(`wh.day.${d}`);
      const fid = `wh-${d}-${i + 1}-from`;
      const tid = `wh-${d}-${i + 1}-to`;
      return h('div', { class: 'wh-span' },
        h('label', { for: fid }, h('span', { class: 'sr-only' }, t('wh.from', { day, n: i + 1 })), h('span', { 'aria-hidden': 'true' }, `${t('wh.span', { n: i + 1 })}:`)),
        h('input', { type: 'time', id: fid, value: from || '', 'data-day': d, 'data-n': i + 1, 'data-end': 'from' }),
        h('span', { 'aria-hidden': 'true' }, '-'),
        h('label', { for: tid, class: 'sr-only' }, t('wh.to', { day, n: i + 1 })),
        h('input', { type: 'time', id: tid, value: to || '', 'data-day': d, 'data-n': i + 1, 'data-end': 'to' }));
    }))));
  const save = async (hours) => {
    err.replaceChildren();
    try {
      await api('PUT', `/units/${unit.id}/workhours`, { hours });
      flash(t('wh.saved', { name: unit.name }));
      navigate(location.pathname, true);
    } catch (ex) { err.replaceChildren(msg(errText(ex))); }
  };
  const form = h('form', {
    id: 'wh-form', novalidate: true,
    onsubmit: (e) => {
      e.preventDefault();
      const groups = [];
      for (const d of DAYS) {
        const spans = [];
        for (let i = 1; i <= nspans; i++) {
          const from = form.querySelector(`#wh-${d}-${i}-from`).value;
          const to = form.querySelector(`#wh-${d}-${i}-to`).value;
          if (!from && !to) continue;
          if (!from || !to) { err.replaceChildren(msg(t('wh.half', { n: i, day: t(`wh.day.${d}`) }))); return; }
          spans.push(`${from.slice(0, 5)}-${to.slice(0, 5)}`);
        }
        if (spans.length) groups.push(`${d}=${spans.join(',')}`);
      }
      if (!groups.length) { err.replaceChildren(msg(t('wh.none'))); return; }
      save(groups.join(';'));
    },
  }, rows, err, h('div', { class: 'buttons' },
    h('button', { type: 'submit', id: 'wh-save' }, t('wh.save')),
    h('button', { type: 'button', id: 'wh-reset', class: 'secondary', onclick: () => save(DEFAULT_HOURS) }, t('wh.reset'))));
  return h('details', { class: 'action', id: 'wh-box' }, h('summary', null, t('wh.save')), form);
}

async function pageUnit(params, id) {
  requireRole(['admin', 'inspector', 'leader', 'desk', 'specialist']);
  const [u, wh, kids] = await Promise.all([api('GET', `/units/${id}`), api('GET', `/units/${id}/workhours`),
    api('GET', '/units' + qs({ parent_id: id }))]);
  return h('div', null,
    h('p', null, h('a', { href: u.parent_id ? `/quan-tri/don-vi?parent=${u.parent_id}` : '/quan-tri/don-vi' }, '← ', t('wh.unit'))),
    h('h1', null, u.name),
    dl([[t('wh.code'), u.code], [t('wh.kind'), u.kind_label], [t('wh.since'), fmtDate(u.valid_from)], [t('wh.until'), u.valid_to ? fmtDate(u.valid_to) : null]]),
    h('section', { 'aria-labelledby': 'wh-title', id: 'workhours' }, h('h2', { id: 'wh-title' }, t('wh.title')),
      h('p', null, t('wh.intro')),
      h('p', { id: 'wh-kind', class: wh.default ? null : 'note' }, t(wh.default ? 'wh.default' : 'wh.custom')),
      hoursSummary(parseHours(wh.hours)),
      S.me.role === 'admin' ? hoursForm(u, wh) : null),
    kids.items.length ? h('section', { 'aria-labelledby': 'kids-title' }, h('h2', { id: 'kids-title' }, t('wh.children')),
      h('p', null, h('a', { href: `/quan-tri/don-vi?parent=${u.id}` }, t('common.total', { n: kids.items.length })))) : null);
}

// ------------------------------------------------------------------ Open311 keys

async function pageOpen311Keys() {
  requireRole(['admin']);
  const out = h('div', { id: 'key-out', 'aria-live': 'polite' });
  const unit = unitPicker(t('key.unit'), { id: 'key-unit', emptyLabel: t('key.unitNone'), searchLabel: t('key.unitSearch') });
  const btn = h('button', { type: 'submit', id: 'key-create' }, t('key.create'));
  const form = h('form', {
    id: 'key-form',
    onsubmit: async (e) => {
      e.preventDefault();
      out.replaceChildren();
      const label = form.elements.label.value.trim();
      const body = { label };
      btn.disabled = true;
      try {
        if (unit.sel.value) body.unit_code = (await api('GET', `/units/${unit.sel.value}`)).code;
        const k = await api('POST', '/open311/keys', body);
        form.reset();
        out.replaceChildren(msg(t('key.created', { label: k.label }), 'ok'),
          dl([[t('key.value'), h('code', { id: 'key-value', class: 'mono' }, k.api_key)], [t('key.unit'), k.unit_code]]));
      } catch (ex) { out.replaceChildren(msg(errText(ex))); } finally { btn.disabled = false; }
    },
  }, field(t('key.label'), 'text', { name: 'label', id: 'key-label', required: true, maxlength: 200 }), unit.node, btn);
  return h('div', null, h('h1', null, t('key.title')), h('p', null, t('key.intro')), form, out);
}

export const adminRoutes = [
  [/^\/quan-tri\/open311$/, pageOpen311Keys],
  [/^\/quan-tri\/danh-muc$/, pageCatalogImport],
  [/^\/quan-tri\/don-vi\/(\d+)$/, pageUnit],
];
