// pages/register.js - Mẫu 06 (Sổ theo dõi hồ sơ, TT 01/2018) of a receiving
// unit for a period, downloaded as PDF (at most 31 days) or Excel (at most
// 366 days) from GET /api/v1/units/{id}/register. Desk officers, leaders and
// inspectors whose scope covers the unit.
import { t, extend, parseDate, fmtDate } from '/i18n.js';
import { api, qs } from '/api.js';
import { h, field, msg, dateField } from '/ui.js';
import { S, requireRole, unitPicker } from '/app.js';

const MAX_DAYS = { pdf: 31, xlsx: 366 };

extend({
  'nav.register': 'Sổ theo dõi hồ sơ',
  'reg.title': 'Sổ theo dõi hồ sơ (Mẫu 06)',
  'reg.intro': 'Các hồ sơ tiếp nhận tại đơn vị (và các đơn vị trực thuộc) trong khoảng ngày đã chọn, theo thời điểm tiếp nhận. Bản PDF để in tối đa 31 ngày; bản Excel tối đa 366 ngày.',
  'reg.unit': 'Đơn vị tiếp nhận',
  'reg.unitSearch': 'Tìm đơn vị (bỏ trống để dùng đơn vị của bạn)',
  'reg.mine': 'Đơn vị của tôi',
  'reg.from': 'Từ ngày',
  'reg.to': 'Đến ngày',
  'reg.format': 'Định dạng',
  'reg.pdf': 'PDF (để in)',
  'reg.xlsx': 'Excel (.xlsx)',
  'reg.get': 'Tải sổ theo dõi',
  'reg.badDate': 'Ngày không hợp lệ, hãy nhập theo dạng dd/mm/yyyy.',
  'reg.order': '"Đến ngày" không được trước "Từ ngày".',
  'reg.tooLong': 'Khoảng ngày quá dài: tối đa {n} ngày cho định dạng này.',
  'reg.ready': 'Đã tạo sổ theo dõi từ {from} đến {to}.',
  'reg.open': 'Mở tệp {name}',
  'reg.working': 'Đang tạo tệp...',
}, {
  'nav.register': 'Dossier register',
  'reg.title': 'Dossier register (Form 06)',
  'reg.intro': 'Dossiers received by the unit (and the units below it) between the chosen days, by receipt time. PDF to print: at most 31 days; Excel: at most 366 days.',
  'reg.unit': 'Receiving unit',
  'reg.unitSearch': 'Find a unit (empty: your own unit)',
  'reg.mine': 'My unit',
  'reg.from': 'From',
  'reg.to': 'To',
  'reg.format': 'Format',
  'reg.pdf': 'PDF (to print)',
  'reg.xlsx': 'Excel (.xlsx)',
  'reg.get': 'Download the register',
  'reg.badDate': 'Invalid date; type it as dd/mm/yyyy.',
  'reg.order': '"To" cannot be before "From".',
  'reg.tooLong': 'The period is too long: at most {n} days in this format.',
  'reg.ready': 'Register from {from} to {to} ready.',
  'reg.open': 'Open {name}',
  'reg.working': 'Building the file...',
});

function days(a, b) { return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86400000) + 1; }

async function pageRegister() {
  requireRole(['desk', 'leader', 'inspector']);
  const out = h('div', { id: 'reg-out', 'aria-live': 'polite' });
  const unit = unitPicker(t('reg.unit'), { id: 'reg-unit', emptyLabel: `${t('reg.mine')} (${S.me.unit_code || ''})`, searchLabel: t('reg.unitSearch') });
  const today = (await api('GET', '/health')).time.slice(0, 10); // the server's local date
  const first = `${today.slice(0, 8)}01`;
  const btn = h('button', { type: 'submit', id: 'reg-get' }, t('reg.get'));
  let url = null;
  const form = h('form', {
    id: 'reg-form', novalidate: true,
    onsubmit: async (e) => {
      e.preventDefault();
      out.replaceChildren();
      const fd = new FormData(form);
      const from = parseDate(fd.get('from'));
      const to = parseDate(fd.get('to'));
      const format = fd.get('format');
      if (!from || !to) { out.replaceChildren(msg(t('reg.badDate'))); return; }
      if (to < from) { out.replaceChildren(msg(t('reg.order'))); return; }
      if (days(from, to) > MAX_DAYS[format]) { out.replaceChildren(msg(t('reg.tooLong', { n: MAX_DAYS[format] }))); return; }
      const unitId = unit.sel.value || S.me.unit_id;
      btn.disabled = true;
      out.replaceChildren(h('p', { class: 'loading' }, t('reg.working')));
      try {
        const resp = await fetch(`/api/v1/units/${unitId}/register` + qs({ from, to, format }), { credentials: 'same-origin', cache: 'no-store' });
        if (!resp.ok) {
          let m = resp.statusText;
          try { const j = await resp.json(); m = `${j.error.message} (${j.error.code})`; } catch (ex) { /* not JSON */ }
          out.replaceChildren(msg(`${t('common.error')}: ${m}`));
          return;
        }
        const blob = await resp.blob();
        if (url) URL.revokeObjectURL(url);
        url = URL.createObjectURL(blob);
        const name = `so-theo-doi-${from}-${to}.${format}`;
        out.replaceChildren(msg(t('reg.ready', { from: fmtDate(from), to: fmtDate(to) }), 'ok'),
          h('p', null, h('a', { href: url, download: name, id: 'reg-file', class: 'button', 'data-type': blob.type }, t('reg.open', { name }))));
        out.querySelector('#reg-file').focus();
      } catch (ex) {
        out.replaceChildren(msg(`${t('common.error')}: ${ex.message}`));
      } finally { btn.disabled = false; }
    },
  },
  unit.node,
  h('div', { class: 'filters' },
    dateField(t('reg.from'), { name: 'from', id: 'reg-from', required: true, value: first }),
    dateField(t('reg.to'), { name: 'to', id: 'reg-to', required: true, value: today }),
    field(t('reg.format'), 'select', { name: 'format', id: 'reg-format' },
      [h('option', { value: 'pdf' }, t('reg.pdf')), h('option', { value: 'xlsx' }, t('reg.xlsx'))])),
  btn);
  return h('div', null, h('h1', null, t('reg.title')), h('p', null, t('reg.intro')), form, out);
}

export const registerRoutes = [
  [/^\/so-theo-doi$/, pageRegister],
];
