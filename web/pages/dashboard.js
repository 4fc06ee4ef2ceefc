// pages/dashboard.js - the leadership dashboard (bảng điều khiển lãnh đạo):
// on-time trend, ranking of units, Decision 766 groups per unit, worst
// hand-over steps and open dossiers near due, for a period (month, quarter,
// year) and a unit (inspectors and administrators pick one; leaders see
// their own). Charts are drawn by Chart.js (npm, served from /vendor/),
// each with a text alternative and the table of its figures beside it;
// every table has an Excel link (?format=xlsx).
import { t, extend, getLang, fmtDateTime } from '/i18n.js';
import { api, qs } from '/api.js';
import { h, msg, errText } from '/ui.js';
import { S, navigate, requireRole, unitPicker, unitNames } from '/app.js';

extend({
  'nav.dashboard': 'Bảng điều khiển',
  'db.title': 'Bảng điều khiển lãnh đạo',
  'db.intro': 'Số liệu đúng hạn, xếp hạng, chỉ số Quyết định 766, bước xử lý chậm và hồ sơ sắp đến hạn của đơn vị (gồm các đơn vị trực thuộc).',
  'db.kind': 'Kỳ báo cáo',
  'db.kind.month': 'Tháng',
  'db.kind.quarter': 'Quý',
  'db.kind.year': 'Năm',
  'db.year': 'Năm',
  'db.month': 'Tháng',
  'db.quarter': 'Quý',
  'db.unit': 'Đơn vị',
  'db.unitDefault': 'Đơn vị mặc định (toàn tỉnh)',
  'db.show': 'Xem',
  'db.excel': 'Tải Excel',
  'db.excelOf': 'Tải Excel: {what}',
  'db.period': 'Kỳ: {p}',
  'db.thisMonth': 'tháng hiện tại',
  'db.unitOf': 'Đơn vị: {u}',
  'db.noData': 'Chưa có số liệu trong kỳ.',
  'db.chartAlt': 'Biểu đồ; số liệu có trong bảng bên dưới. {s}',
  'db.trend': 'Xu hướng giải quyết đúng hạn (12 tháng)',
  'db.trendSum': 'Tháng {m}: tiếp nhận {r}, giải quyết {f}, đúng hạn {o} ({p}).',
  'db.col.month': 'Tháng',
  'db.col.received': 'Tiếp nhận',
  'db.col.finished': 'Đã giải quyết',
  'db.col.onTime': 'Đúng hạn',
  'db.col.rate': 'Tỷ lệ đúng hạn',
  'db.col.online': 'Nộp trực tuyến',
  'db.ranking': 'Xếp hạng đơn vị (Bộ chỉ số 766)',
  'db.col.rank': 'Hạng',
  'db.col.unit': 'Đơn vị',
  'db.col.total': 'Tổng điểm',
  'db.col.group': 'Nhóm {n}',
  'db.col.sample': 'Số hồ sơ',
  'db.insufficient': 'Chưa đủ mẫu',
  'db.minSample': 'Đơn vị có ít hơn {n} hồ sơ được ghi "chưa đủ mẫu" và không xếp hạng.',
  'db.groups': 'Điểm 5 nhóm chỉ số 766 theo đơn vị',
  'db.groupsSum': '{u}: {s} điểm.',
  'db.g1': 'Công khai, minh bạch',
  'db.g2': 'Tiến độ, kết quả giải quyết',
  'db.g3': 'Số hóa hồ sơ',
  'db.g4': 'Cung cấp dịch vụ trực tuyến',
  'db.g5': 'Mức độ hài lòng',
  'db.steps': 'Bước xử lý chậm nhất',
  'db.col.step': 'Bước xử lý',
  'db.col.official': 'Cán bộ',
  'db.col.steps': 'Số lượt',
  'db.col.late': 'Trễ',
  'db.col.lateRate': 'Tỷ lệ trễ',
  'db.col.delay': 'Tổng giờ trễ',
  'db.col.avgDelay': 'Giờ trễ/lượt',
  'db.stepsSum': '{s}: {d} giờ trễ.',
  'db.nearDue': 'Hồ sơ sắp đến hạn, quá hạn (48 giờ)',
  'db.col.code': 'Mã hồ sơ',
  'db.col.procedure': 'Thủ tục',
  'db.col.holder': 'Người xử lý',
  'db.col.status': 'Trạng thái',
  'db.col.due': 'Hạn',
  'db.col.left': 'Còn lại',
  'db.hoursLeft': 'còn {n} giờ',
  'db.hoursOver': 'quá {n} giờ',
  'db.none': '-',
}, {
  'nav.dashboard': 'Dashboard',
  'db.title': 'Leadership dashboard',
  'db.intro': 'On-time figures, ranking, Decision 766 index, slowest steps and dossiers near due for the unit (with its sub-units).',
  'db.kind': 'Period',
  'db.kind.month': 'Month',
  'db.kind.quarter': 'Quarter',
  'db.kind.year': 'Year',
  'db.year': 'Year',
  'db.month': 'Month',
  'db.quarter': 'Quarter',
  'db.unit': 'Unit',
  'db.unitDefault': 'Default unit (whole province)',
  'db.show': 'Show',
  'db.excel': 'Download Excel',
  'db.excelOf': 'Download Excel: {what}',
  'db.period': 'Period: {p}',
  'db.thisMonth': 'this month',
  'db.unitOf': 'Unit: {u}',
  'db.noData': 'No data in this period.',
  'db.chartAlt': 'Chart; its figures are in the table below. {s}',
  'db.trend': 'On-time trend (12 months)',
  'db.trendSum': 'Month {m}: received {r}, finished {f}, on time {o} ({p}).',
  'db.col.month': 'Month',
  'db.col.received': 'Received',
  'db.col.finished': 'Finished',
  'db.col.onTime': 'On time',
  'db.col.rate': 'On-time rate',
  'db.col.online': 'Online',
  'db.ranking': 'Ranking of units (Decision 766 index)',
  'db.col.rank': 'Rank',
  'db.col.unit': 'Unit',
  'db.col.total': 'Total',
  'db.col.group': 'Group {n}',
  'db.col.sample': 'Dossiers',
  'db.insufficient': 'Too few dossiers',
  'db.minSample': 'Units with fewer than {n} dossiers are marked "too few dossiers" and not ranked.',
  'db.groups': 'Decision 766: the 5 groups per unit',
  'db.groupsSum': '{u}: {s} points.',
  'db.g1': 'Publicity, transparency',
  'db.g2': 'Progress and results',
  'db.g3': 'Digitisation',
  'db.g4': 'Online services',
  'db.g5': 'Satisfaction',
  'db.steps': 'Slowest hand-over steps',
  'db.col.step': 'Step',
  'db.col.official': 'Official',
  'db.col.steps': 'Steps',
  'db.col.late': 'Late',
  'db.col.lateRate': 'Late rate',
  'db.col.delay': 'Hours late',
  'db.col.avgDelay': 'Hours late/step',
  'db.stepsSum': '{s}: {d} hours late.',
  'db.nearDue': 'Dossiers near due or overdue (48 hours)',
  'db.col.code': 'Code',
  'db.col.procedure': 'Procedure',
  'db.col.holder': 'Holder',
  'db.col.status': 'Status',
  'db.col.due': 'Due',
  'db.col.left': 'Left',
  'db.hoursLeft': '{n} h left',
  'db.hoursOver': '{n} h overdue',
  'db.none': '-',
});

const GROUP_COLORS = ['#1d4ed8', '#15803d', '#b45309', '#7c3aed', '#be123c'];
const KINDS = ['month', 'quarter', 'year'];

// ------------------------------------------------------------------ Chart.js

let chartLib = null;
function loadChartJs() {
  if (window.Chart) return Promise.resolve(window.Chart);
  if (!chartLib) {
    chartLib = new Promise((resolve, reject) => {
      const s = document.createElement('script');
      s.src = '/vendor/chart.umd.js';
      s.onload = () => resolve(window.Chart);
      s.onerror = () => { chartLib = null; reject(new Error('chart.umd.js')); };
      document.head.append(s);
    });
  }
  return chartLib;
}

// Charts of the page on screen; destroyed when the page is drawn again.
let charts = [];
function dropCharts() {
  for (const c of charts) c.destroy();
  charts = [];
}

// A chart in a sized box; its canvas is an image whose text alternative
// summarises the figures (the full table follows it).
async function chartBox(id, summary, config) {
  const canvas = h('canvas', { id, role: 'img', 'aria-label': t('db.chartAlt', { s: summary }) });
  const box = h('div', { class: 'chart-box' }, canvas);
  try {
    const Chart = await loadChartJs();
    config.options = { responsive: true, maintainAspectRatio: false, animation: false, ...config.options };
    charts.push(new Chart(canvas, config));
  } catch (e) {
    box.replaceChildren(msg(errText(e)));
  }
  return box;
}

// ------------------------------------------------------------------ helpers

export function pct(v) {
  if (v === null || v === undefined) return t('db.none');
  return `${(v * 100).toLocaleString(getLang() === 'vi' ? 'vi-VN' : 'en-GB', { maximumFractionDigits: 1 })}%`;
}

export function num(v) {
  if (v === null || v === undefined) return t('db.none');
  return Number(v).toLocaleString(getLang() === 'vi' ? 'vi-VN' : 'en-GB', { maximumFractionDigits: 2 });
}

export function table(id, caption, heads, rows) {
  return h('div', { class: 'table-wrap' }, h('table', { id, class: 'dash-table' },
    h('caption', { class: 'sr-only' }, caption),
    h('thead', null, h('tr', null, heads.map((x) => h('th', { scope: 'col' }, x)))),
    h('tbody', null, rows)));
}

export function excelLink(path, query, what) {
  return h('a', {
    class: 'excel', href: `/api/v1${path}${qs({ ...query, format: 'xlsx' })}`, download: '',
    'aria-label': t('db.excelOf', { what }),
  }, t('db.excel'));
}

// A section whose content loads on its own; a failure shows its message
// in the section only.
export function section(id, title, load) {
  const body = h('div', { class: 'dash-body', 'aria-busy': 'true' }, h('p', { class: 'loading' }, t('common.loading')));
  const node = h('section', { class: 'dash-section card', id, 'aria-labelledby': `${id}-h` },
    h('h2', { id: `${id}-h` }, title), body);
  (async () => {
    let kids;
    try { kids = await load(); } catch (e) { kids = [msg(errText(e))]; }
    body.replaceChildren(...[].concat(kids).filter(Boolean));
    body.removeAttribute('aria-busy');
  })();
  return { node };
}

// Category axis labels cut to fit a phone; the tooltip and the table
// carry the full text.
function shortTick(value) {
  const s = this.getLabelForValue(value);
  return s.length > 22 ? `${s.slice(0, 21)}…` : s;
}

function monthLabel(m) {
  const [y, mo] = m.split('-');
  return `${mo}/${y}`;
}

// The period of the query (?period=2026-10 | 2026-Q3 | 2026), else the
// browser's month (only to pre-fill the form).
export function parsePeriod(p) {
  const now = new Date();
  const cur = { kind: 'month', year: now.getFullYear(), sub: now.getMonth() + 1 };
  let m;
  if (!p) return cur;
  if ((m = /^(\d{4})-(\d{2})$/.exec(p))) return { kind: 'month', year: +m[1], sub: +m[2] };
  if ((m = /^(\d{4})-[Qq]([1-4])$/.exec(p))) return { kind: 'quarter', year: +m[1], sub: +m[2] };
  if ((m = /^(\d{4})$/.exec(p))) return { kind: 'year', year: +m[1], sub: 1 };
  return cur;
}

export function periodLabel(pp) {
  if (pp.kind === 'year') return String(pp.year);
  if (pp.kind === 'quarter') return `${pp.year}-Q${pp.sub}`;
  return `${pp.year}-${String(pp.sub).padStart(2, '0')}`;
}

// Last month of a period, the end of the 12-month trend.
function periodEndMonth(pp) {
  const m = pp.kind === 'year' ? 12 : pp.kind === 'quarter' ? pp.sub * 3 : pp.sub;
  return `${pp.year}-${String(m).padStart(2, '0')}`;
}

// unit: the picked unit (inspectors, administrators) or null; route: the
// page the form opens with ?period=&unit= (default: this dashboard).
export function periodForm(pp, unit, canPick, route = '/lanh-dao/bang-dieu-khien') {
  const kind = h('select', { id: 'db-kind', name: 'kind' },
    KINDS.map((k) => h('option', { value: k, selected: k === pp.kind }, t(`db.kind.${k}`))));
  const year = h('input', { type: 'number', id: 'db-year', name: 'year', min: 2000, max: 2199, value: pp.year, inputmode: 'numeric' });
  const subOpts = (k) => (k === 'quarter' ? [1, 2, 3, 4] : [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  const sub = h('select', { id: 'db-sub', name: 'sub' });
  const subLabel = h('label', { for: 'db-sub' });
  const fillSub = () => {
    const k = kind.value;
    subLabel.textContent = t(k === 'quarter' ? 'db.quarter' : 'db.month');
    sub.replaceChildren(...subOpts(k).map((n) => h('option', { value: n, selected: n === pp.sub }, String(n))));
    sub.parentNode.style.display = k === 'year' ? 'none' : '';
  };
  const subField = h('div', { class: 'field' }, subLabel, sub);
  kind.addEventListener('change', fillSub);
  const picker = canPick ? unitPicker(t('db.unit'), { id: 'db-unit', emptyLabel: t('db.unitDefault') }) : null;
  if (picker && unit) {
    picker.sel.append(h('option', { value: unit.id, selected: true }, `${unit.name} (${unit.code})`));
    picker.sel.value = String(unit.id);
  }
  const form = h('form', {
    class: 'filters', id: 'db-form',
    onsubmit: (e) => {
      e.preventDefault();
      const np = { kind: kind.value, year: Number(year.value) || pp.year, sub: Number(sub.value) || 1 };
      navigate(route + qs({ period: periodLabel(np), unit: picker ? picker.sel.value : '' }));
    },
  },
  h('div', { class: 'field' }, h('label', { for: 'db-kind' }, t('db.kind')), kind),
  h('div', { class: 'field' }, h('label', { for: 'db-year' }, t('db.year')), year),
  subField, picker ? picker.node : null,
  h('button', { type: 'submit', id: 'db-show' }, t('db.show')));
  fillSub();
  return { form, picker };
}

// ------------------------------------------------------------------ sections

async function trendSection(q, pp) {
  const query = { unit: q.unit, to: pp ? periodEndMonth(pp) : undefined };
  const r = await api('GET', '/dashboard/trend' + qs(query));
  const items = r.items;
  const last = items[items.length - 1];
  const summary = last ? t('db.trendSum', { m: monthLabel(last.month), r: last.received, f: last.finished, o: last.on_time, p: pct(last.rate) }) : '';
  const chart = await chartBox('db-trend-chart', summary, {
    data: {
      labels: items.map((it) => monthLabel(it.month)),
      datasets: [
        { type: 'bar', label: t('db.col.received'), data: items.map((it) => it.received), backgroundColor: '#93c5fd', yAxisID: 'y', maxBarThickness: 28 },
        { type: 'bar', label: t('db.col.finished'), data: items.map((it) => it.finished), backgroundColor: '#1d4ed8', yAxisID: 'y', maxBarThickness: 28 },
        { type: 'line', label: t('db.col.rate'), data: items.map((it) => (it.rate === null ? null : Math.round(it.rate * 1000) / 10)),
          borderColor: '#15803d', backgroundColor: '#15803d', yAxisID: 'rate', spanGaps: true },
      ],
    },
    options: { scales: { y: { beginAtZero: true, position: 'left' }, rate: { min: 0, max: 100, position: 'right', grid: { drawOnChartArea: false } } } },
  });
  const rows = items.map((it) => h('tr', { 'data-month': it.month },
    h('th', { scope: 'row' }, monthLabel(it.month)), h('td', null, num(it.received)), h('td', null, num(it.finished)),
    h('td', null, num(it.on_time)), h('td', { class: 'rate' }, pct(it.rate)), h('td', null, num(it.online))));
  return [h('p', { class: 'hint' }, t('db.unitOf', { u: `${r.unit.name} (${r.unit.code})` })), chart,
    table('db-trend-table', t('db.trend'), [t('db.col.month'), t('db.col.received'), t('db.col.finished'), t('db.col.onTime'),
      t('db.col.rate'), t('db.col.online')], rows),
    excelLink('/dashboard/trend', query, t('db.trend'))];
}

async function rankingSection(q, period, rankingP) {
  const query = { parent: q.unit, period };
  const r = await rankingP;
  const rows = r.items.map((it) => h('tr', { 'data-unit': it.unit.id, class: it.insufficient ? 'insufficient' : null },
    h('td', null, it.rank === null ? t('db.none') : String(it.rank)),
    h('th', { scope: 'row' }, it.unit.name),
    h('td', null, num(it.total)),
    (it.groups || []).map((g) => h('td', null, num(g))),
    h('td', null, num(it.sample), it.insufficient ? [' ', h('span', { class: 'badge' }, t('db.insufficient'))] : null)));
  return [
    r.items.length ? table('db-ranking-table', t('db.ranking'), [t('db.col.rank'), t('db.col.unit'), t('db.col.total'),
      ...[1, 2, 3, 4, 5].map((n) => t('db.col.group', { n })), t('db.col.sample')], rows) : h('p', null, t('db.noData')),
    h('p', { class: 'hint' }, t('db.minSample', { n: r.min_sample })),
    excelLink('/evaluation/ranking', query, t('db.ranking')),
  ];
}

// The 766 index of the unit and of the ranked units below it.
async function groupsSection(q, period, rankingUnits) {
  const ids = [q.unit || null, ...rankingUnits.slice(0, 12)];
  const res = await Promise.all(ids.map((id) => api('GET', '/evaluation/766' + qs({ unit: id, period }))));
  const names = res.map((x) => x.unit.name);
  const groupPts = (x, n) => {
    const g = (x.groups || []).find((gg) => gg.no === n);
    return g && g.points !== null ? g.points : 0;
  };
  const summary = res.map((x) => t('db.groupsSum', { u: x.unit.name, s: num(x.total) })).join(' ');
  const chart = await chartBox('db-groups-chart', summary, {
    type: 'bar',
    data: {
      labels: names,
      datasets: [1, 2, 3, 4, 5].map((n) => ({ label: `${n}. ${t(`db.g${n}`)}`, data: res.map((x) => groupPts(x, n)), backgroundColor: GROUP_COLORS[n - 1], maxBarThickness: 32 })),
    },
    options: { indexAxis: 'y', scales: { x: { stacked: true, min: 0, max: 100 }, y: { stacked: true, ticks: { callback: shortTick } } } },
  });
  const rows = res.map((x) => h('tr', { 'data-unit': x.unit.id },
    h('th', { scope: 'row' }, x.unit.name),
    [1, 2, 3, 4, 5].map((n) => {
      const g = (x.groups || []).find((gg) => gg.no === n);
      return h('td', null, g ? `${num(g.points)} / ${num(g.max)}` : t('db.none'));
    }),
    h('td', null, `${num(x.total)} / ${num(x.max)}`), h('td', null, num(x.dossiers))));
  return [chart, table('db-groups-table', t('db.groups'), [t('db.col.unit'), ...[1, 2, 3, 4, 5].map((n) => `${n}. ${t(`db.g${n}`)}`),
    t('db.col.total'), t('db.col.sample')], rows),
  excelLink('/evaluation/766', { unit: q.unit, period }, t('db.groups'))];
}

async function stepsSection(q, period) {
  const query = { unit: q.unit, period, limit: 10 };
  const r = await api('GET', '/dashboard/steps' + qs(query));
  if (!r.items.length) return [h('p', { id: 'db-steps-empty' }, t('db.noData')), excelLink('/dashboard/steps', query, t('db.steps'))];
  const label = (it) => `${it.step} - ${it.official ? it.official.full_name : it.unit.name}`;
  const chart = await chartBox('db-steps-chart', r.items.slice(0, 3).map((it) => t('db.stepsSum', { s: label(it), d: num(it.delay_hours) })).join(' '), {
    type: 'bar',
    data: { labels: r.items.map(label), datasets: [{ label: t('db.col.delay'), data: r.items.map((it) => it.delay_hours), backgroundColor: '#b91c1c', maxBarThickness: 32 }] },
    options: { indexAxis: 'y', scales: { x: { beginAtZero: true }, y: { ticks: { callback: shortTick } } } },
  });
  const rows = r.items.map((it) => h('tr', null,
    h('th', { scope: 'row' }, it.step), h('td', null, it.unit.name), h('td', null, it.official ? it.official.full_name : t('db.none')),
    h('td', null, num(it.steps)), h('td', null, num(it.late)), h('td', null, pct(it.late_rate)),
    h('td', { class: 'delay' }, num(it.delay_hours)), h('td', null, num(it.avg_delay_hours))));
  return [chart, table('db-steps-table', t('db.steps'), [t('db.col.step'), t('db.col.unit'), t('db.col.official'), t('db.col.steps'),
    t('db.col.late'), t('db.col.lateRate'), t('db.col.delay'), t('db.col.avgDelay')], rows),
  excelLink('/dashboard/steps', query, t('db.steps'))];
}

function urgency(hoursLeft) {
  if (hoursLeft < 0) return 'overdue';
  return hoursLeft <= 24 ? 'near' : 'ok';
}

async function nearDueSection(q) {
  const query = { unit: q.unit, hours: 48, limit: 50 };
  const r = await api('GET', '/dashboard/near-due' + qs(query));
  const rows = r.items.map((it) => {
    const u = urgency(it.hours_left);
    const left = it.hours_left < 0 ? t('db.hoursOver', { n: num(-it.hours_left) }) : t('db.hoursLeft', { n: num(it.hours_left) });
    return h('tr', { class: `urg-row urg-${u}`, 'data-id': it.id },
      h('th', { scope: 'row' }, h('a', { href: `/ho-so/${it.id}` }, it.code || `#${it.id}`)),
      h('td', null, it.procedure), h('td', null, it.holder ? it.holder.full_name : t('db.none')),
      h('td', null, t(`state.${it.status}`)), h('td', null, fmtDateTime(it.due_at)),
      h('td', null, h('span', { class: `urg urg-label-${u}` }, `${left} (${t(`urgency.${u}`)})`)));
  });
  return [rows.length ? table('db-near-table', t('db.nearDue'), [t('db.col.code'), t('db.col.procedure'), t('db.col.holder'),
    t('db.col.status'), t('db.col.due'), t('db.col.left')], rows) : h('p', { id: 'db-near-empty' }, t('db.noData')),
  excelLink('/dashboard/near-due', query, t('db.nearDue'))];
}

// ------------------------------------------------------------------ page

async function pageDashboard(params) {
  requireRole(['leader', 'inspector', 'admin']);
  dropCharts();
  // no period in the address: the server's current month
  const pp = params.get('period') ? parsePeriod(params.get('period')) : null;
  const period = pp ? periodLabel(pp) : undefined;
  const unitId = /^\d+$/.test(params.get('unit') || '') ? Number(params.get('unit')) : null;
  const canPick = ['inspector', 'admin'].includes(S.me.role);
  const q = { unit: canPick ? unitId : (unitId || S.me.unit_id || null) };
  const picked = canPick && unitId ? (await unitNames([unitId])).get(unitId) : null;
  const { form } = periodForm(pp || parsePeriod(null), picked, canPick);

  const trend = section('db-trend', t('db.trend'), () => trendSection(q, pp));
  // one ranking request serves the ranking table and the 766 chart's units
  const rankingP = api('GET', '/evaluation/ranking' + qs({ parent: q.unit, period }));
  const ranking = section('db-ranking', t('db.ranking'), () => rankingSection(q, period, rankingP));
  const groups = section('db-groups', t('db.groups'), async () => {
    let ids = [];
    try { ids = (await rankingP).items.map((it) => it.unit.id); } catch (e) { ids = []; }
    return groupsSection(q, period, ids);
  });
  const steps = section('db-steps', t('db.steps'), () => stepsSection(q, period));
  const near = section('db-near', t('db.nearDue'), () => nearDueSection(q));
  const page = h('div', { class: 'dashboard' },
    h('h1', null, t('db.title')), h('p', { class: 'lead' }, t('db.intro')), form,
    h('p', { class: 'hint', id: 'db-period' }, t('db.period', { p: period || t('db.thisMonth') })),
    h('div', { class: 'dash-grid' }, trend.node, ranking.node, groups.node, steps.node, near.node));
  // shown at once (charts need their canvas in the page to size it); each
  // section fills in as its data arrives
  return page;
}

export const dashboardRoutes = [
  [/^\/lanh-dao\/bang-dieu-khien$/, pageDashboard],
];
