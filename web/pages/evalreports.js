// pages/evalreports.js - the evaluation reports of a unit (báo cáo đánh
// giá) for leaders, inspectors and administrators, for a period (month,
// quarter, year) and a unit (inspectors and administrators pick one;
// leaders see their own): the scorecard, the Decision 766 index with the
// dossiers behind its system indicators, TT 01/2018 scores of the unit and
// its officials, and (administrators) the entry of an external 766
// indicator. The period and unit form, tables, sections and Excel links
// are the dashboard's (pages/dashboard.js).
import { t, extend, fmtDateTime } from '/i18n.js';
import { api, qs } from '/api.js';
import { h, field, dl, msg, errText } from '/ui.js';
import { S, requireRole, unitNames } from '/app.js';
import { pct, num, table, excelLink, section, parsePeriod, periodLabel, periodForm } from '/pages/dashboard.js';

const ROUTE = '/lanh-dao/danh-gia';
const DRILL_LIMIT = 20;
const UNIT_CRITERIA = ['1', '2', '3', '4', '5', '6', '7', '8', '9'];
const OFFICIAL_CRITERIA = ['1', '2', '3', '4', '7'];

extend({
  'nav.evalReports': 'Báo cáo đánh giá',
  'er.title': 'Báo cáo đánh giá',
  'er.intro': 'Kết quả đánh giá của đơn vị (gồm các đơn vị trực thuộc) trong kỳ: Bộ chỉ số Quyết định 766/QĐ-TTg, Thông tư 01/2018/TT-VPCP, mức độ hài lòng của người dân và nhiệm vụ được giao.',
  'er.card': 'Tổng hợp kết quả đánh giá',
  'er.card.766': 'Chỉ số 766: tổng điểm',
  'er.card.tt01': 'TT 01/2018: tổng điểm',
  'er.card.band': 'TT 01/2018: xếp loại',
  'er.card.sat': 'Hài lòng của người dân',
  'er.card.satText': '{r} (rất hài lòng {v}, hài lòng {s}, không hài lòng {d})',
  'er.card.tasks': 'Nhiệm vụ được giao',
  'er.card.tasksTotal': 'Tổng số nhiệm vụ',
  'er.card.onTime': 'Hoàn thành đúng hạn',
  'er.card.late': 'Hoàn thành quá hạn',
  'er.card.overdue': 'Quá hạn chưa hoàn thành',
  'er.card.rate': 'Tỷ lệ hoàn thành đúng hạn',
  'er.766': 'Bộ chỉ số Quyết định 766',
  'er.766.total': 'Tổng điểm: {p} / {m} ({n} hồ sơ)',
  'er.group': 'Nhóm {n}. {name}: {p} / {m} điểm',
  'er.col.id': 'Mã',
  'er.col.name': 'Chỉ số',
  'er.col.numDen': 'Tử số / mẫu số',
  'er.col.rate': 'Tỷ lệ',
  'er.col.points': 'Điểm / tối đa',
  'er.col.source': 'Nguồn số liệu',
  'er.col.drill': 'Hồ sơ',
  'er.src.system': 'Hệ thống tính',
  'er.src.manual': 'Nhập thủ công',
  'er.src.missing': 'Chưa có số liệu',
  'er.drill.den': 'Tất cả',
  'er.drill.miss': 'Chưa đạt',
  'er.drill.denOf': 'Hồ sơ của chỉ số {id} (tất cả)',
  'er.drill.missOf': 'Hồ sơ của chỉ số {id} (chưa đạt)',
  'er.drill.count': '{n} hồ sơ; hiển thị {a}-{b}.',
  'er.drill.prev': 'Trang trước',
  'er.drill.next': 'Trang sau',
  'er.col.code': 'Mã hồ sơ',
  'er.col.procedure': 'Thủ tục',
  'er.col.status': 'Trạng thái',
  'er.col.received': 'Tiếp nhận',
  'er.col.finished': 'Hoàn thành',
  'er.col.due': 'Hẹn trả',
  'er.col.onTime': 'Đúng hạn',
  'er.yes': 'Có',
  'er.no': 'Không',
  'er.tt01': 'Thông tư 01/2018/TT-VPCP',
  'er.tt01.unit': 'Điểm của đơn vị',
  'er.tt01.total': 'Tổng điểm: {p} / {m}; xếp loại: {b} ({n} hồ sơ)',
  'er.col.criterion': 'Tiêu chí',
  'er.col.score': 'Điểm',
  'er.crit': 'Tiêu chí {n}',
  'er.tt01.officials': 'Điểm của cán bộ, công chức',
  'er.col.official': 'Cán bộ',
  'er.col.dossiers': 'Số hồ sơ',
  'er.col.total': 'Tổng điểm',
  'er.col.band': 'Xếp loại',
  'er.noOfficials': 'Chưa có hồ sơ hoàn thành trong kỳ.',
  'er.manual': 'Nhập chỉ số 766 bên ngoài hệ thống',
  'er.manual.hint': 'Áp dụng cho đơn vị {u}, kỳ {p}. Số liệu nhập thay cho số liệu đã nhập trước đó của cùng kỳ.',
  'er.manual.indicator': 'Chỉ số',
  'er.manual.num': 'Tử số',
  'er.manual.den': 'Mẫu số',
  'er.manual.note': 'Ghi chú',
  'er.manual.save': 'Lưu chỉ số',
  'er.manual.saved': 'Đã lưu chỉ số {id}.',
}, {
  'nav.evalReports': 'Evaluation reports',
  'er.title': 'Evaluation reports',
  'er.intro': 'Evaluation of the unit (with its sub-units) in the period: the Decision 766 index, Circular 01/2018, citizens\' satisfaction and directive tasks.',
  'er.card': 'Scorecard',
  'er.card.766': 'Decision 766: total',
  'er.card.tt01': 'Circular 01/2018: total',
  'er.card.band': 'Circular 01/2018: band',
  'er.card.sat': 'Citizens\' satisfaction',
  'er.card.satText': '{r} (very satisfied {v}, satisfied {s}, dissatisfied {d})',
  'er.card.tasks': 'Directive tasks',
  'er.card.tasksTotal': 'Tasks',
  'er.card.onTime': 'Done on time',
  'er.card.late': 'Done late',
  'er.card.overdue': 'Overdue, not done',
  'er.card.rate': 'On-time rate',
  'er.766': 'Decision 766 index',
  'er.766.total': 'Total: {p} / {m} ({n} dossiers)',
  'er.group': 'Group {n}. {name}: {p} / {m} points',
  'er.col.id': 'Id',
  'er.col.name': 'Indicator',
  'er.col.numDen': 'Numerator / denominator',
  'er.col.rate': 'Rate',
  'er.col.points': 'Points / max',
  'er.col.source': 'Source',
  'er.col.drill': 'Dossiers',
  'er.src.system': 'Computed by the system',
  'er.src.manual': 'Entered manually',
  'er.src.missing': 'No data',
  'er.drill.den': 'All',
  'er.drill.miss': 'Missed',
  'er.drill.denOf': 'Dossiers of indicator {id} (all)',
  'er.drill.missOf': 'Dossiers of indicator {id} (missed)',
  'er.drill.count': '{n} dossiers; showing {a}-{b}.',
  'er.drill.prev': 'Previous page',
  'er.drill.next': 'Next page',
  'er.col.code': 'Code',
  'er.col.procedure': 'Procedure',
  'er.col.status': 'Status',
  'er.col.received': 'Received',
  'er.col.finished': 'Finished',
  'er.col.due': 'Due',
  'er.col.onTime': 'On time',
  'er.yes': 'Yes',
  'er.no': 'No',
  'er.tt01': 'Circular 01/2018/TT-VPCP',
  'er.tt01.unit': 'Scores of the unit',
  'er.tt01.total': 'Total: {p} / {m}; band: {b} ({n} dossiers)',
  'er.col.criterion': 'Criterion',
  'er.col.score': 'Score',
  'er.crit': 'Criterion {n}',
  'er.tt01.officials': 'Scores of the officials',
  'er.col.official': 'Official',
  'er.col.dossiers': 'Dossiers',
  'er.col.total': 'Total',
  'er.col.band': 'Band',
  'er.noOfficials': 'No dossier finished in the period.',
  'er.manual': 'Enter an external Decision 766 indicator',
  'er.manual.hint': 'For unit {u}, period {p}. The entry replaces an earlier one of the same period.',
  'er.manual.indicator': 'Indicator',
  'er.manual.num': 'Numerator',
  'er.manual.den': 'Denominator',
  'er.manual.note': 'Note',
  'er.manual.save': 'Save indicator',
  'er.manual.saved': 'Indicator {id} saved.',
});

// ------------------------------------------------------------------ scorecard

async function cardSection(query) {
  const r = await api('GET', '/evaluation/scorecard' + qs(query));
  const s = r.satisfaction;
  const tk = r.tasks;
  return [
    h('p', { class: 'hint' }, t('db.unitOf', { u: `${r.unit.name} (${r.unit.code})` })),
    h('div', { id: 'er-card-facts' }, dl([
      [t('er.card.766'), `${num(r.i766.total)} / ${num(r.i766.max)}`, { 'data-k': '766' }],
      [t('er.card.tt01'), num(r.tt01.total), { 'data-k': 'tt01' }],
      [t('er.card.band'), r.tt01.band_name || t('db.none'), { 'data-k': 'band' }],
      [t('er.card.sat'), t('er.card.satText', { r: pct(s.rate), v: s.very, s: s.satisfied, d: s.dissatisfied }), { 'data-k': 'sat' }],
    ])),
    h('h3', null, t('er.card.tasks')),
    h('div', { id: 'er-card-tasks' }, dl([
      [t('er.card.tasksTotal'), num(tk.total), { 'data-k': 'total' }],
      [t('er.card.onTime'), num(tk.done_on_time), { 'data-k': 'done_on_time' }],
      [t('er.card.late'), num(tk.done_late), { 'data-k': 'done_late' }],
      [t('er.card.overdue'), num(tk.overdue), { 'data-k': 'overdue' }],
      [t('er.card.rate'), pct(tk.on_time_rate), { 'data-k': 'rate' }],
    ])),
    excelLink('/evaluation/scorecard', query, t('er.card')),
  ];
}

// ------------------------------------------------------------------ 766

// The dossiers behind indicator id (part den or miss), a page at a time,
// drawn into box.
async function drill(box, query, id, part, offset) {
  const q = { ...query, indicator: id, part };
  const title = t(part === 'miss' ? 'er.drill.missOf' : 'er.drill.denOf', { id });
  box.replaceChildren(h('h3', { id: 'er-drill-h', tabindex: '-1' }, title), h('p', { class: 'loading' }, t('common.loading')));
  box.setAttribute('aria-busy', 'true');
  box.hidden = false;
  box.querySelector('h3').focus();
  let r;
  try {
    r = await api('GET', '/evaluation/766/dossiers' + qs({ ...q, limit: DRILL_LIMIT, offset }));
  } catch (e) {
    box.replaceChildren(box.firstChild, msg(errText(e)));
    box.removeAttribute('aria-busy');
    return;
  }
  const yn = (v) => (v === null || v === undefined ? t('db.none') : t(v ? 'er.yes' : 'er.no'));
  const rows = r.items.map((it) => h('tr', { 'data-id': it.id },
    h('th', { scope: 'row' }, h('a', { href: `/ho-so/${it.id}` }, it.code || `#${it.id}`)),
    h('td', null, it.procedure || t('db.none')), h('td', null, it.status ? t(`state.${it.status}`) : t('db.none')),
    h('td', null, it.received_at ? fmtDateTime(it.received_at) : t('db.none')),
    h('td', null, it.finished_at ? fmtDateTime(it.finished_at) : t('db.none')),
    h('td', null, it.due_at ? fmtDateTime(it.due_at) : t('db.none')), h('td', null, yn(it.on_time))));
  const page = (o) => () => drill(box, query, id, part, o);
  const pager = h('div', { class: 'pager' },
    offset > 0 ? h('button', { type: 'button', id: 'er-drill-prev', onclick: page(Math.max(0, offset - DRILL_LIMIT)) }, t('er.drill.prev')) : null,
    offset + r.items.length < r.total ? h('button', { type: 'button', id: 'er-drill-next', onclick: page(offset + DRILL_LIMIT) }, t('er.drill.next')) : null);
  box.replaceChildren(box.firstChild,
    h('p', { id: 'er-drill-count', role: 'status' }, r.items.length
      ? t('er.drill.count', { n: r.total, a: offset + 1, b: offset + r.items.length }) : t('db.noData')),
    rows.length ? table('er-drill-table', title, [t('er.col.code'), t('er.col.procedure'), t('er.col.status'), t('er.col.received'),
      t('er.col.finished'), t('er.col.due'), t('er.col.onTime')], rows) : null,
    pager, excelLink('/evaluation/766/dossiers', q, title));
  box.removeAttribute('aria-busy');
}

async function i766Section(query, r766) {
  const r = await r766;
  const box = h('div', { id: 'er-drill', class: 'drill', hidden: true });
  const parts = (ind) => (ind.id === '2.2' ? ['den'] : ['den', 'miss']);
  const groups = r.groups.map((g) => {
    const caption = t('er.group', { n: g.no, name: g.name, p: num(g.points), m: num(g.max) });
    const rows = g.indicators.map((ind) => h('tr', { 'data-ind': ind.id, 'data-source': ind.source },
      h('th', { scope: 'row' }, ind.id), h('td', null, ind.name),
      h('td', null, ind.num === null ? t('db.none') : `${num(ind.num)} / ${num(ind.den)}`),
      h('td', null, pct(ind.rate)), h('td', null, `${num(ind.points)} / ${num(ind.max)}`),
      h('td', { class: 'source' }, t(`er.src.${ind.source}`)),
      h('td', null, ind.drill ? parts(ind).map((p) => h('button', {
        type: 'button', class: 'link-btn drill-btn', 'data-part': p,
        'aria-label': t(p === 'miss' ? 'er.drill.missOf' : 'er.drill.denOf', { id: ind.id }),
        onclick: () => drill(box, query, ind.id, p, 0),
      }, t(`er.drill.${p}`))) : null)));
    return [h('h3', null, caption), table(`er-766-g${g.no}`, caption, [t('er.col.id'), t('er.col.name'), t('er.col.numDen'),
      t('er.col.rate'), t('er.col.points'), t('er.col.source'), t('er.col.drill')], rows)];
  });
  return [
    h('p', { id: 'er-766-total' }, t('er.766.total', { p: num(r.total), m: num(r.max), n: num(r.dossiers) })),
    ...groups.flat(), box, excelLink('/evaluation/766', query, t('er.766')),
  ];
}

// ------------------------------------------------------------------ TT 01

async function tt01Section(query) {
  const r = await api('GET', '/evaluation/tt01' + qs(query));
  const u = r.unit_score;
  const unitRows = UNIT_CRITERIA.map((c) => h('tr', { 'data-crit': c },
    h('th', { scope: 'row' }, t('er.crit', { n: c })), h('td', null, num(u.criteria[c]))));
  const offRows = r.officials.map((o) => h('tr', { 'data-official': o.account.id },
    h('th', { scope: 'row' }, o.account.full_name || o.account.username), h('td', null, num(o.dossiers)),
    OFFICIAL_CRITERIA.map((c) => h('td', null, num(o.criteria[c]))),
    h('td', null, `${num(o.total)} / ${num(o.max)}`), h('td', null, o.band_name)));
  return [
    h('h3', null, t('er.tt01.unit')),
    h('p', { id: 'er-tt01-total' }, t('er.tt01.total', { p: num(u.total), m: num(u.max), b: u.band_name, n: num(r.dossiers) })),
    table('er-tt01-unit', t('er.tt01.unit'), [t('er.col.criterion'), t('er.col.score')], unitRows),
    h('h3', null, t('er.tt01.officials')),
    offRows.length ? table('er-tt01-officials', t('er.tt01.officials'), [t('er.col.official'), t('er.col.dossiers'),
      ...OFFICIAL_CRITERIA.map((c) => t('er.crit', { n: c })), t('er.col.total'), t('er.col.band')], offRows)
      : h('p', { id: 'er-tt01-none' }, t('er.noOfficials')),
    excelLink('/evaluation/tt01', query, t('er.tt01')),
  ];
}

// ------------------------------------------------------------------ manual entry (administrators)

async function manualSection(r766, onSaved) {
  const r = await r766;
  const ext = r.groups.flatMap((g) => g.indicators).filter((ind) => ind.source === 'manual' || ind.source === 'missing');
  const status = h('div', { id: 'er-manual-msg' });
  const ind = field(t('er.manual.indicator'), 'select', { id: 'er-manual-ind', required: true },
    ext.map((i) => h('option', { value: i.id }, `${i.id} - ${i.name} (${t(`er.src.${i.source}`)})`)));
  const numF = field(t('er.manual.num'), 'number', { id: 'er-manual-num', min: 0, step: 1, required: true, inputmode: 'numeric' });
  const denF = field(t('er.manual.den'), 'number', { id: 'er-manual-den', min: 0, step: 1, required: true, inputmode: 'numeric' });
  const note = field(t('er.manual.note'), 'textarea', { id: 'er-manual-note', maxlength: 500, rows: 2 });
  const form = h('form', {
    id: 'er-manual-form',
    onsubmit: async (e) => {
      e.preventDefault();
      const el = (id) => form.querySelector(`#${id}`);
      const body = {
        unit: r.unit.id, period: r.period.label, indicator: el('er-manual-ind').value,
        num: Number(el('er-manual-num').value), den: Number(el('er-manual-den').value),
      };
      if (el('er-manual-note').value.trim()) body.note = el('er-manual-note').value.trim();
      const btn = el('er-manual-save');
      btn.disabled = true;
      try {
        await api('PUT', '/evaluation/766/manual', body);
        status.replaceChildren(msg(t('er.manual.saved', { id: body.indicator }), 'ok'));
        onSaved();
      } catch (err) {
        status.replaceChildren(msg(errText(err)));
      } finally {
        btn.disabled = false;
      }
    },
  },
  h('p', { class: 'hint' }, t('er.manual.hint', { u: `${r.unit.name} (${r.unit.code})`, p: r.period.label })),
  ind, numF, denF, note, h('button', { type: 'submit', id: 'er-manual-save' }, t('er.manual.save')));
  return [form, status];
}

// ------------------------------------------------------------------ page

async function pageEvalReports(params) {
  requireRole(['leader', 'inspector', 'admin']);
  // no period in the address: the server's current month
  const pp = params.get('period') ? parsePeriod(params.get('period')) : null;
  const period = pp ? periodLabel(pp) : undefined;
  const unitId = /^\d+$/.test(params.get('unit') || '') ? Number(params.get('unit')) : null;
  const canPick = ['inspector', 'admin'].includes(S.me.role);
  const query = { unit: canPick ? unitId : (unitId || S.me.unit_id || null), period };
  const picked = canPick && unitId ? (await unitNames([unitId])).get(unitId) : null;
  const { form } = periodForm(pp || parsePeriod(null), picked, canPick, ROUTE);

  const card = section('er-card', t('er.card'), () => cardSection(query));
  let r766 = api('GET', '/evaluation/766' + qs(query));
  r766.catch(() => {});
  let i766 = section('er-766', t('er.766'), () => i766Section(query, r766));
  // after a manual entry the 766 index is drawn again
  const redraw = () => {
    r766 = api('GET', '/evaluation/766' + qs(query));
    r766.catch(() => {});
    const fresh = section('er-766', t('er.766'), () => i766Section(query, r766));
    i766.node.replaceWith(fresh.node);
    i766 = fresh;
  };
  const tt01 = section('er-tt01', t('er.tt01'), () => tt01Section(query));
  const manual = S.me.role === 'admin' ? section('er-manual', t('er.manual'), () => manualSection(r766, redraw)) : null;
  return h('div', { class: 'dashboard eval-reports' },
    h('h1', null, t('er.title')), h('p', { class: 'lead' }, t('er.intro')), form,
    h('p', { class: 'hint', id: 'er-period' }, t('db.period', { p: period || t('db.thisMonth') })),
    h('div', { class: 'dash-grid' }, card.node, i766.node, tt01.node, manual ? manual.node : null));
}

export const evalReportRoutes = [
  [/^\/lanh-dao\/danh-gia$/, pageEvalReports],
];
