// pages/admin.js - administrator: import the procedure catalog from files
// (POST /api/v1/catalog/import): procedures.csv with an optional
// procedure_documents.csv, or the JSON export. A dry run (kiểm tra trước)
// validates and counts without saving; the import is all or nothing and
// stops at the first bad row, which the page names (line and column).
import { t, extend } from '/i18n.js';
import { api, ApiError } from '/api.js';
import { h, msg, errText } from '/ui.js';
import { requireRole } from '/app.js';

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
  return h('div', null, h('h1', null, t('imp.title')), h('p', null, t('imp.intro')), form, out);
}

export const adminRoutes = [
  [/^\/quan-tri\/danh-muc$/, pageCatalogImport],
];
