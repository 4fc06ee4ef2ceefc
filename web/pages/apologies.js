// pages/apologies.js - apology drafts (phiếu xin lỗi và hẹn lại ngày trả kết
// quả) written by the sweeper for dossiers forecast to be late; a leader
// approves one (reason, new date: the dossier is rescheduled and the citizen
// notified) or dismisses it.
import { t, extend, fmtDate, fmtDateTime, parseDate } from '/i18n.js';
import { api, qs } from '/api.js';
import { h, field, dl, msg, errText, dateField } from '/ui.js';
import { S, navigate, flash, requireRole, unitNames, unitLabel } from '/app.js';

const STATES = ['draft', 'approved', 'dismissed'];

extend({
  'nav.apologies': 'Thư xin lỗi',
  'ap.title': 'Dự thảo thư xin lỗi, hẹn lại ngày trả',
  'ap.intro': 'Hệ thống tự lập dự thảo khi dự báo hồ sơ trễ hạn. Lãnh đạo duyệt (ghi lý do, ngày hẹn mới) hoặc bỏ qua. Mỗi hồ sơ chỉ được hẹn lại một lần.',
  'ap.stateF': 'Trạng thái',
  'ap.state.draft': 'Chờ duyệt',
  'ap.state.approved': 'Đã duyệt',
  'ap.state.dismissed': 'Đã bỏ qua',
  'ap.filter': 'Lọc',
  'ap.dossier': 'Hồ sơ',
  'ap.due': 'Hạn trả hiện tại',
  'ap.proposed': 'Ngày hẹn đề xuất',
  'ap.shortfall': 'Thời gian còn thiếu (dự báo)',
  'ap.hours': '{n} giờ làm việc',
  'ap.overdue': 'Hồ sơ đã quá hạn',
  'ap.created': 'Lập lúc',
  'ap.unit': 'Đơn vị xử lý',
  'ap.newDate': 'Ngày hẹn trả mới',
  'ap.newDateHint': 'Để nguyên ngày đề xuất hoặc chọn một ngày làm việc sau hạn trả.',
  'ap.reason': 'Lý do chậm và lời xin lỗi gửi người dân',
  'ap.dismissReason': 'Lý do bỏ qua',
  'ap.approve': 'Duyệt và gửi thư xin lỗi',
  'ap.dismiss': 'Bỏ qua dự thảo',
  'ap.approved': 'Đã duyệt thư xin lỗi cho hồ sơ {code}; ngày hẹn mới {d}.',
  'ap.dismissed': 'Đã bỏ qua dự thảo cho hồ sơ {code}.',
  'ap.decision': 'Quyết định',
  'ap.badDate': 'Ngày không hợp lệ, hãy nhập theo dạng dd/mm/yyyy.',
  'ap.empty': 'Không có dự thảo nào.',
}, {
  'nav.apologies': 'Apologies',
  'ap.title': 'Apology and new-date drafts',
  'ap.intro': 'Drafted automatically when a dossier is forecast to be late. A leader approves (reason, new date) or dismisses it. A dossier can be rescheduled only once.',
  'ap.stateF': 'State',
  'ap.state.draft': 'Awaiting decision',
  'ap.state.approved': 'Approved',
  'ap.state.dismissed': 'Dismissed',
  'ap.filter': 'Filter',
  'ap.dossier': 'Dossier',
  'ap.due': 'Current due date',
  'ap.proposed': 'Proposed date',
  'ap.shortfall': 'Forecast shortfall',
  'ap.hours': '{n} working hours',
  'ap.overdue': 'The dossier is overdue',
  'ap.created': 'Drafted at',
  'ap.unit': 'Handling unit',
  'ap.newDate': 'New due date',
  'ap.newDateHint': 'Keep the proposed date or pick a working day after the due date.',
  'ap.reason': 'Reason for the delay and apology to the citizen',
  'ap.dismissReason': 'Reason for dismissing',
  'ap.approve': 'Approve and send the apology',
  'ap.dismiss': 'Dismiss the draft',
  'ap.approved': 'Apology for dossier {code} approved; new date {d}.',
  'ap.dismissed': 'Draft for dossier {code} dismissed.',
  'ap.decision': 'Decision',
  'ap.badDate': 'Invalid date; type it as dd/mm/yyyy.',
  'ap.empty': 'No draft.',
});

function decideForm(a, kind) {
  const err = h('div', { 'aria-live': 'assertive' });
  const code = a.dossier_code || `#${a.dossier_id}`;
  const label = t(kind === 'approve' ? 'ap.approve' : 'ap.dismiss');
  const btn = h('button', { type: 'submit', class: kind === 'dismiss' ? 'secondary' : null }, label);
  const parts = kind === 'approve'
    ? [dateField(t('ap.newDate'), { name: 'new_date', id: `ap-date-${a.id}`, required: true, value: a.proposed_date, hint: t('ap.newDateHint') }),
      field(t('ap.reason'), 'textarea', { name: 'reason', id: `ap-reason-${a.id}`, required: true, maxlength: 4000 })]
    : [field(t('ap.dismissReason'), 'textarea', { name: 'reason', id: `ap-dismiss-reason-${a.id}`, required: true, maxlength: 4000 })];
  const form = h('form', {
    id: `ap-${kind}-${a.id}`, class: 'action-form',
    onsubmit: async (e) => {
      e.preventDefault();
      err.replaceChildren();
      const fd = new FormData(form);
      const body = { reason: fd.get('reason').trim() };
      if (kind === 'approve') {
        body.new_date = parseDate(fd.get('new_date'));
        if (!body.new_date) { err.replaceChildren(msg(t('ap.badDate'))); return; }
      }
      btn.disabled = true;
      try {
        await api('POST', `/apologies/${a.id}/${kind}`, body);
        flash(kind === 'approve' ? t('ap.approved', { code, d: fmtDate(body.new_date) }) : t('ap.dismissed', { code }));
        navigate(location.pathname + location.search, true);
      } catch (ex) { btn.disabled = false; err.replaceChildren(msg(errText(ex))); }
    },
  }, parts, err, btn);
  return h('details', { class: 'action', id: `ap-${kind}-box-${a.id}` }, h('summary', null, label), form);
}

async function pageApologies(params) {
  requireRole(['leader', 'inspector', 'admin']);
  const state = params.has('state') ? params.get('state') : 'draft';
  const r = await api('GET', '/apologies' + qs({ state, limit: 200 }));
  const units = await unitNames(r.items.map((a) => a.unit_id));
  const sel = h('select', { id: 'ap-state', name: 'state' }, h('option', { value: '' }, t('fb.allStates')),
    STATES.map((s) => h('option', { value: s, selected: s === state }, t(`ap.state.${s}`))));
  const form = h('form', { class: 'filters', onsubmit: (e) => { e.preventDefault(); navigate('/xin-loi' + qs({ state: sel.value }) + (sel.value ? '' : '?state=')); } },
    h('div', { class: 'field' }, h('label', { for: 'ap-state' }, t('ap.stateF')), sel),
    h('button', { type: 'submit' }, t('ap.filter')));
  const items = r.items.map((a) => {
    const code = a.dossier_code || `#${a.dossier_id}`;
    const hours = Math.round((a.shortfall_seconds || 0) / 360) / 10;
    return h('li', { class: `card apology ap-${a.state}`, 'data-id': a.id, 'data-dossier': a.dossier_id, 'data-code': a.dossier_code || '' },
      h('h2', { class: 'card-title' }, h('a', { href: `/ho-so/${a.dossier_id}` }, `${t('ap.dossier')} ${code}`)),
      h('p', null, h('span', { class: `badge apstate ap-state-${a.state}` }, t(`ap.state.${a.state}`)),
        a.forecast && a.forecast.overdue ? h('strong', { class: 'urg urg-label-overdue' }, ` ${t('ap.overdue')}`) : null),
      dl([
        [t('ap.unit'), unitLabel(units, a.unit_id)],
        [t('ap.due'), fmtDate(a.due_at)],
        [t('ap.proposed'), fmtDate(a.proposed_date)],
        [t('ap.shortfall'), t('ap.hours', { n: hours })],
        [t('ap.created'), fmtDateTime(a.created_at)],
        [t('ap.newDate'), a.new_date ? fmtDate(a.new_date) : null],
        [t('ap.decision'), a.decision_reason || a.reason],
      ]),
      a.state === 'draft' && ['leader', 'admin'].includes(S.me.role) ? h('div', { class: 'ap-actions' }, decideForm(a, 'approve'), decideForm(a, 'dismiss')) : null);
  });
  return h('div', null, h('h1', null, t('ap.title')), h('p', { class: 'lead' }, t('ap.intro')), form,
    h('p', { role: 'status', id: 'ap-count' }, t('common.total', { n: r.total })),
    items.length ? h('ul', { class: 'cards', id: 'ap-list' }, items) : h('p', null, t('ap.empty')));
}

export const apologyRoutes = [
  [/^\/xin-loi$/, pageApologies],
];
