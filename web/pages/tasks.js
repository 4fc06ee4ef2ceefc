// pages/tasks.js - directive tasks (văn bản chỉ đạo, nhiệm vụ): directives,
// assigning tasks to units, the overview with status colours, the task page
// (progress reports, done, accept/return, deadline adjustments, cause of an
// overdue task) and the per-unit report with its Excel download.
import { t, extend, fmtDate, fmtDateTime, parseDate } from '/i18n.js';
import { api, qs } from '/api.js';
import { h, field, dl, msg, errText, dateField } from '/ui.js';
import { S, navigate, flash, requireRole, unitPicker, unitNames, unitLabel } from '/app.js';

const STATUSES = ['done_on_time', 'done_late', 'in_progress_on_track', 'in_progress_at_risk', 'overdue'];
const OFFICIAL_ROLES = ['desk', 'specialist', 'leader', 'inspector', 'admin'];

extend({
  'nav.directives': 'Văn bản chỉ đạo',
  'nav.tasks': 'Theo dõi nhiệm vụ',
  'nav.myTasks': 'Nhiệm vụ của đơn vị',
  'dir.title': 'Văn bản chỉ đạo',
  'dir.new': 'Ghi nhận văn bản chỉ đạo mới',
  'dir.number': 'Số, ký hiệu',
  'dir.date': 'Ngày ban hành',
  'dir.summary': 'Trích yếu',
  'dir.issuer': 'Đơn vị ban hành',
  'dir.issuerHint': 'Để trống: đơn vị của bạn.',
  'dir.create': 'Ghi nhận văn bản',
  'dir.created': 'Đã ghi nhận văn bản {n}.',
  'dir.detail': 'Văn bản {n}',
  'dir.tasks': 'Nhiệm vụ giao',
  'dir.noTasks': 'Chưa giao nhiệm vụ nào.',
  'dir.back': 'Danh sách văn bản chỉ đạo',
  'dir.badDate': 'Ngày không hợp lệ, hãy nhập theo dạng dd/mm/yyyy.',
  'task.assign': 'Giao nhiệm vụ cho đơn vị',
  'task.titleF': 'Nội dung nhiệm vụ',
  'task.lead': 'Đơn vị chủ trì',
  'task.leadSearch': 'Tìm đơn vị (tên hoặc mã)',
  'task.deadlineKind': 'Thời hạn',
  'task.byDate': 'Đến ngày',
  'task.byWorkdays': 'Số ngày làm việc kể từ ngày ban hành',
  'task.deadlineDate': 'Hạn hoàn thành',
  'task.workdays': 'Số ngày làm việc',
  'task.expected': 'Sản phẩm đầu ra',
  'task.priority': 'Mức ưu tiên',
  'task.prio.low': 'Thấp', 'task.prio.normal': 'Bình thường', 'task.prio.high': 'Cao', 'task.prio.urgent': 'Khẩn',
  'task.send': 'Giao nhiệm vụ',
  'task.created': 'Đã giao nhiệm vụ "{t}", hạn {d}.',
  'task.needUnit': 'Hãy chọn đơn vị chủ trì.',
  'task.needDays': 'Hãy nhập số ngày làm việc (từ 1).',
  'task.overview': 'Theo dõi nhiệm vụ',
  'task.mine': 'Nhiệm vụ của đơn vị',
  'task.onlyMine': 'Chỉ nhiệm vụ đơn vị tôi chủ trì',
  'task.allStatuses': 'Tất cả tình trạng',
  'task.statusF': 'Tình trạng',
  'task.filter': 'Lọc',
  'task.legend': 'Chú thích màu tình trạng',
  'ts.done_on_time': 'Hoàn thành đúng hạn',
  'ts.done_late': 'Hoàn thành quá hạn',
  'ts.in_progress_on_track': 'Đang thực hiện, trong hạn',
  'ts.in_progress_at_risk': 'Có nguy cơ chậm',
  'ts.overdue': 'Quá hạn',
  'tstate.open': 'Đang thực hiện',
  'tstate.submitted': 'Đã báo cáo hoàn thành, chờ đánh giá',
  'tstate.accepted': 'Đã nghiệm thu',
  'task.detail': 'Nhiệm vụ #{id}',
  'task.directive': 'Văn bản chỉ đạo',
  'task.issuer': 'Đơn vị giao',
  'task.deadline': 'Hạn hoàn thành',
  'task.deadlineOriginal': 'Hạn ban đầu',
  'task.progress': 'Tiến độ',
  'task.state': 'Trạng thái xử lý',
  'task.status': 'Tình trạng',
  'task.evidence': 'Kết quả, minh chứng',
  'task.doneAt': 'Ngày báo cáo hoàn thành',
  'task.cause': 'Nguyên nhân chậm',
  'task.reports': 'Báo cáo tiến độ',
  'task.noReports': 'Chưa có báo cáo tiến độ.',
  'task.adjustments': 'Đề nghị điều chỉnh thời hạn',
  'task.history': 'Lịch sử',
  'task.report': 'Báo cáo tiến độ',
  'task.percent': 'Tỷ lệ hoàn thành (%)',
  'task.value': 'Giá trị đạt được ({u})',
  'task.note': 'Nội dung báo cáo',
  'task.reported': 'Đã gửi báo cáo tiến độ.',
  'task.done': 'Báo cáo hoàn thành',
  'task.doneHint': 'Nêu kết quả và văn bản, tài liệu chứng minh.',
  'task.doneSent': 'Đã báo cáo hoàn thành, chờ đơn vị giao đánh giá.',
  'task.adjust': 'Đề nghị điều chỉnh thời hạn',
  'task.proposed': 'Thời hạn đề nghị',
  'task.reason': 'Lý do',
  'task.adjustSent': 'Đã gửi đề nghị điều chỉnh thời hạn.',
  'task.writeCause': 'Giải trình nguyên nhân quá hạn',
  'task.causeSaved': 'Đã lưu nguyên nhân quá hạn.',
  'task.accept': 'Nghiệm thu (chấp nhận kết quả)',
  'task.acceptNote': 'Nhận xét (không bắt buộc)',
  'task.accepted': 'Đã nghiệm thu nhiệm vụ.',
  'task.return': 'Trả lại, yêu cầu thực hiện tiếp',
  'task.returnNote': 'Lý do trả lại',
  'task.returned': 'Đã trả lại nhiệm vụ.',
  'adj.pending': 'Chờ quyết định', 'adj.approved': 'Đã chấp thuận', 'adj.refused': 'Không chấp thuận',
  'adj.line': '{old} → {new}: {reason}',
  'adj.approve': 'Chấp thuận', 'adj.refuse': 'Không chấp thuận',
  'adj.note': 'Ý kiến',
  'adj.decided': 'Đã quyết định đề nghị điều chỉnh.',
  'task.toReport': 'Báo cáo theo đơn vị',
  'rep.title': 'Báo cáo kết quả thực hiện nhiệm vụ',
  'rep.unit': 'Đơn vị',
  'rep.from': 'Từ ngày', 'rep.to': 'Đến ngày',
  'rep.show': 'Xem báo cáo',
  'rep.total': 'Tổng số nhiệm vụ: {n}',
  'rep.rate': 'Tỷ lệ hoàn thành đúng hạn: {r}',
  'rep.noRate': 'chưa có nhiệm vụ đến hạn',
  'rep.due': 'Số nhiệm vụ đến hạn: {n}',
  'rep.late': 'Nhiệm vụ chậm và nguyên nhân',
  'rep.noLate': 'Không có nhiệm vụ chậm.',
  'rep.xlsx': 'Tải báo cáo Excel (.xlsx)',
  'rep.pdf': 'Tải báo cáo PDF',
  'rep.needUnit': 'Hãy chọn đơn vị.',
  'rep.count': 'Số nhiệm vụ',
  'hist.create': 'Giao nhiệm vụ', 'hist.report': 'Báo cáo tiến độ', 'hist.done': 'Báo cáo hoàn thành',
  'hist.accept': 'Nghiệm thu', 'hist.return': 'Trả lại', 'hist.adjustment_request': 'Đề nghị điều chỉnh thời hạn',
  'hist.adjustment_decision': 'Quyết định điều chỉnh thời hạn', 'hist.cause': 'Giải trình nguyên nhân',
}, {
  'nav.directives': 'Directives',
  'nav.tasks': 'Task tracking',
  'nav.myTasks': "My unit's tasks",
  'dir.title': 'Directives',
  'dir.new': 'Record a new directive',
  'dir.number': 'Number',
  'dir.date': 'Date issued',
  'dir.summary': 'Summary',
  'dir.issuer': 'Issuing unit',
  'dir.issuerHint': 'Empty: your unit.',
  'dir.create': 'Record the directive',
  'dir.created': 'Directive {n} recorded.',
  'dir.detail': 'Directive {n}',
  'dir.tasks': 'Tasks assigned',
  'dir.noTasks': 'No task assigned yet.',
  'dir.back': 'All directives',
  'dir.badDate': 'Invalid date; type it as dd/mm/yyyy.',
  'task.assign': 'Assign a task to a unit',
  'task.titleF': 'Task',
  'task.lead': 'Lead unit',
  'task.leadSearch': 'Find a unit (name or code)',
  'task.deadlineKind': 'Deadline',
  'task.byDate': 'A date',
  'task.byWorkdays': 'Working days after the directive date',
  'task.deadlineDate': 'Deadline',
  'task.workdays': 'Working days',
  'task.expected': 'Expected output',
  'task.priority': 'Priority',
  'task.prio.low': 'Low', 'task.prio.normal': 'Normal', 'task.prio.high': 'High', 'task.prio.urgent': 'Urgent',
  'task.send': 'Assign the task',
  'task.created': 'Task "{t}" assigned, due {d}.',
  'task.needUnit': 'Pick the lead unit.',
  'task.needDays': 'Type a number of working days (1 or more).',
  'task.overview': 'Task tracking',
  'task.mine': "My unit's tasks",
  'task.onlyMine': 'Only tasks my unit leads',
  'task.allStatuses': 'All statuses',
  'task.statusF': 'Status',
  'task.filter': 'Filter',
  'task.legend': 'Status colours',
  'ts.done_on_time': 'Done on time',
  'ts.done_late': 'Done late',
  'ts.in_progress_on_track': 'On track',
  'ts.in_progress_at_risk': 'At risk',
  'ts.overdue': 'Overdue',
  'tstate.open': 'In progress',
  'tstate.submitted': 'Reported done, awaiting review',
  'tstate.accepted': 'Accepted',
  'task.detail': 'Task #{id}',
  'task.directive': 'Directive',
  'task.issuer': 'Issuing unit',
  'task.deadline': 'Deadline',
  'task.deadlineOriginal': 'Original deadline',
  'task.progress': 'Progress',
  'task.state': 'Processing state',
  'task.status': 'Status',
  'task.evidence': 'Result, evidence',
  'task.doneAt': 'Reported done on',
  'task.cause': 'Cause of delay',
  'task.reports': 'Progress reports',
  'task.noReports': 'No progress report yet.',
  'task.adjustments': 'Deadline adjustment requests',
  'task.history': 'History',
  'task.report': 'Report progress',
  'task.percent': 'Completion (%)',
  'task.value': 'Value reached ({u})',
  'task.note': 'Report',
  'task.reported': 'Progress report sent.',
  'task.done': 'Report the task done',
  'task.doneHint': 'State the result and the documents that prove it.',
  'task.doneSent': 'Reported done; awaiting the issuing unit\'s review.',
  'task.adjust': 'Request a deadline adjustment',
  'task.proposed': 'Proposed deadline',
  'task.reason': 'Reason',
  'task.adjustSent': 'Adjustment request sent.',
  'task.writeCause': 'Explain why the task is overdue',
  'task.causeSaved': 'Cause saved.',
  'task.accept': 'Accept the result',
  'task.acceptNote': 'Comment (optional)',
  'task.accepted': 'Task accepted.',
  'task.return': 'Return for more work',
  'task.returnNote': 'Reason for returning',
  'task.returned': 'Task returned.',
  'adj.pending': 'Pending', 'adj.approved': 'Approved', 'adj.refused': 'Refused',
  'adj.line': '{old} → {new}: {reason}',
  'adj.approve': 'Approve', 'adj.refuse': 'Refuse',
  'adj.note': 'Comment',
  'adj.decided': 'Adjustment request decided.',
  'task.toReport': 'Report by unit',
  'rep.title': 'Task report',
  'rep.unit': 'Unit',
  'rep.from': 'From', 'rep.to': 'To',
  'rep.show': 'Show the report',
  'rep.total': 'Tasks: {n}',
  'rep.rate': 'Done on time: {r}',
  'rep.noRate': 'no task due yet',
  'rep.due': 'Tasks due: {n}',
  'rep.late': 'Late tasks and their causes',
  'rep.noLate': 'No late task.',
  'rep.xlsx': 'Download the Excel report (.xlsx)',
  'rep.pdf': 'Download the PDF report',
  'rep.needUnit': 'Pick a unit.',
  'rep.count': 'Tasks',
  'hist.create': 'Assigned', 'hist.report': 'Progress report', 'hist.done': 'Reported done',
  'hist.accept': 'Accepted', 'hist.return': 'Returned', 'hist.adjustment_request': 'Adjustment requested',
  'hist.adjustment_decision': 'Adjustment decided', 'hist.cause': 'Cause written',
});

// ------------------------------------------------------------------ helpers

// Does the caller's unit cover unit u (u itself or one of its ancestors)?
function covers(u) {
  if (!S.me) return false;
  if (S.me.role === 'admin' && !S.me.unit_id) return true;
  return !!(u && S.me.unit_id && (u.id === S.me.unit_id || (u.path || '').includes(`/${S.me.unit_id}/`)));
}

function statusBadge(status, id) {
  return h('span', { class: `badge tstatus ts-${status}`, id: id || null, 'data-status': status }, t(`ts.${status}`));
}

function legend() {
  return h('ul', { class: 'legend plain', 'aria-label': t('task.legend') },
    STATUSES.map((s) => h('li', { class: `urg-chip ts-chip ts-${s}` }, t(`ts.${s}`))));
}

// A form that posts body() to path and reloads the page with a message.
function actionForm(id, parts, label, path, body, done, opts = {}) {
  const err = h('div', { 'aria-live': 'assertive' });
  const btn = h('button', { type: 'submit', class: opts.secondary ? 'secondary' : null }, label);
  const form = h('form', {
    id, class: 'action-form',
    onsubmit: async (e) => {
      e.preventDefault();
      err.replaceChildren();
      let b;
      try { b = body(new FormData(form)); } catch (ex) { err.replaceChildren(msg(ex.message)); return; }
      btn.disabled = true;
      try {
        const resp = await api('POST', path, b);
        flash(typeof done === 'function' ? done(resp) : done);
        navigate(opts.next ? opts.next(resp) : location.pathname + location.search, !opts.next);
      } catch (ex) { btn.disabled = false; err.replaceChildren(msg(errText(ex))); }
    },
  }, parts, err, btn);
  return opts.open ? form : h('details', { class: 'action', id: `${id}-box` }, h('summary', null, label), form);
}

function need(cond, text) { if (!cond) throw new Error(text); }

function taskCard(task, units) {
  return h('li', { class: `card task ts-${task.status}`, 'data-id': task.id, 'data-status': task.status },
    h('a', { href: `/nhiem-vu/${task.id}`, class: 'card-title' }, task.title),
    h('p', null, statusBadge(task.status), ' ', h('span', { class: 'meta tstate' }, t(`tstate.${task.state}`))),
    h('p', { class: 'meta' }, `${t('task.lead')}: ${unitLabel(units, task.lead_unit_id)} · ${t('task.deadline')}: ${fmtDate(task.deadline)}`,
      ` · ${t('task.progress')}: ${task.progress}%`),
    h('progress', { max: 100, value: task.progress, 'aria-label': `${t('task.progress')} ${task.progress}%` }));
}

// ------------------------------------------------------------------ directives

async function pageDirectives() {
  requireRole(OFFICIAL_ROLES);
  const r = await api('GET', '/directives' + qs({ limit: 200 }));
  let create = null;
  if (['leader', 'admin'].includes(S.me.role)) {
    const issuer = S.me.role === 'admin' ? unitPicker(t('dir.issuer'), { id: 'dir-issuer', emptyLabel: t('dir.issuerHint') }) : null;
    create = actionForm('dir-form', [
      field(t('dir.number'), 'text', { name: 'number', id: 'dir-number', required: true, maxlength: 100 }),
      dateField(t('dir.date'), { name: 'date', id: 'dir-date', required: true }),
      field(t('dir.summary'), 'textarea', { name: 'summary', id: 'dir-summary', required: true, maxlength: 2000 }),
      issuer ? issuer.node : null,
    ], t('dir.create'), '/directives', (fd) => {
      const date = parseDate(fd.get('date'));
      need(date, t('dir.badDate'));
      const b = { number: fd.get('number').trim(), date, summary: fd.get('summary').trim() };
      if (issuer && issuer.sel.value) b.issuer_unit_id = Number(issuer.sel.value);
      return b;
    }, (resp) => t('dir.created', { n: resp.number }), { open: true, next: (resp) => `/chi-dao/${resp.id}` });
  }
  const units = await unitNames(r.items.map((d) => d.issuer_unit_id));
  return h('div', null, h('h1', null, t('dir.title')),
    h('p', null, h('a', { href: '/nhiem-vu' }, t('nav.tasks')), ' · ', h('a', { href: '/nhiem-vu/bao-cao' }, t('task.toReport'))),
    create ? h('section', { 'aria-labelledby': 'dir-new-title' }, h('h2', { id: 'dir-new-title' }, t('dir.new')), create) : null,
    h('h2', null, t('dir.title')),
    h('p', { role: 'status' }, t('common.total', { n: r.total })),
    r.items.length ? h('ul', { class: 'cards', id: 'directive-list' }, r.items.map((d) => h('li', { class: 'card', 'data-id': d.id },
      h('a', { href: `/chi-dao/${d.id}`, class: 'card-title' }, `${d.number} (${fmtDate(d.issued_on)})`),
      h('p', null, d.summary),
      h('p', { class: 'meta' }, unitLabel(units, d.issuer_unit_id))))) : h('p', null, t('common.empty')));
}

async function pageDirective(params, id) {
  requireRole(OFFICIAL_ROLES);
  const d = await api('GET', `/directives/${id}`);
  const tasks = d.tasks || [];
  const units = await unitNames([d.issuer_unit_id, ...tasks.map((x) => x.lead_unit_id)]);
  let assign = null;
  if (S.me.role === 'admin' || (S.me.role === 'leader' && covers(units.get(d.issuer_unit_id)))) {
    const lead = unitPicker(t('task.lead'), { id: 'task-lead', required: true, searchLabel: t('task.leadSearch') });
    const radio = (val, label, checked) => h('div', { class: 'check' },
      h('input', { type: 'radio', name: 'deadline_kind', id: `dk-${val}`, value: val, checked }),
      h('label', { for: `dk-${val}` }, label));
    assign = actionForm('task-form', [
      field(t('task.titleF'), 'textarea', { name: 'title', id: 'task-title', required: true, maxlength: 1000, rows: 2 }),
      lead.node,
      h('fieldset', null, h('legend', null, t('task.deadlineKind')),
        radio('date', t('task.byDate'), true), radio('workdays', t('task.byWorkdays'), false),
        dateField(t('task.deadlineDate'), { name: 'deadline', id: 'task-deadline' }),
        field(t('task.workdays'), 'number', { name: 'deadline_workdays', id: 'task-workdays', min: 1, max: 1000, inputmode: 'numeric' })),
      field(t('task.expected'), 'textarea', { name: 'expected_output', id: 'task-expected', required: true, maxlength: 2000, rows: 2 }),
      field(t('task.priority'), 'select', { name: 'priority', id: 'task-priority' },
        ['normal', 'low', 'high', 'urgent'].map((p) => h('option', { value: p }, t(`task.prio.${p}`)))),
    ], t('task.send'), '/tasks', (fd) => {
      need(lead.sel.value, t('task.needUnit'));
      const b = { directive_id: d.id, title: fd.get('title').trim(), lead_unit_id: Number(lead.sel.value),
        expected_output: fd.get('expected_output').trim(), priority: fd.get('priority') };
      if (fd.get('deadline_kind') === 'workdays') {
        const n = Number(fd.get('deadline_workdays'));
        need(Number.isInteger(n) && n >= 1, t('task.needDays'));
        b.deadline_workdays = n;
      } else {
        b.deadline = parseDate(fd.get('deadline'));
        need(b.deadline, t('dir.badDate'));
      }
      return b;
    }, (resp) => t('task.created', { t: resp.title, d: fmtDate(resp.deadline) }), { open: true });
  }
  return h('div', null, h('p', null, h('a', { href: '/chi-dao' }, '← ', t('dir.back'))),
    h('h1', null, t('dir.detail', { n: d.number })),
    dl([[t('dir.date'), fmtDate(d.issued_on)], [t('dir.issuer'), unitLabel(units, d.issuer_unit_id)], [t('dir.summary'), d.summary]]),
    h('h2', null, t('dir.tasks')), legend(),
    tasks.length ? h('ul', { class: 'cards', id: 'task-list' }, tasks.map((x) => taskCard(x, units))) : h('p', null, t('dir.noTasks')),
    assign ? h('section', { 'aria-labelledby': 'assign-title', id: 'assign' }, h('h2', { id: 'assign-title' }, t('task.assign')), assign) : null);
}

// ------------------------------------------------------------------ overview

async function pageTasks(params) {
  requireRole(OFFICIAL_ROLES);
  const mine = params.get('mine') === '1' && S.me.unit_id;
  const query = { status: params.get('status') || '', unit_id: mine ? S.me.unit_id : '', limit: 500 };
  const r = await api('GET', '/tasks' + qs(query));
  const units = await unitNames(r.items.map((x) => x.lead_unit_id));
  const stSel = h('select', { id: 'task-status', name: 'status' }, h('option', { value: '' }, t('task.allStatuses')),
    STATUSES.map((s) => h('option', { value: s, selected: s === query.status }, t(`ts.${s}`))));
  const form = h('form', {
    class: 'filters', id: 'task-filters',
    onsubmit: (e) => {
      e.preventDefault();
      const fd = new FormData(form);
      navigate('/nhiem-vu' + qs({ status: fd.get('status'), mine: fd.get('mine') ? 1 : '' }));
    },
  },
  h('div', { class: 'field' }, h('label', { for: 'task-status' }, t('task.statusF')), stSel),
  S.me.unit_id ? h('div', { class: 'check' }, h('input', { type: 'checkbox', id: 'task-mine', name: 'mine', value: '1', checked: !!mine }),
    h('label', { for: 'task-mine' }, t('task.onlyMine'))) : null,
  h('button', { type: 'submit' }, t('task.filter')));
  const counts = {};
  for (const x of r.items) counts[x.status] = (counts[x.status] || 0) + 1;
  return h('div', null, h('h1', null, mine ? t('task.mine') : t('task.overview')),
    h('p', null, h('a', { href: '/chi-dao' }, t('nav.directives')), ' · ', h('a', { href: '/nhiem-vu/bao-cao' }, t('task.toReport'))),
    form, legend(),
    h('p', { role: 'status', id: 'task-count' }, t('common.total', { n: r.total }),
      STATUSES.filter((s) => counts[s]).map((s) => ` · ${t(`ts.${s}`)}: ${counts[s]}`)),
    r.items.length ? h('ul', { class: 'cards', id: 'task-list' }, r.items.map((x) => taskCard(x, units))) : h('p', null, t('common.empty')));
}

// ------------------------------------------------------------------ one task

async function pageTask(params, idStr) {
  requireRole(OFFICIAL_ROLES);
  const task = await api('GET', `/tasks/${idStr}`);
  const units = await unitNames([task.lead_unit_id, task.issuer_unit_id, ...(task.cooperating_units || []).map((u) => u.id || u.unit_id || u)]);
  const lead = covers(units.get(task.lead_unit_id));
  const leadLeader = lead && ['leader', 'admin'].includes(S.me.role);
  const issuer = S.me.role === 'admin' || (S.me.role === 'leader' && covers(units.get(task.issuer_unit_id)));
  const base = `/tasks/${task.id}`;
  const actions = [];
  const pending = (task.adjustments || []).find((a) => a.state === 'pending');
  if (task.state === 'open' && lead) {
    const tgt = task.target;
    actions.push(actionForm('task-report', [
      field(t('task.percent'), 'number', { name: 'percent', id: 'report-percent', min: 0, max: 100, inputmode: 'numeric', value: task.progress }),
      tgt ? field(t('task.value', { u: tgt.unit || '' }), 'number', { name: 'value', id: 'report-value', step: 'any' }) : null,
      field(t('task.note'), 'textarea', { name: 'note', id: 'report-note', required: true, maxlength: 4000 }),
    ], t('task.report'), `${base}/reports`, (fd) => {
      const b = { note: fd.get('note').trim() };
      if (fd.get('percent') !== '' && fd.get('percent') !== null) b.percent = Number(fd.get('percent'));
      if (fd.get('value')) b.value = Number(fd.get('value'));
      return b;
    }, t('task.reported')));
    if (task.status === 'overdue') {
      actions.push(actionForm('task-cause', [
        field(t('task.cause'), 'textarea', { name: 'cause', id: 'cause-text', required: true, maxlength: 4000, value: task.cause || '' }),
      ], t('task.writeCause'), `${base}/cause`, (fd) => ({ cause: fd.get('cause').trim() }), t('task.causeSaved')));
    }
    if (leadLeader) {
      actions.push(actionForm('task-done', [
        field(t('task.evidence'), 'textarea', { name: 'evidence', id: 'done-evidence', required: true, maxlength: 4000, hint: t('task.doneHint') }),
      ], t('task.done'), `${base}/done`, (fd) => ({ evidence: fd.get('evidence').trim() }), t('task.doneSent')));
      if (!pending) {
        actions.push(actionForm('task-adjust', [
          dateField(t('task.proposed'), { name: 'proposed', id: 'adjust-date', required: true }),
          field(t('task.reason'), 'textarea', { name: 'reason', id: 'adjust-reason', required: true, maxlength: 4000 }),
        ], t('task.adjust'), `${base}/adjustments`, (fd) => {
          const proposed = parseDate(fd.get('proposed'));
          need(proposed, t('dir.badDate'));
          return { proposed, reason: fd.get('reason').trim() };
        }, t('task.adjustSent')));
      }
    }
  }
  if (task.state === 'submitted' && issuer) {
    actions.push(actionForm('task-accept', [
      field(t('task.acceptNote'), 'textarea', { name: 'note', id: 'accept-note', maxlength: 4000 }),
    ], t('task.accept'), `${base}/accept`, (fd) => {
      const note = fd.get('note').trim();
      return note ? { note } : {};
    }, t('task.accepted')));
    actions.push(actionForm('task-return', [
      field(t('task.returnNote'), 'textarea', { name: 'note', id: 'return-note', required: true, maxlength: 4000 }),
    ], t('task.return'), `${base}/return`, (fd) => ({ note: fd.get('note').trim() }), t('task.returned'), { secondary: true }));
  }
  const adjItems = (task.adjustments || []).map((a) => h('li', { class: 'card', 'data-id': a.id, 'data-state': a.state },
    h('p', null, h('span', { class: `badge adj-${a.state}` }, t(`adj.${a.state}`)), ' ',
      t('adj.line', { old: fmtDate(a.old_deadline), new: fmtDate(a.proposed), reason: a.reason })),
    h('p', { class: 'meta' }, fmtDateTime(a.requested_at), a.decision_note ? ` · ${a.decision_note}` : ''),
    a.state === 'pending' && issuer ? h('div', { class: 'adj-decide' },
      ['approve', 'refuse'].map((dec) => actionForm(`adj-${dec}-${a.id}`, [
        field(t('adj.note'), 'text', { name: 'note', maxlength: 4000 }),
      ], t(`adj.${dec}`), `${base}/adjustments/${a.id}/decision`, (fd) => {
        const b = { decision: dec };
        const note = fd.get('note').trim();
        if (note) b.note = note;
        return b;
      }, t('adj.decided'), { secondary: dec === 'refuse' }))) : null));
  return h('div', null, h('p', null, h('a', { href: `/chi-dao/${task.directive_id}` }, '← ', t('task.directive')), ' · ',
    h('a', { href: '/nhiem-vu' }, t('nav.tasks'))),
  h('h1', null, task.title),
  h('p', null, statusBadge(task.status, 'task-status-badge'), ' ', h('span', { id: 'task-state', class: 'badge' }, t(`tstate.${task.state}`))),
  dl([
    [t('task.lead'), unitLabel(units, task.lead_unit_id)],
    [t('task.issuer'), unitLabel(units, task.issuer_unit_id)],
    [t('task.deadline'), h('strong', { id: 'task-deadline-value' }, fmtDate(task.deadline))],
    [t('task.deadlineOriginal'), task.deadline_original !== task.deadline ? fmtDate(task.deadline_original) : null],
    [t('task.expected'), task.expected_output],
    [t('task.priority'), task.priority ? t(`task.prio.${task.priority}`) : null],
    [t('task.progress'), h('span', { id: 'task-progress' }, `${task.progress}%`)],
    [t('task.doneAt'), fmtDateTime(task.done_at)],
    [t('task.evidence'), task.evidence, { id: 'task-evidence' }],
    [t('task.cause'), task.cause, { id: 'task-cause' }],
  ]),
  actions.length ? h('section', { id: 'task-actions', 'aria-label': t('d.actions') }, actions) : null,
  h('section', { 'aria-labelledby': 'reports-title' }, h('h2', { id: 'reports-title' }, t('task.reports')),
    (task.reports || []).length ? h('ol', { id: 'report-list' }, task.reports.map((x) => h('li', null,
      h('strong', null, `${fmtDateTime(x.at)} · ${x.account_name || ''}`),
      x.percent !== null && x.percent !== undefined ? ` · ${x.percent}%` : '', x.value !== null && x.value !== undefined ? ` · ${x.value}` : '',
      h('br'), x.note))) : h('p', null, t('task.noReports'))),
  adjItems.length ? h('section', { 'aria-labelledby': 'adj-title' }, h('h2', { id: 'adj-title' }, t('task.adjustments')),
    h('ul', { class: 'cards', id: 'adjustment-list' }, adjItems)) : null,
  (task.history || []).length ? h('details', { id: 'task-history' }, h('summary', null, t('task.history')),
    h('ol', null, task.history.map((x) => h('li', null, `${fmtDateTime(x.at)} · ${t(`hist.${x.action}`) === `hist.${x.action}` ? x.action : t(`hist.${x.action}`)}`)))) : null);
}

// ------------------------------------------------------------------ per-unit report

async function pageTaskReport(params) {
  requireRole(OFFICIAL_ROLES);
  const unitId = params.get('unit') || (S.me.unit_id ? String(S.me.unit_id) : '');
  const query = { from: params.get('from') || '', to: params.get('to') || '' };
  if (!query.from || !query.to) {
    // the report needs a period: default to the current year (server clock)
    const year = (await api('GET', '/health')).time.slice(0, 4);
    query.from = query.from || `${year}-01-01`;
    query.to = query.to || `${year}-12-31`;
  }
  const picker = unitPicker(t('rep.unit'), { id: 'rep-unit' });
  const units = unitId ? await unitNames([Number(unitId)]) : new Map();
  if (unitId && units.get(Number(unitId))) {
    picker.sel.append(h('option', { value: unitId }, unitLabel(units, Number(unitId))));
    picker.sel.value = unitId;
  }
  const err = h('div', { 'aria-live': 'assertive' });
  const form = h('form', {
    id: 'report-filters',
    onsubmit: (e) => {
      e.preventDefault();
      const fd = new FormData(form);
      if (!picker.sel.value) { err.replaceChildren(msg(t('rep.needUnit'))); return; }
      const q = { unit: picker.sel.value };
      for (const k of ['from', 'to']) {
        const raw = (fd.get(k) || '').trim();
        if (!raw) continue;
        q[k] = parseDate(raw);
        if (!q[k]) { err.replaceChildren(msg(t('dir.badDate'))); return; }
      }
      navigate('/nhiem-vu/bao-cao' + qs(q));
    },
  }, picker.node, h('div', { class: 'filters' },
    dateField(t('rep.from'), { name: 'from', id: 'rep-from', value: query.from, required: true }),
    dateField(t('rep.to'), { name: 'to', id: 'rep-to', value: query.to, required: true })), err,
  h('button', { type: 'submit' }, t('rep.show')));
  let body = null;
  if (unitId) {
    try {
      const r = await api('GET', `/units/${unitId}/task-report` + qs(query));
      const xlsx = `/api/v1/units/${unitId}/task-report` + qs({ ...query, format: 'xlsx' });
      const pdf = `/api/v1/units/${unitId}/task-report` + qs({ ...query, format: 'pdf' });
      body = h('section', { id: 'task-report', 'aria-labelledby': 'rep-unit-title' },
        h('h2', { id: 'rep-unit-title' }, `${r.unit_name} (${r.unit_code})`),
        h('p', { class: 'meta' }, `${fmtDate(r.from)} – ${fmtDate(r.to)}`),
        h('p', { role: 'status', id: 'rep-total' }, h('strong', null, t('rep.total', { n: r.total })), ' · ', t('rep.due', { n: r.due }), ' · ',
          t('rep.rate', { r: r.completion_rate === null || r.completion_rate === undefined ? t('rep.noRate') : `${Math.round(r.completion_rate * 1000) / 10}%` })),
        h('p', null, h('a', { href: xlsx, download: '', id: 'xlsx-download', class: 'button secondary' }, t('rep.xlsx')), ' ',
          h('a', { href: pdf, target: '_blank', rel: 'noopener', id: 'pdf-download', class: 'button secondary' }, t('rep.pdf'))),
        h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-labelledby': 'rep-unit-title' }, h('table', { id: 'rep-status' },
          h('thead', null, h('tr', null, h('th', { scope: 'col' }, t('task.status')), h('th', { scope: 'col' }, t('rep.count')))),
          h('tbody', null, STATUSES.map((s) => h('tr', { class: `ts-row ts-${s}` }, h('th', { scope: 'row' }, statusBadge(s)),
            h('td', null, String((r.by_status || {})[s] || 0))))))),
        h('h3', null, t('rep.late')),
        (r.late_tasks || []).length ? h('ul', { class: 'cards', id: 'rep-late' }, r.late_tasks.map((x) => h('li', { class: 'card' },
          h('a', { href: `/nhiem-vu/${x.id}`, class: 'card-title' }, x.title || `#${x.id}`),
          h('p', { class: 'meta' }, `${t('task.deadline')}: ${fmtDate(x.deadline_original || x.deadline)}`, x.status ? [' · ', statusBadge(x.status)] : null),
          h('p', null, `${t('task.cause')}: ${x.cause || '-'}`)))) : h('p', null, t('rep.noLate')));
    } catch (e) { body = msg(errText(e)); }
  }
  return h('div', null, h('h1', null, t('rep.title')), form, body);
}

export const taskRoutes = [
  [/^\/chi-dao$/, pageDirectives],
  [/^\/chi-dao\/(\d+)$/, pageDirective],
  [/^\/nhiem-vu$/, pageTasks],
  [/^\/nhiem-vu\/bao-cao$/, pageTaskReport],
  [/^\/nhiem-vu\/(\d+)$/, pageTask],
];
