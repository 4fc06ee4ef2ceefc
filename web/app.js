// app.js - the motcua web UI: a small history router and one function per
// page. No framework; the DOM is built with h() so that server text is
// never parsed as HTML.
import { t, getLang, setLang, fmtDate, fmtDateTime, parseDate, fmtMoney } from '/i18n.js';
import { api, qs, upload, ApiError } from '/api.js';
import { h, field, dl, msg, errText, nextId, debounce } from '/ui.js';
import { taskRoutes } from '/pages/tasks.js';
import { feedbackRoutes } from '/pages/feedback.js';
import { apologyRoutes } from '/pages/apologies.js';
import { dashboardRoutes } from '/pages/dashboard.js';
import { evalReportRoutes } from '/pages/evalreports.js';
import { evaluationRoutes, evaluationSection } from '/pages/evaluation.js';
import { adminRoutes, procedureLimitForm } from '/pages/admin.js';
import { registerRoutes } from '/pages/register.js';

export const S = { me: null, flash: null, flashKind: 'ok' };
const OPEN_STATES = ['received', 'processing', 'supplement', 'financial', 'consulting',
  'pending_approval', 'withdraw_requested'];
const ALL_STATES = ['submitted', 'intake_supplement', 'refused', 'received', 'processing',
  'supplement', 'financial', 'consulting', 'pending_approval', 'withdraw_requested',
  'stopped', 'done', 'rejected', 'returned'];
const OFFICIALS = ['desk', 'specialist', 'leader', 'inspector', 'admin'];

function stateLabel(state) { return t(`state.${state}`); }
function actLabel(a) { return t(`act.${a}`); }

function limitText(tl) {
  if (!tl) return t('flag.incomplete');
  return t(`unit.${tl.unit}`, { n: tl.value });
}

const WD = {
  vi: ['Chủ nhật', 'Thứ Hai', 'Thứ Ba', 'Thứ Tư', 'Thứ Năm', 'Thứ Sáu', 'Thứ Bảy'],
  en: ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'],
};
function weekday(ymd) {
  const [y, m, d] = ymd.split('-').map(Number);
  return WD[getLang()][new Date(Date.UTC(y, m - 1, d)).getUTCDay()];
}

// ------------------------------------------------------------------ routing

const routes = [
  [/^\/$/, pageCatalog],
  [/^\/thu-tuc\/(\d+)$/, pageProcedure],
  [/^\/nop\/(\d+)$/, pageSubmit],
  [/^\/dang-nhap$/, pageLogin],
  [/^\/ho-so$/, pageList],
  [/^\/ho-so\/(\d+)$/, pageDossier],
  [/^\/tiep-nhan$/, pageCounter],
  [/^\/tra-cuu(?:\/([^/]+))?$/, pageLookup],
  [/^\/quan-tri\/don-vi$/, pageUnits],
  [/^\/quan-tri\/tai-khoan$/, pageAccounts],
  [/^\/quan-tri\/lich$/, pageCalendar],
  [/^\/thong-bao$/, pageNotifications],
  [/^\/thanh-tra\/vi-pham$/, pageViolations],
  [/^\/thanh-tra\/vi-pham\/(\d+)$/, pageViolation],
  [/^\/thanh-tra\/tong-hop$/, pageDiscipline],
  ...taskRoutes, ...feedbackRoutes, ...apologyRoutes, ...dashboardRoutes, ...evalReportRoutes,
  ...evaluationRoutes, ...adminRoutes, ...registerRoutes,
];

export function navigate(url, replace = false) {
  if (replace) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
  render();
}

export function flash(text, kind = 'ok') { S.flash = text; S.flashKind = kind; }

let renderSeq = 0;
async function render() {
  const seq = ++renderSeq;
  const main = document.getElementById('main');
  const path = location.pathname.replace(/\/+$/, '') || '/';
  const params = new URLSearchParams(location.search);
  document.body.classList.toggle('kiosk-mode', path === '/danh-gia');
  renderHeader();
  main.setAttribute('aria-busy', 'true');
  main.replaceChildren(h('p', { class: 'loading' }, t('common.loading')));
  let node;
  try {
    let found = null;
    for (const [re, fn] of routes) {
      const m = re.exec(path);
      if (m) { found = [fn, m.slice(1).map((x) => (x === undefined ? x : decodeURIComponent(x)))]; break; }
    }
    if (!found) node = h('div', null, h('h1', { tabindex: '-1' }, t('common.notFound')));
    else node = await found[0](params, ...found[1]);
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) {
      S.me = null;
      renderHeader();
      node = await pageLogin(new URLSearchParams({ next: location.pathname + location.search }));
    } else {
      node = h('div', null, h('h1', { tabindex: '-1' }, t('common.error')), msg(errText(e)));
    }
  }
  if (seq !== renderSeq) return; // a later navigation won
  const kids = [];
  if (S.flash) { kids.push(msg(S.flash, S.flashKind)); S.flash = null; }
  kids.push(node);
  main.replaceChildren(...kids);
  main.removeAttribute('aria-busy');
  document.title = `${(main.querySelector('h1') || {}).textContent || ''} - ${t('app.title')}`;
  const h1 = main.querySelector('h1');
  if (h1 && renderSeq > 1) { h1.setAttribute('tabindex', '-1'); h1.focus({ preventScroll: true }); }
}

document.addEventListener('click', (ev) => {
  const a = ev.target.closest('a');
  if (!a || ev.defaultPrevented || ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.altKey) return;
  const href = a.getAttribute('href');
  if (!href || !href.startsWith('/') || href.startsWith('/api/') || a.hasAttribute('download') || a.target) return;
  ev.preventDefault();
  navigate(href);
});
window.addEventListener('popstate', render);

export function requireRole(roles) {
  if (!S.me) throw new ApiError(401, 'login_required', 'login required');
  if (roles && !roles.includes(S.me.role)) throw new ApiError(403, 'role_not_allowed', t('common.notFound'));
}

// ------------------------------------------------------------------ header

function navLinks() {
  const r = S.me ? S.me.role : null;
  const L = (href, key) => [href, t(key)];
  const fbPublic = L('/phan-anh/cong-khai', 'nav.fbPublic');
  if (!r) return [L('/', 'nav.catalog'), L('/tra-cuu', 'nav.lookup'), L('/phan-anh/gui', 'nav.fbSend'), fbPublic];
  switch (r) {
    case 'citizen': return [L('/', 'nav.catalog'), L('/ho-so', 'nav.mine'), L('/tra-cuu', 'nav.lookup'),
      L('/phan-anh', 'nav.fbMine'), fbPublic];
    case 'desk': return [L('/ho-so?state=submitted', 'nav.intake'), L('/tiep-nhan', 'nav.counter'),
      L('/ho-so?state=done', 'nav.toReturn'), L('/ho-so', 'nav.all'), L('/phan-anh', 'nav.fbQueue'),
      L('/phan-anh/tiep-nhan', 'nav.fbDesk'), L('/', 'nav.catalog')];
    case 'specialist': return [L('/ho-so?mine=1&open=1', 'nav.work'), L('/ho-so', 'nav.all'), L('/nhiem-vu?mine=1', 'nav.myTasks'),
      L('/phan-anh', 'nav.fbQueue'), L('/', 'nav.catalog')];
    case 'leader': return [L('/ho-so?state=received', 'nav.assign'), L('/ho-so?state=pending_approval', 'nav.approvals'),
      L('/xin-loi', 'nav.apologies'), L('/lanh-dao/bang-dieu-khien', 'nav.dashboard'), L('/lanh-dao/danh-gia', 'nav.evalReports'), L('/ho-so', 'nav.all'),
      L('/chi-dao', 'nav.directives'), L('/nhiem-vu', 'nav.tasks'), L('/nhiem-vu?mine=1', 'nav.myTasks'), L('/phan-anh', 'nav.fbQueue'), L('/', 'nav.catalog')];
    case 'inspector': return [L('/thanh-tra/vi-pham?state=open', 'nav.violations'), L('/thanh-tra/tong-hop', 'nav.discipline'),
      L('/lanh-dao/bang-dieu-khien', 'nav.dashboard'), L('/lanh-dao/danh-gia', 'nav.evalReports'),
      L('/ho-so', 'nav.all'), L('/nhiem-vu', 'nav.tasks'), L('/', 'nav.catalog'), L('/tra-cuu', 'nav.lookup')];
    case 'admin': return [L('/quan-tri/don-vi', 'nav.units'), L('/quan-tri/tai-khoan', 'nav.accounts'),
      L('/quan-tri/lich', 'nav.calendar'), L('/lanh-dao/bang-dieu-khien', 'nav.dashboard'), L('/lanh-dao/danh-gia', 'nav.evalReports'),
      L('/ho-so', 'nav.all'), L('/chi-dao', 'nav.directives'), L('/nhiem-vu', 'nav.tasks'),
      L('/phan-anh', 'nav.fbQueue'), L('/', 'nav.catalog')];
    default: return [L('/ho-so', 'nav.all'), L('/', 'nav.catalog'), L('/tra-cuu', 'nav.lookup')];
  }
}

// Links of the page modules, appended to a role's menu: [roles, href, key].
const EXTRA_NAV = [
  [['admin'], '/quan-tri/danh-muc', 'nav.catalogImport'],
  [['admin'], '/quan-tri/open311', 'nav.open311'],
  [['desk', 'leader', 'inspector'], '/so-theo-doi', 'nav.register'],
  [['desk'], '/danh-gia', 'nav.kiosk'],
];

function homeOf(role) {
  return {
    citizen: '/ho-so', desk: '/ho-so?state=submitted', specialist: '/ho-so?mine=1&open=1',
    leader: '/ho-so?state=received', admin: '/quan-tri/lich', inspector: '/thanh-tra/vi-pham?state=open',
  }[role] || '/ho-so';
}

function renderHeader() {
  const hd = document.getElementById('site-header');
  const here = location.pathname + location.search;
  const role = S.me ? S.me.role : null;
  const extra = EXTRA_NAV.filter(([roles]) => roles.includes(role)).map(([, href, key]) => [href, t(key)]);
  const links = navLinks().concat(extra).map(([href, label]) => h('li', null,
    h('a', { href, 'aria-current': href === here ? 'page' : null }, label)));
  const other = getLang() === 'vi' ? 'en' : 'vi';
  const right = [h('button', {
    type: 'button', class: 'link-btn', id: 'lang-toggle', lang: other,
    'aria-label': t('lang.switchLabel'),
    onclick: () => { setLang(other); render(); },
  }, t('lang.switch'))];
  if (S.me) {
    right.unshift(h('span', { class: 'who', id: 'who' }, `${S.me.full_name} (${t(`role.${S.me.role}`)})`));
    right.splice(1, 0, notifLink());
    right.push(h('button', { type: 'button', class: 'link-btn', id: 'logout', onclick: logout }, t('nav.logout')));
  } else {
    right.push(h('a', { href: '/dang-nhap', id: 'login-link' }, t('nav.login')));
  }
  hd.replaceChildren(
    h('a', { class: 'skip', href: '#main', onclick: (e) => { e.preventDefault(); document.getElementById('main').focus(); } }, t('app.skip')),
    h('div', { class: 'bar' },
      h('a', { href: '/', class: 'brand' }, t('app.title')),
      h('div', { class: 'tools' }, right)),
    h('nav', { 'aria-label': t('nav.main') }, h('ul', null, links)),
  );
  if (S.me) refreshUnread();
}

// The header link to the inbox with the unread count (S.unread, refreshed
// on every render and once a minute).
function notifLink() {
  const n = S.unread || 0;
  return h('a', { href: '/thong-bao', id: 'notif-link', class: 'notif-link', 'aria-current': location.pathname === '/thong-bao' ? 'page' : null },
    t('notif.link'),
    n > 0 ? [' ', h('span', { class: 'count-badge', id: 'notif-badge', 'aria-hidden': 'true' }, String(n)),
      h('span', { class: 'sr-only' }, ` (${t('notif.unread', { n })})`)] : null);
}

let unreadSeq = 0;
async function refreshUnread() {
  const seq = ++unreadSeq;
  let n;
  try { n = (await api('GET', '/notifications' + qs({ unread: 1, limit: 1 }))).unread; } catch (e) { return; }
  if (seq !== unreadSeq || !S.me) return;
  S.unread = n;
  const old = document.getElementById('notif-link');
  if (old) old.replaceWith(notifLink());
}
setInterval(() => { if (S.me && document.visibilityState !== 'hidden') refreshUnread(); }, 60000);

async function logout() {
  try { await api('DELETE', '/sessions/current'); } catch (e) { /* already gone */ }
  S.me = null;
  S.unread = 0;
  navigate('/');
}

// ------------------------------------------------------------------ catalog

async function pageCatalog(params) {
  const q = params.get('q') || '';
  const input = h('input', { type: 'search', id: 'catalog-q', name: 'q', value: q, 'aria-describedby': 'catalog-hint', autocomplete: 'off' });
  const form = h('form', {
    role: 'search', class: 'searchbar',
    onsubmit: (e) => { e.preventDefault(); navigate('/' + qs({ q: input.value.trim() })); },
  },
  h('label', { for: 'catalog-q' }, t('catalog.q')),
  h('div', { class: 'row' }, input, h('button', { type: 'submit' }, t('common.search'))),
  h('p', { id: 'catalog-hint', class: 'hint' }, t('catalog.hint')));
  const page = await api('GET', '/procedures' + qs({ q, limit: 50 }));
  const list = h('ul', { class: 'cards', id: 'catalog-results' }, page.items.map((p) => h('li', { class: 'card' },
    h('a', { href: `/thu-tuc/${p.id}`, class: 'card-title' }, p.name || p.code),
    h('p', { class: 'meta' }, `${p.code} · ${p.field || ''} · ${limitText(p.time_limit)}`),
    p.flags.length ? h('p', null, p.flags.map((f) => h('span', { class: `badge flag-${f}` }, t(`flag.${f}`)))) : null)));
  return h('div', null,
    h('h1', null, t('catalog.title')), form,
    h('p', { role: 'status', id: 'catalog-count' }, t('catalog.results', { n: page.total })),
    page.items.length ? list : h('p', null, t('common.empty')));
}

async function pageProcedure(params, id) {
  const p = await api('GET', `/procedures/${id}`);
  let action = null;
  const online = p.channels.includes('online') && !p.incomplete;
  if (!online) action = h('p', { class: 'note' }, p.incomplete ? t('proc.incompleteNote') : t('proc.noOnline'));
  else if (!S.me) action = h('a', { class: 'button', href: '/dang-nhap' + qs({ next: `/nop/${p.id}` }) }, t('proc.loginToSubmit'));
  else if (S.me.role === 'citizen') action = h('a', { class: 'button', href: `/nop/${p.id}`, id: 'submit-online' }, t('proc.submit'));
  let fee = p.fee && p.fee.text;
  if (p.fee && p.fee.amount === 0) fee = t('fee.free');
  else if (p.fee && p.fee.amount) fee = fmtMoney(p.fee.amount);
  let section = null;
  const comps = h('ol', { class: 'components', id: 'components' });
  for (const c of p.components) {
    if (c.section && c.section !== section) {
      section = c.section;
      comps.append(h('li', { class: 'section' }, h('strong', null, c.section)));
    }
    comps.append(h('li', null, c.name || '', ' ',
      h('span', { class: `badge ${c.mandatory ? 'mandatory' : 'optional'}` }, c.mandatory ? t('proc.mandatory') : t('proc.optional')),
      c.quantity_text ? h('span', { class: 'meta' }, ` (${c.quantity_text})`) : null));
  }
  return h('div', null,
    h('p', null, h('a', { href: '/' }, '← ', t('nav.catalog'))),
    h('h1', null, p.name || p.code),
    dl([
      [t('proc.code'), p.code],
      [t('proc.field'), p.field],
      [t('proc.level'), p.level],
      [t('proc.timeLimit'), limitText(p.time_limit), { id: 'proc-limit' }],
      [t('proc.fee'), fee, { id: 'proc-fee' }],
      [t('proc.channels'), p.channels.map((c) => t(`channel.${c}`)).join(', ')],
      [t('proc.agency'), p.implementing_agency],
      [t('proc.decision'), p.decision_no],
      [t('proc.flags'), p.flags.length ? h('span', null, p.flags.map((f) => h('span', { class: `badge flag-${f}` }, t(`flag.${f}`)))) : null],
    ]),
    action,
    S.me && S.me.role === 'admin' ? procedureLimitForm(p) : null,
    h('h2', null, t('proc.components')), comps,
    p.steps.length ? [h('h2', null, t('proc.steps')), h('ol', null, p.steps.map((s) => h('li', null, `${s.name} (${t(`role.${s.role}`)})`)))] : null);
}

// ------------------------------------------------------------------ login

async function pageLogin(params) {
  const next = params.get('next');
  const err = h('div', { 'aria-live': 'assertive' });
  const form = h('form', {
    class: 'narrow',
    onsubmit: async (e) => {
      e.preventDefault();
      const fd = new FormData(form);
      err.replaceChildren();
      try {
        await api('POST', '/sessions', { username: fd.get('username').trim(), password: fd.get('password') });
        S.me = await api('GET', '/me');
        navigate(next && next.startsWith('/') ? next : homeOf(S.me.role));
      } catch (ex) {
        err.replaceChildren(msg(ex.status === 401 ? t('login.failed') : errText(ex)));
      }
    },
  },
  field(t('login.username'), 'text', { name: 'username', id: 'username', required: true, autocomplete: 'username' }),
  field(t('login.password'), 'password', { name: 'password', id: 'password', required: true, autocomplete: 'current-password' }),
  err,
  h('button', { type: 'submit', id: 'login-submit' }, t('login.submit')));
  return h('div', null, h('h1', null, t('login.title')), form);
}

// ------------------------------------------------------------------ units picker

// A search box and a select of units (GET /units?q=). onPick(unitId).
export function unitPicker(label, opts = {}) {
  const empty = opts.emptyLabel || t('submit.unitPick');
  const sel = h('select', { id: opts.id || nextId('unit'), name: 'unit', required: opts.required || null },
    h('option', { value: '' }, empty));
  const status = h('span', { class: 'hint', 'aria-live': 'polite' });
  const search = async (q) => {
    if (!q) return;
    try {
      const r = await api('GET', '/units' + qs({ q, limit: 30 }));
      const items = r.items.filter((u) => u.current && (!opts.receiving || u.kind !== 'district'));
      sel.replaceChildren(h('option', { value: '' }, empty), ...
        items.map((u) => h('option', { value: u.id }, `${u.name} (${u.code})`)));
      if (items.length >= 1) sel.value = String(items[0].id);
      status.textContent = t('common.total', { n: items.length });
    } catch (e) { status.textContent = errText(e); }
  };
  const qid = (opts.id || 'unit') + '-q';
  const input = h('input', {
    type: 'search', id: qid, autocomplete: 'off', value: opts.q || '',
    oninput: debounce((e) => search(e.target.value.trim()), 250),
    onkeydown: (e) => { if (e.key === 'Enter') { e.preventDefault(); search(e.target.value.trim()); } },
  });
  if (opts.q) search(opts.q);
  const node = h('fieldset', { class: 'picker' }, h('legend', null, label),
    h('div', { class: 'field' }, h('label', { for: qid }, opts.searchLabel || t('submit.unitSearch')), input, status),
    h('div', { class: 'field' }, h('label', { for: sel.id }, label), sel));
  return { node, sel };
}

// ------------------------------------------------------------------ submit online

async function pageSubmit(params, procId) {
  requireRole(['citizen']);
  const [p, me] = await Promise.all([api('GET', `/procedures/${procId}`), api('GET', '/me')]);
  const unit = unitPicker(t('submit.unit'), { id: 'unit', required: true, receiving: true });
  const err = h('div', { 'aria-live': 'assertive' });
  const files = p.components.map((c) => {
    const id = `file-${c.id}`;
    return h('div', { class: 'field file' },
      h('label', { for: id }, `${c.seq}. ${c.name || ''}`,
        c.mandatory ? h('span', { class: 'badge mandatory' }, t('proc.mandatory')) : null),
      h('input', { type: 'file', id, 'data-component': c.id, accept: '.pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png' }));
  });
  const btn = h('button', { type: 'submit', id: 'submit-send' }, t('submit.send'));
  const form = h('form', {
    onsubmit: async (e) => {
      e.preventDefault();
      err.replaceChildren();
      const fd = new FormData(form);
      if (!unit.sel.value) { err.replaceChildren(msg(t('submit.needUnit'))); unit.sel.focus(); return; }
      const body = { procedure_id: p.id, receiving_unit_id: Number(unit.sel.value), applicant_name: fd.get('applicant_name').trim() };
      for (const k of ['applicant_id_number', 'applicant_phone', 'applicant_email', 'applicant_address', 'summary']) {
        const v = (fd.get(k) || '').trim();
        if (v) body[k] = v;
      }
      btn.disabled = true;
      err.replaceChildren(msg(t('submit.sending'), 'info'));
      let d;
      try {
        d = await api('POST', '/dossiers', body);
      } catch (ex) {
        btn.disabled = false;
        err.replaceChildren(msg(errText(ex)));
        return;
      }
      const problems = [];
      for (const inp of form.querySelectorAll('input[type=file]')) {
        for (const f of inp.files) {
          try { await upload(d.id, Number(inp.dataset.component), f); } catch (ex) {
            problems.push(t('submit.uploadFailed', { name: f.name, msg: ex.message }));
          }
        }
      }
      flash([t('submit.done'), ...problems].join(' '), problems.length ? 'error' : 'ok');
      navigate(`/ho-so/${d.id}`);
    },
  },
  unit.node,
  field(t('submit.applicant'), 'text', { name: 'applicant_name', id: 'applicant_name', required: true, value: me.full_name, maxlength: 200 }),
  field(t('submit.idNumber'), 'text', { name: 'applicant_id_number', value: me.id_number || '', inputmode: 'numeric', maxlength: 20 }),
  field(t('submit.phone'), 'tel', { name: 'applicant_phone', value: me.phone || '', maxlength: 20 }),
  field(t('submit.email'), 'email', { name: 'applicant_email', value: me.email || '', maxlength: 200 }),
  field(t('submit.address'), 'text', { name: 'applicant_address', value: me.address || '', maxlength: 500 }),
  field(t('submit.summary'), 'textarea', { name: 'summary', id: 'summary', maxlength: 2000 }),
  h('fieldset', null, h('legend', null, t('submit.files')), h('p', { class: 'hint' }, t('submit.fileHint')), files),
  err, btn);
  return h('div', null, h('h1', null, t('submit.title')), h('p', { class: 'lead' }, `${p.code} - ${p.name}`), form);
}

// ------------------------------------------------------------------ dossier lists

async function serverNow() {
  const hl = await api('GET', '/health');
  const now = hl.time;
  let near = null;
  try { near = (await api('GET', '/calendar/add' + qs({ start: now.slice(0, 19), n: 1 }))).due; } catch (e) { near = null; }
  return { now: Date.parse(now), near: near ? Date.parse(near) : Date.parse(now) + 86400000 };
}

function urgency(d, clock) {
  if (!d.due_at || !OPEN_STATES.includes(d.state)) return null;
  const due = Date.parse(d.due_at);
  if (due < clock.now) return 'overdue';
  if (due <= clock.near) return 'near';
  return 'ok';
}

function listTitle(params) {
  if (S.me.role === 'citizen') return t('list.title.citizen');
  if (params.get('mine') === '1') return t('nav.work');
  const st = params.get('state');
  if (st === 'submitted' && S.me.role === 'desk') return t('nav.intake');
  if (st === 'done' && S.me.role === 'desk') return t('nav.toReturn');
  if (st === 'received' && S.me.role === 'leader') return t('nav.assign');
  if (st === 'pending_approval') return t('nav.approvals');
  return t('list.title');
}

async function pageList(params) {
  requireRole();
  const official = OFFICIALS.includes(S.me.role);
  const query = {
    state: params.get('state') || '', q: params.get('q') || '',
    mine: params.get('mine') === '1' ? 1 : '', open: params.get('open') === '1' ? 1 : '',
    overdue: params.get('overdue') === '1' ? 1 : '', limit: 200,
  };
  const [page, clock] = await Promise.all([api('GET', '/dossiers' + qs(query)), official ? serverNow() : null]);
  const stateSel = h('select', { name: 'state', id: 'filter-state' }, h('option', { value: '' }, t('list.allStates')),
    ALL_STATES.map((s) => h('option', { value: s, selected: s === query.state }, stateLabel(s))));
  const form = h('form', {
    class: 'filters',
    onsubmit: (e) => {
      e.preventDefault();
      const fd = new FormData(form);
      navigate('/ho-so' + qs({ state: fd.get('state'), q: (fd.get('q') || '').trim(), mine: fd.get('mine') ? 1 : '',
        open: fd.get('open') ? 1 : '', overdue: fd.get('overdue') ? 1 : '' }));
    },
  },
  h('div', { class: 'field' }, h('label', { for: 'filter-state' }, t('list.state')), stateSel),
  field(t('list.q'), 'search', { name: 'q', value: query.q }),
  official ? h('div', { class: 'check' }, h('input', { type: 'checkbox', id: 'filter-open', name: 'open', value: '1', checked: !!query.open }),
    h('label', { for: 'filter-open' }, t('list.open'))) : null,
  official ? h('div', { class: 'check' }, h('input', { type: 'checkbox', id: 'filter-overdue', name: 'overdue', value: '1', checked: !!query.overdue }),
    h('label', { for: 'filter-overdue' }, t('list.overdue'))) : null,
  ['specialist', 'leader'].includes(S.me.role) ? h('div', { class: 'check' }, h('input', { type: 'checkbox', id: 'filter-mine', name: 'mine', value: '1', checked: !!query.mine }),
    h('label', { for: 'filter-mine' }, t('list.mine'))) : null,
  h('button', { type: 'submit' }, t('list.filter')));
  const items = page.items.map((d) => {
    const u = clock ? urgency(d, clock) : null;
    return h('li', { class: `dossier${u ? ` urg-${u}` : ''}`, 'data-id': d.id, 'data-code': d.code || '' },
      h('a', { href: `/ho-so/${d.id}`, class: 'card-title' }, d.code || `${t('list.noCode')} #${d.id}`),
      h('p', null, d.procedure_name),
      h('p', { class: 'meta' }, `${d.applicant_name} · ${t(`channel.${d.channel}`)} · `, h('span', { class: 'state' }, stateLabel(d.state))),
      h('p', { class: 'meta' },
        d.submitted_at ? `${t('d.submitted')}: ${fmtDate(d.submitted_at)}` : '',
        d.due_at ? ` · ${t('d.due')}: ${fmtDate(d.due_at)}` : '',
        u ? h('span', { class: `urg urg-label-${u}` }, ` ${t(`urgency.${u}`)}`) : null));
  });
  const legend = clock ? h('p', { class: 'legend', 'aria-label': t('urgency.legend') },
    ['ok', 'near', 'overdue'].map((u) => h('span', { class: `urg-chip urg-${u}` }, t(`urgency.${u}`)))) : null;
  return h('div', null, h('h1', null, listTitle(params)), form, legend,
    h('p', { role: 'status', id: 'list-total' }, page.total_capped
      ? t('list.totalCapped', { n: String(page.total).replace(/\B(?=(\d{3})+(?!\d))/g, '\u00a0') })
      : t('common.total', { n: page.total })),
    items.length ? h('ul', { class: 'cards', id: 'dossier-list' }, items) : h('p', null, t('common.empty')));
}

// ------------------------------------------------------------------ dossier page

function whyDate(pv) {
  if (!pv || !pv.due_day) return null;
  const skipped = (pv.skipped || []).map((s) => {
    const kind = s.kind ? t(`kind.${s.kind}`) : '';
    const reason = getLang() === 'vi' ? (s.reason || kind) : (s.kind === 'weekend' ? kind : `${kind}${s.reason ? `: ${s.reason}` : ''}`);
    return h('li', { 'data-date': s.date, 'data-kind': s.kind || '' },
      h('strong', null, `${weekday(s.date)}, ${fmtDate(s.date)}`), ` - ${reason}`,
      s.basis ? h('span', { class: 'meta' }, ` (${s.basis})`) : null);
  });
  const limit = pv.limit ? limitText(pv.limit) : '';
  return h('section', { id: 'why', 'aria-labelledby': 'why-title', class: 'why' },
    h('h2', { id: 'why-title' }, t('why.title')),
    h('p', null, t('why.intro', { receipt: fmtDate(pv.receipt_day || pv.start), limit, from: fmtDate(pv.counted_from) })),
    pv.cutoff_15h ? h('p', null, t('why.cutoff')) : null,
    pv.pause_working_days ? h('p', null, t('why.paused', { n: pv.pause_working_days })) : null,
    pv.paused && pv.paused_since ? h('p', null, t('why.pausedNow', { since: fmtDateTime(pv.paused_since) })) : null,
    skipped.length ? [h('p', null, t('why.skipped')), h('ul', { id: 'why-skipped' }, skipped),
      pv.skipped_truncated ? h('p', { class: 'meta' }, t('why.truncated')) : null] : h('p', null, t('why.noSkipped')),
    h('p', { class: 'due-line' }, h('strong', null, t('why.due', { due: fmtDate(pv.due_day) }))),
    pv.basis ? h('p', { class: 'meta' }, t('why.basis', { basis: pv.basis, v: pv.calendar_version })) : null,
    pv.legal && pv.legal.length ? h('details', null, h('summary', null, t('why.legal')), h('ul', null, pv.legal.map((l) => h('li', null, l)))) : null);
}

const ACTION_FIELDS = {
  refuse: ['reason'],
  request_intake_supplement: ['components'],
  assign: ['assignee'],
  request_supplement: ['components', 'reason'],
  request_payment: ['reason'],
  consult: ['unit', 'due', 'reason'],
  consult_reply: ['reason'],
  submit_for_approval: ['result'],
  return_for_rework: ['reason'],
  reject: ['reason'],
  reschedule: ['newDue', 'apology'],
  stop: ['reason'],
};

function actionForm(d, action, proc, ctx) {
  const fields = ACTION_FIELDS[action] || [];
  const err = h('div', { 'aria-live': 'assertive' });
  const parts = [];
  let unit = null;
  for (const f of fields) {
    if (f === 'reason' || f === 'apology') parts.push(field(t(f === 'reason' ? 'f.reason' : 'f.apology'), 'textarea', { name: 'reason', required: true, maxlength: 4000 }));
    else if (f === 'result') parts.push(field(t('f.result'), 'textarea', { name: 'result', required: true, maxlength: 4000 }));
    else if (f === 'due' || f === 'newDue') {
      parts.push(field(t(f === 'due' ? 'f.due' : 'f.newDue') + ' (dd/mm/yyyy)', 'text', { name: 'due', required: true, inputmode: 'numeric',
        placeholder: 'dd/mm/yyyy', pattern: '\\d{1,2}/\\d{1,2}/\\d{4}', autocomplete: 'off',
        hint: f === 'newDue' ? t('resch.hint') : null }));
    }
    else if (f === 'assignee') {
      parts.push(field(t('f.assignee'), 'select', { name: 'assignee_id', required: true },
        [h('option', { value: '' }, t('f.pickOne')), (ctx.specialists || []).map((a) => h('option', { value: a.id }, `${a.full_name} (${a.username})`))]));
    } else if (f === 'components') {
      parts.push(h('fieldset', { class: 'checks' }, h('legend', null, t('f.components')),
        proc.components.map((c) => {
          const id = nextId(`c-${action}`);
          return h('div', { class: 'check' }, h('input', { type: 'checkbox', id, name: 'components', value: c.id }),
            h('label', { for: id }, `${c.seq}. ${c.name || ''}`));
        })));
    } else if (f === 'unit') {
      unit = unitPicker(t('f.unit'), { id: nextId('consult-unit'), required: true });
      parts.push(unit.node);
    }
  }
  if (action === 'reschedule') parts.unshift(h('p', { class: 'note', id: `once-${action}` }, t('resch.once')));
  const btn = h('button', { type: 'submit', class: `act act-${action}` }, actLabel(action));
  const form = h('form', {
    id: `act-${action}`, class: 'action-form', 'data-action': action,
    onsubmit: async (e) => {
      e.preventDefault();
      err.replaceChildren();
      const fd = new FormData(form);
      const body = { action, version: d.version };
      if (fd.has('reason')) body.reason = fd.get('reason').trim();
      if (fd.has('result')) body.result = fd.get('result').trim();
      if (fd.has('assignee_id')) body.assignee_id = Number(fd.get('assignee_id'));
      if (fields.includes('components')) {
        body.components = fd.getAll('components').map(Number);
        if (!body.components.length) { err.replaceChildren(msg(t('f.needComponent'))); return; }
      }
      if (fd.has('due')) {
        const iso = parseDate(fd.get('due'));
        if (!iso) { err.replaceChildren(msg(t('cal.badDate'))); return; }
        body.due = iso;
      }
      if (unit) body.unit_id = Number(unit.sel.value);
      btn.disabled = true;
      try {
        await api('POST', `/dossiers/${d.id}/transitions`, body);
        flash(t('d.done', { action: actLabel(action) }));
        navigate(location.pathname, true);
      } catch (ex) {
        btn.disabled = false;
        err.replaceChildren(msg(errText(ex)));
      }
    },
  }, parts, err, btn);
  if (!fields.length) return h('div', { class: 'action-simple' }, form);
  return h('details', { class: 'action', id: `action-${action}` }, h('summary', null, actLabel(action)), form);
}

function uploadForm(d, proc) {
  const err = h('div', { 'aria-live': 'polite' });
  const compId = nextId('up-c');
  const fileId = nextId('up-f');
  const form = h('form', {
    class: 'upload',
    onsubmit: async (e) => {
      e.preventDefault();
      const inp = form.querySelector('input[type=file]');
      if (!inp.files.length) return;
      try {
        await upload(d.id, Number(form.querySelector('select').value), inp.files[0]);
        flash(t('d.uploaded'));
        navigate(location.pathname, true);
      } catch (ex) { err.replaceChildren(msg(errText(ex))); }
    },
  },
  h('div', { class: 'field' }, h('label', { for: compId }, t('d.uploadComponent')),
    h('select', { id: compId }, h('option', { value: '0' }, '-'), proc.components.map((c) => h('option', { value: c.id }, `${c.seq}. ${(c.name || '').slice(0, 80)}`)))),
  h('div', { class: 'field' }, h('label', { for: fileId }, t('d.uploadFile')),
    h('input', { type: 'file', id: fileId, required: true, accept: '.pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png' })),
  err, h('button', { type: 'submit' }, t('d.uploadSend')));
  return h('details', null, h('summary', null, t('d.upload')), form);
}

// The TT 01/2018 forms a dossier has reached (see GET /dossiers/{id}/forms/{n}).
function reachedForms(d, events) {
  const did = new Set(events.map((e) => e.action));
  const received = !!d.received_at || did.has('receive');
  const out = [];
  if (received) out.push('01');
  if (did.has('request_supplement') || did.has('request_intake_supplement')) out.push('02');
  if (did.has('refuse') || did.has('reject')) out.push('03');
  if (d.reschedules || did.has('reschedule')) out.push('04');
  if (received) out.push('05');
  return out;
}

function formUrl(id, n) { return `/api/v1/dossiers/${id}/forms/${n}`; }

function formsSection(d, events) {
  const forms = reachedForms(d, events);
  return h('section', { 'aria-labelledby': 'forms-title', id: 'forms' }, h('h2', { id: 'forms-title' }, t('forms.title')),
    forms.length ? [h('p', { class: 'hint', id: 'forms-hint' }, t('forms.hint')),
      h('ul', { id: 'form-list' }, forms.map((n) => h('li', null,
        h('a', { href: formUrl(d.id, n), target: '_blank', rel: 'noopener', 'data-form': n, 'aria-describedby': 'forms-hint' },
          t(`form.${n}`), h('span', { class: 'sr-only' }, ` ${t('forms.newTab')}`)))))]
      : h('p', null, t('forms.none')));
}

async function pageDossier(params, id) {
  requireRole();
  const [d, ev, files] = await Promise.all([
    api('GET', `/dossiers/${id}`), api('GET', `/dossiers/${id}/events`), api('GET', `/dossiers/${id}/files`)]);
  const proc = await api('GET', `/procedures/${d.procedure_id}`);
  const ctx = {};
  if (d.allowed_actions.includes('assign')) {
    ctx.specialists = (await api('GET', '/accounts' + qs({ role: 'specialist', unit_id: d.unit_id }))).items.filter((a) => a.active);
  }
  const canUpload = (S.me.role === 'citizen' && ['submitted', 'intake_supplement', 'supplement'].includes(d.state)) ||
    (['desk', 'specialist', 'leader'].includes(S.me.role) && !['done', 'rejected', 'returned', 'refused', 'stopped'].includes(d.state));
  const fileItems = (files.items || []).map((f) => h('li', null,
    h('a', { href: `/api/v1/dossiers/${d.id}/files/${f.id}`, download: f.name }, f.name),
    h('span', { class: 'meta' }, ` · ${f.component_name ? f.component_name.slice(0, 80) : '-'} · ${Math.max(1, Math.round(f.size / 1024))} KB · ${fmtDateTime(f.at)}`)));
  const events = (ev.items || []).map((e) => h('li', null,
    h('strong', null, fmtDateTime(e.at)), ' - ', e.action === 'submit' ? t('act.submit') : actLabel(e.action),
    ' → ', stateLabel(e.to_state),
    h('span', { class: 'meta' }, ` · ${e.actor_name || ''} (${t(`role.${e.actor_role}`)})${e.unit_name ? ` · ${e.unit_name}` : ''}`),
    e.reason ? h('div', { class: 'reason' }, `${t('d.reason')}: ${e.reason}`) : null,
    e.data && Array.isArray(e.data.components) ? h('ul', null, e.data.components.map((c) => h('li', null, c.name || `#${c.id}`))) : null));
  const ledger = (d.ledger || []).map((l) => h('tr', null,
    h('td', null, `${l.step}. ${l.name}`), h('td', null, l.holder_name || '-'), h('td', null, fmtDateTime(l.arrived_at)),
    h('td', null, fmtDateTime(l.due_at)), h('td', null, fmtDateTime(l.left_at)), h('td', null, l.outcome ? t(`outcome.${l.outcome}`) : '')));
  const actions = d.allowed_actions.map((a) => actionForm(d, a, proc, ctx));
  const evaluation = await evaluationSection(d);
  return h('div', null,
    h('h1', null, `${t('d.code')}: `, h('span', { id: 'dossier-code' }, d.code || t('list.noCode'))),
    h('p', null, h('span', { class: `badge state-badge state-${d.state}`, id: 'dossier-state' }, stateLabel(d.state))),
    dl([
      [t('d.procedure'), `${d.procedure_code} - ${proc.name || ''}`],
      [t('d.applicant'), d.applicant && d.applicant.name],
      [t('d.channel'), t(`channel.${d.channel}`)],
      [t('d.summary'), d.summary],
      [t('d.submitted'), fmtDateTime(d.submitted_at)],
      [t('d.received'), fmtDateTime(d.received_at)],
      [t('d.due'), d.due_at ? h('strong', { id: 'dossier-due' }, fmtDate(d.due_at)) : null],
      [t('d.dueOriginal'), d.reschedules ? fmtDate(d.due_original) : null],
      [t('d.finished'), fmtDateTime(d.finished_at)],
      [t('d.returned'), fmtDateTime(d.returned_at)],
      [t('d.result'), d.result],
    ]),
    d.reschedules ? h('p', { class: 'note' }, t('d.rescheduled')) : null,
    h('section', { 'aria-labelledby': 'actions-title', id: 'actions' }, h('h2', { id: 'actions-title' }, t('d.actions')),
      actions.length ? actions : h('p', null, t('d.noActions'))),
    evaluation,
    whyDate(d.due_provenance),
    formsSection(d, ev.items || []),
    h('section', { 'aria-labelledby': 'files-title', id: 'files' }, h('h2', { id: 'files-title' }, t('d.files')),
      fileItems.length ? h('ul', { id: 'file-list' }, fileItems) : h('p', null, t('d.noFiles')),
      canUpload ? uploadForm(d, proc) : null),
    h('section', { 'aria-labelledby': 'history-title', id: 'history' }, h('h2', { id: 'history-title' }, t('d.history')),
      h('ol', { class: 'events' }, events)),
    ledger.length ? h('section', { 'aria-labelledby': 'ledger-title', id: 'ledger' }, h('h2', { id: 'ledger-title' }, t('d.ledger')),
      h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-labelledby': 'ledger-title' }, h('table', null,
        h('thead', null, h('tr', null, ['d.step', 'd.holder', 'd.arrived', 'd.stepDue', 'd.left', 'd.outcome'].map((k) => h('th', { scope: 'col' }, t(k))))),
        h('tbody', null, ledger)))) : null);
}

// ------------------------------------------------------------------ counter intake (desk)

async function pageCounter() {
  requireRole(['desk']);
  const procSel = h('select', { id: 'proc', name: 'procedure_id', required: true }, h('option', { value: '' }, t('f.pickOne')));
  const procStatus = h('span', { class: 'hint', 'aria-live': 'polite' });
  const searchProc = async (q) => {
    try {
      const r = await api('GET', '/procedures' + qs({ q, limit: 50 }));
      const items = r.items.filter((p) => !p.incomplete);
      procSel.replaceChildren(h('option', { value: '' }, t('f.pickOne')), ...items.map((p) => h('option', { value: p.id }, `${p.code} - ${p.name}`)));
      if (items.length) procSel.value = String(items[0].id);
      procStatus.textContent = t('common.total', { n: items.length });
    } catch (e) { procStatus.textContent = errText(e); }
  };
  const out = h('div', { 'aria-live': 'polite', id: 'counter-result' });
  const btn = h('button', { type: 'submit', id: 'counter-send' }, t('counter.send'));
  const form = h('form', {
    onsubmit: async (e) => {
      e.preventDefault();
      const fd = new FormData(form);
      if (!procSel.value) { out.replaceChildren(msg(t('counter.needProc'))); return; }
      const body = { procedure_id: Number(procSel.value), receiving_unit_id: S.me.unit_id, channel: Number(fd.get('channel')),
        applicant_name: fd.get('applicant_name').trim() };
      for (const k of ['applicant_id_number', 'applicant_phone', 'applicant_address', 'summary']) {
        const v = (fd.get(k) || '').trim();
        if (v) body[k] = v;
      }
      btn.disabled = true;
      out.replaceChildren();
      try {
        const d = await api('POST', '/dossiers', body);
        const r = await api('POST', `/dossiers/${d.id}/transitions`, { action: 'receive', version: d.version });
        form.reset();
        out.replaceChildren(h('section', { class: 'receipt', 'aria-labelledby': 'receipt-title' },
          h('h2', { id: 'receipt-title' }, t('counter.receipt')),
          msg(t('counter.done', { code: r.code, due: fmtDate(r.due_at) }), 'ok'),
          dl([[t('d.code'), h('strong', { id: 'receipt-code' }, r.code)], [t('d.due'), h('strong', { id: 'receipt-due' }, fmtDate(r.due_at))],
            [t('d.applicant'), r.applicant.name]]),
          h('p', null, h('a', { href: formUrl(r.id, '01'), target: '_blank', rel: 'noopener', class: 'button', id: 'receipt-print' },
            t('counter.print'), h('span', { class: 'sr-only' }, ` ${t('forms.newTab')}`))),
          h('p', null, h('a', { href: `/ho-so/${r.id}` }, t('counter.open')), ' · ',
            h('a', { href: `/tra-cuu/${encodeURIComponent(r.code)}` }, t('nav.lookup')))));
      } catch (ex) {
        out.replaceChildren(msg(errText(ex)));
      }
      btn.disabled = false;
    },
  },
  h('fieldset', { class: 'picker' }, h('legend', null, t('counter.procedure')),
    h('div', { class: 'field' }, h('label', { for: 'proc-q' }, t('counter.procSearch')),
      h('input', { type: 'search', id: 'proc-q', autocomplete: 'off', oninput: debounce((e) => searchProc(e.target.value.trim()), 250),
        onkeydown: (e) => { if (e.key === 'Enter') { e.preventDefault(); searchProc(e.target.value.trim()); } } }), procStatus),
    h('div', { class: 'field' }, h('label', { for: 'proc' }, t('counter.procedure')), procSel)),
  field(t('counter.channel'), 'select', { name: 'channel', id: 'channel' },
    [h('option', { value: '1' }, t('channel.1')), h('option', { value: '3' }, t('channel.3'))]),
  field(t('submit.applicant'), 'text', { name: 'applicant_name', id: 'applicant_name', required: true, maxlength: 200 }),
  field(t('submit.idNumber'), 'text', { name: 'applicant_id_number', id: 'applicant_id_number', inputmode: 'numeric', maxlength: 20 }),
  field(t('submit.phone'), 'tel', { name: 'applicant_phone', id: 'applicant_phone', maxlength: 20 }),
  field(t('submit.address'), 'text', { name: 'applicant_address', maxlength: 500 }),
  field(t('submit.summary'), 'textarea', { name: 'summary', maxlength: 2000 }),
  btn);
  return h('div', null, h('h1', null, t('counter.title')), form, out);
}

// ------------------------------------------------------------------ public lookup

async function pageLookup(params, code) {
  code = code || params.get('ma') || '';
  const input = h('input', { type: 'search', id: 'lookup-code', name: 'code', value: code, autocomplete: 'off', required: true });
  const form = h('form', {
    role: 'search', class: 'searchbar',
    onsubmit: (e) => { e.preventDefault(); const c = input.value.trim(); if (c) navigate(`/tra-cuu/${encodeURIComponent(c)}`); },
  }, h('label', { for: 'lookup-code' }, t('lookup.code')),
  h('div', { class: 'row' }, input, h('button', { type: 'submit' }, t('lookup.submit'))));
  let result = null;
  if (code) {
    try {
      const d = await api('GET', `/public/dossiers/${encodeURIComponent(code)}`);
      result = h('section', { id: 'lookup-result', 'aria-labelledby': 'lookup-result-title' },
        h('h2', { id: 'lookup-result-title' }, d.code),
        dl([
          [t('d.state'), h('span', { class: `badge state-badge state-${d.state}`, id: 'lookup-state' }, stateLabel(d.state))],
          [t('d.procedure'), `${d.procedure.code} - ${d.procedure.name}`],
          [t('d.unit'), d.receiving_unit.name],
          [t('d.submitted'), fmtDateTime(d.submitted_at)],
          [t('d.received'), fmtDateTime(d.received_at)],
          [t('d.due'), d.due_at ? h('strong', { id: 'lookup-due' }, fmtDate(d.due_at)) : null],
          [t('d.dueOriginal'), d.rescheduled ? fmtDate(d.due_original) : null],
          [t('d.finished'), fmtDateTime(d.finished_at)],
          [t('d.returned'), fmtDateTime(d.returned_at)],
        ]),
        d.rescheduled ? h('p', { class: 'note' }, t('d.rescheduled')) : null);
    } catch (e) {
      result = msg(e.status === 404 || e.status === 400 ? t('lookup.notFound', { code }) : errText(e));
    }
  }
  return h('div', null, h('h1', null, t('lookup.title')), form, result);
}

// ------------------------------------------------------------------ administrator

async function pageUnits(params) {
  requireRole(['admin', 'inspector', 'leader', 'desk', 'specialist']);
  const parent = params.get('parent') || '0';
  const q = params.get('q') || '';
  const r = await api('GET', '/units' + (q ? qs({ q, limit: 100 }) : qs({ parent_id: parent })));
  let crumb = null;
  if (parent !== '0' && !q) {
    const u = await api('GET', `/units/${parent}`);
    crumb = h('p', null, h('a', { href: '/quan-tri/don-vi' }, t('admin.roots')),
      u.parent_id ? [' · ', h('a', { href: `/quan-tri/don-vi?parent=${u.parent_id}` }, '↑')] : null, ` · ${u.name} (${u.code})`);
  }
  const input = h('input', { type: 'search', id: 'unit-search', name: 'q', value: q });
  const form = h('form', { role: 'search', class: 'searchbar', onsubmit: (e) => { e.preventDefault(); navigate('/quan-tri/don-vi' + qs({ q: input.value.trim() })); } },
    h('label', { for: 'unit-search' }, t('common.search')), h('div', { class: 'row' }, input, h('button', { type: 'submit' }, t('common.search'))));
  return h('div', null, h('h1', null, t('admin.units')), form, crumb,
    h('p', { role: 'status' }, t('common.total', { n: r.items.length })),
    h('ul', { class: 'cards', id: 'unit-list' }, r.items.map((u) => h('li', { class: 'card' },
      h('a', { href: `/quan-tri/don-vi?parent=${u.id}`, class: 'card-title' }, u.name),
      h('p', { class: 'meta' }, `${u.code} · ${u.kind_label}${u.current ? '' : ' · ' + fmtDate(u.valid_to)}`),
      h('p', null, h('a', { href: `/quan-tri/don-vi/${u.id}`, 'data-unit': u.code, 'aria-label': `${t('wh.link')}: ${u.name}` }, t('wh.link')))))));
}

async function pageAccounts() {
  requireRole(['admin']);
  const r = await api('GET', '/accounts' + qs({ unit_id: 0 }));
  const unit = unitPicker(t('admin.unit'), { id: 'acc-unit' });
  const out = h('div', { 'aria-live': 'polite' });
  const roles = ['citizen', 'desk', 'specialist', 'leader', 'inspector', 'admin', 'partner'];
  const form = h('form', {
    onsubmit: async (e) => {
      e.preventDefault();
      const fd = new FormData(form);
      const body = { username: fd.get('username').trim(), password: fd.get('password'), full_name: fd.get('full_name').trim(), role: fd.get('role') };
      if (['desk', 'specialist', 'leader', 'inspector'].includes(body.role) || (body.role === 'admin' && unit.sel.value)) {
        if (unit.sel.value) body.unit_id = Number(unit.sel.value);
      }
      for (const k of ['email', 'phone']) { const v = (fd.get(k) || '').trim(); if (v) body[k] = v; }
      try {
        await api('POST', '/accounts', body);
        flash(t('admin.created', { u: body.username }));
        navigate('/quan-tri/tai-khoan', true);
      } catch (ex) { out.replaceChildren(msg(errText(ex))); }
    },
  },
  field(t('login.username'), 'text', { name: 'username', id: 'acc-username', required: true, maxlength: 32, autocomplete: 'off' }),
  field(t('login.password'), 'password', { name: 'password', id: 'acc-password', required: true, minlength: 8, autocomplete: 'new-password' }),
  field(t('admin.fullName'), 'text', { name: 'full_name', id: 'acc-name', required: true, maxlength: 200 }),
  field(t('admin.role'), 'select', { name: 'role', id: 'acc-role' }, roles.map((x) => h('option', { value: x }, t(`role.${x}`)))),
  unit.node,
  field(t('submit.email'), 'email', { name: 'email', maxlength: 200 }),
  field(t('submit.phone'), 'tel', { name: 'phone', maxlength: 20 }),
  out, h('button', { type: 'submit' }, t('admin.newAccount')));
  return h('div', null, h('h1', null, t('admin.accounts')),
    h('p', { role: 'status' }, t('common.total', { n: r.items.length })),
    h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': t('admin.accounts') }, h('table', { id: 'account-table' },
      h('thead', null, h('tr', null, [t('login.username'), t('admin.fullName'), t('admin.role'), t('admin.unit'), t('admin.active')].map((x) => h('th', { scope: 'col' }, x)))),
      h('tbody', null, r.items.map((a) => h('tr', null, h('td', null, a.username), h('td', null, a.full_name), h('td', null, t(`role.${a.role}`)),
        h('td', null, a.unit_code || '-'), h('td', null, a.locked ? t('admin.locked') : (a.active ? t('common.yes') : t('common.no')))))))),
    h('details', { class: 'action' }, h('summary', null, t('admin.newAccount')), form));
}

async function pageCalendar(params) {
  requireRole(['admin']);
  const hl = await api('GET', '/health');
  const year = Number(params.get('year')) || Number(hl.time.slice(0, 4));
  const cal = await api('GET', '/calendar/year' + qs({ year }));
  const byDate = new Map();
  for (const d of cal.days_off) byDate.set(d.date, d);
  for (const d of cal.working_days_swapped) byDate.set(d.date, { ...d, kind: 'swap_work' });
  const wd = t('wd.short').split(',');
  const months = [];
  for (let m = 1; m <= 12; m++) {
    const first = new Date(Date.UTC(year, m - 1, 1));
    const ndays = new Date(Date.UTC(year, m, 0)).getUTCDate();
    const lead = (first.getUTCDay() + 6) % 7; // Monday first
    const cells = [];
    for (let i = 0; i < lead; i++) cells.push(h('td', { class: 'pad' }));
    for (let d = 1; d <= ndays; d++) {
      const ymd = `${year}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
      const dow = (lead + d - 1) % 7;
      const info = byDate.get(ymd);
      let kind = info ? info.kind : (dow >= 5 ? 'weekend' : 'work');
      const title = info ? `${fmtDate(ymd)}: ${t(`kind.${kind}`)} - ${info.reason}` : `${fmtDate(ymd)}: ${t(`kind.${kind}`)}`;
      cells.push(h('td', { class: `day k-${kind}`, title, 'data-date': ymd }, h('span', { 'aria-hidden': 'true' }, String(d)), h('span', { class: 'sr-only' }, title)));
    }
    const rows = [];
    for (let i = 0; i < cells.length; i += 7) rows.push(h('tr', null, cells.slice(i, i + 7)));
    months.push(h('table', { class: 'month' }, h('caption', null, t('month', { m })),
      h('thead', null, h('tr', null, wd.map((x) => h('th', { scope: 'col' }, x)))), h('tbody', null, rows)));
  }
  const yearInput = h('input', { type: 'number', id: 'cal-year', name: 'year', value: year, min: 2000, max: 2100 });
  const yform = h('form', { class: 'searchbar', onsubmit: (e) => { e.preventDefault(); navigate('/quan-tri/lich' + qs({ year: yearInput.value })); } },
    h('label', { for: 'cal-year' }, t('cal.year')), h('div', { class: 'row' }, yearInput, h('button', { type: 'submit' }, t('cal.show'))));
  const out = h('div', { 'aria-live': 'polite' });
  const form = h('form', {
    id: 'announce',
    onsubmit: async (e) => {
      e.preventDefault();
      const fd = new FormData(form);
      const date = parseDate(fd.get('date'));
      if (!date) { out.replaceChildren(msg(t('cal.badDate'))); return; }
      const body = { date, kind: fd.get('kind'), reason: fd.get('reason').trim() };
      for (const k of ['basis', 'code']) { const v = (fd.get(k) || '').trim(); if (v) body[k] = v; }
      try {
        await api('POST', '/calendar/days', body);
        flash(t('cal.saved', { d: fmtDate(date) }));
        navigate('/quan-tri/lich' + qs({ year: date.slice(0, 4) }), true);
      } catch (ex) { out.replaceChildren(msg(errText(ex))); }
    },
  },
  field(t('cal.date'), 'text', { name: 'date', id: 'ann-date', required: true, placeholder: 'dd/mm/yyyy', inputmode: 'numeric' }),
  field(t('cal.kind'), 'select', { name: 'kind', id: 'ann-kind' }, ['off', 'work', 'holiday', 'compensatory'].map((k) =>
    h('option', { value: k }, t(`kind.${k === 'work' ? 'swap_work' : k}`)))),
  field(t('cal.reason'), 'text', { name: 'reason', id: 'ann-reason', required: true, maxlength: 150 }),
  field(t('cal.basis'), 'text', { name: 'basis', id: 'ann-basis', maxlength: 150 }),
  field(t('cal.code'), 'text', { name: 'code', id: 'ann-code', maxlength: 20, pattern: '[A-Z0-9_]+' }),
  out, h('button', { type: 'submit' }, t('common.save')));
  const listItem = (d) => h('li', { 'data-date': d.date }, h('strong', null, `${weekday(d.date)}, ${fmtDate(d.date)}`),
    ` - ${t(`kind.${d.kind}`)}: ${d.reason}`, d.basis ? h('span', { class: 'meta' }, ` (${d.basis})`) : null);
  return h('div', null, h('h1', null, t('cal.title', { y: year })), yform,
    h('p', { class: 'meta' }, t('cal.version', { v: cal.calendar_version })),
    h('p', { class: 'legend' }, ['work', 'weekend', 'holiday', 'compensatory', 'off', 'swap_work'].map((k) => h('span', { class: `urg-chip k-${k}` }, t(`kind.${k}`)))),
    h('div', { class: 'year' }, months),
    h('h2', null, t('cal.daysOff')), h('ul', { id: 'days-off' }, cal.days_off.map(listItem)),
    cal.working_days_swapped.length ? [h('h2', null, t('cal.swapped')), h('ul', null, cal.working_days_swapped.map((d) => listItem({ ...d, kind: 'swap_work' })))] : null,
    h('section', { 'aria-labelledby': 'ann-title' }, h('h2', { id: 'ann-title' }, t('cal.announce')), form));
}

// ------------------------------------------------------------------ notifications

async function pageNotifications(params) {
  requireRole();
  const onlyUnread = params.get('unread') === '1';
  const r = await api('GET', '/notifications' + qs({ unread: onlyUnread ? 1 : '', limit: 200 }));
  S.unread = r.unread;
  const out = h('div', { 'aria-live': 'polite' });
  const form = h('form', {
    class: 'filters',
    onsubmit: (e) => { e.preventDefault(); navigate('/thong-bao' + qs({ unread: form.querySelector('input').checked ? 1 : '' })); },
  },
  h('div', { class: 'check' }, h('input', { type: 'checkbox', id: 'notif-unread-only', name: 'unread', value: '1', checked: onlyUnread }),
    h('label', { for: 'notif-unread-only' }, t('notif.onlyUnread'))),
  h('div', null, h('button', { type: 'submit' }, t('notif.show'))));
  const items = r.items.map((n) => {
    const unread = !n.read_at;
    const tid = `notif-title-${n.id}`;
    return h('li', { class: `card notif${unread ? ' unread' : ''}`, 'data-id': n.id, 'data-read': unread ? '0' : '1', 'aria-labelledby': tid },
      h('h2', { class: 'notif-title', id: tid }, n.title),
      h('p', { class: 'meta' }, h('span', { class: `badge kind-${n.kind}` }, t(`notif.kind.${n.kind}`)), ' ', fmtDateTime(n.created_at),
        ' · ', unread ? h('strong', { class: 'notif-state' }, t('notif.isUnread')) : h('span', { class: 'notif-state' }, t('notif.readAt', { at: fmtDateTime(n.read_at) }))),
      h('p', { class: 'notif-body' }, n.body),
      h('p', { class: 'notif-actions' },
        n.dossier_id ? h('a', { href: `/ho-so/${n.dossier_id}` }, t('notif.openDossier', { code: n.dossier_code || `#${n.dossier_id}` })) : null,
        n.dossier_id && unread ? ' ' : null,
        unread ? h('button', {
          type: 'button', class: 'secondary mark-read', 'aria-label': t('notif.markReadOf', { title: n.title }),
          onclick: async (e) => {
            e.target.disabled = true;
            try {
              await api('POST', `/notifications/${n.id}/read`);
              flash(t('notif.marked'));
              navigate(location.pathname + location.search, true);
            } catch (ex) { e.target.disabled = false; out.replaceChildren(msg(errText(ex))); }
          },
        }, t('notif.markRead')) : null));
  });
  return h('div', null, h('h1', null, t('notif.title')), form, out,
    h('p', { role: 'status', id: 'notif-count' }, t('notif.summary', { n: r.total, u: r.unread })),
    items.length ? h('ul', { class: 'cards', id: 'notif-list' }, items) : h('p', null, t('notif.empty')));
}

// ------------------------------------------------------------------ inspector: violations

const V_STATES = ['open', 'confirmed', 'dismissed'];
const V_RULES = ['supplement_repeated', 'supplement_late', 'reschedule_late', 'late_return', 'consult_late',
  'step_by_non_assignee', 'overdue_without_apology'];
const unitCache = new Map();

export async function unitNames(ids) {
  const want = [...new Set(ids.filter((x) => x && !unitCache.has(x)))];
  await Promise.all(want.map(async (id) => {
    try { unitCache.set(id, await api('GET', `/units/${id}`)); } catch (e) { unitCache.set(id, null); }
  }));
  const m = new Map();
  for (const id of ids) if (unitCache.get(id)) m.set(id, unitCache.get(id));
  return m;
}

// Names of the accounts in the caller's scope (officials blamed, deciders).
async function accountNames() {
  const m = new Map();
  try {
    const r = await api('GET', '/accounts' + (S.me.role === 'admin' && !S.me.unit_id ? qs({ unit_id: 0 }) : ''));
    for (const a of r.items) m.set(a.id, `${a.full_name} (${a.username})`);
  } catch (e) { /* names are a nicety */ }
  return m;
}

export function unitLabel(units, id) {
  const u = units.get(id);
  return u ? `${u.name} (${u.code})` : `#${id}`;
}

function vStateBadge(state, id) {
  return h('span', { class: `badge vstate vstate-${state}`, id: id || null }, t(`v.state.${state}`));
}

async function pageViolations(params) {
  requireRole(['inspector', 'leader', 'admin']);
  const query = { state: params.get('state') || '', rule: params.get('rule') || '', unit_id: params.get('unit_id') || '', limit: 200 };
  const [r, accs] = await Promise.all([api('GET', '/violations' + qs(query)), accountNames()]);
  const units = await unitNames([...r.items.map((v) => v.unit_id), Number(query.unit_id) || 0]);
  const unit = unitPicker(t('v.unit'), { id: 'v-unit', emptyLabel: t('v.clearUnit') });
  if (query.unit_id && units.get(Number(query.unit_id))) {
    unit.sel.append(h('option', { value: query.unit_id }, unitLabel(units, Number(query.unit_id))));
    unit.sel.value = query.unit_id;
  }
  const stateSel = h('select', { id: 'v-state', name: 'state' }, h('option', { value: '' }, t('v.allStates')),
    V_STATES.map((s) => h('option', { value: s, selected: s === query.state }, t(`v.state.${s}`))));
  const ruleSel = h('select', { id: 'v-rule', name: 'rule' }, h('option', { value: '' }, t('v.allRules')),
    V_RULES.map((s) => h('option', { value: s, selected: s === query.rule }, t(`v.rule.${s}`))));
  const form = h('form', {
    id: 'violation-filters',
    onsubmit: (e) => {
      e.preventDefault();
      navigate('/thanh-tra/vi-pham' + qs({ state: stateSel.value, rule: ruleSel.value, unit_id: unit.sel.value }));
    },
  },
  h('div', { class: 'filters' },
    h('div', { class: 'field' }, h('label', { for: 'v-state' }, t('v.state')), stateSel),
    h('div', { class: 'field' }, h('label', { for: 'v-rule' }, t('v.rule')), ruleSel)),
  unit.node,
  h('button', { type: 'submit', id: 'v-filter' }, t('v.filter')));
  const items = r.items.map((v) => {
    const code = v.evidence && v.evidence.dossier_code;
    return h('li', { class: `card violation vs-${v.state}`, 'data-id': v.id, 'data-dossier': v.dossier_id, 'data-state': v.state },
      h('a', { href: `/thanh-tra/vi-pham/${v.id}`, class: 'card-title' }, `#${v.id} · ${t(`v.rule.${v.rule}`)}`),
      h('p', null, vStateBadge(v.state), ` ${t('v.dossier')}: ${code || `#${v.dossier_id}`}`),
      h('p', { class: 'meta' }, `${t('v.official')}: ${v.official_id ? (accs.get(v.official_id) || `#${v.official_id}`) : t('v.noOfficial')}`,
        ` · ${unitLabel(units, v.unit_id)} · ${fmtDateTime(v.at)}`));
  });
  return h('div', null, h('h1', null, t('v.title')), form,
    h('p', { role: 'status', id: 'violation-count' }, t('common.total', { n: r.total })),
    items.length ? h('ul', { class: 'cards', id: 'violation-list' }, items) : h('p', null, t('common.empty')));
}

async function findViolation(id) {
  for (let offset = 0; offset <= 10000000; offset += 500) {
    const r = await api('GET', '/violations' + qs({ limit: 500, offset }));
    const v = r.items.find((x) => x.id === id);
    if (v) return v;
    if (offset + r.items.length >= r.total || !r.items.length) return null;
  }
  return null;
}

const TS_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

function evidenceValue(k, v, accs) {
  if (v === null || v === undefined) return '-';
  if ((k === 'assignee_id' || k === 'finished_by') && typeof v === 'number') return accs.get(v) || `#${v}`;
  if (typeof v === 'string') return TS_RE.test(v) ? fmtDateTime(v) : v;
  if (Array.isArray(v)) {
    return h('ul', { class: 'plain' }, v.map((x) => h('li', null, x && typeof x === 'object'
      ? [x.seq ? `${x.seq}. ` : '', x.name || (x.id !== undefined ? `#${x.id}` : JSON.stringify(x))]
      : String(x))));
  }
  if (typeof v === 'object') return evidenceList(v, accs);
  if (typeof v === 'boolean') return v ? t('common.yes') : t('common.no');
  return String(v);
}

function evidenceList(ev, accs) {
  return dl(Object.entries(ev).map(([k, v]) => [t(`ev.${k}`) === `ev.${k}` ? k : t(`ev.${k}`), evidenceValue(k, v, accs), { 'data-key': k }]));
}

async function pageViolation(params, idStr) {
  requireRole(['inspector', 'leader', 'admin']);
  const id = Number(idStr);
  const [v, accs] = await Promise.all([findViolation(id), accountNames()]);
  const back = h('p', null, h('a', { href: '/thanh-tra/vi-pham' }, '← ', t('v.back')));
  if (!v) return h('div', null, back, h('h1', null, t('v.detail', { id })), msg(t('v.notFound', { id })));
  const units = await unitNames([v.unit_id]);
  const code = v.evidence && v.evidence.dossier_code;
  let decision = null;
  if (v.state === 'open' && S.me.role === 'inspector') {
    const err = h('div', { 'aria-live': 'assertive' });
    const btn = h('button', { type: 'submit', id: 'decision-send' }, t('v.send'));
    const radio = (val, label) => h('div', { class: 'check' },
      h('input', { type: 'radio', name: 'decision', id: `decision-${val}`, value: val, required: true }),
      h('label', { for: `decision-${val}` }, label));
    const form = h('form', {
      id: 'decision-form',
      onsubmit: async (e) => {
        e.preventDefault();
        err.replaceChildren();
        const fd = new FormData(form);
        const body = { decision: fd.get('decision'), reason: (fd.get('reason') || '').trim() };
        if (!body.decision) { err.replaceChildren(msg(t('v.needDecision'))); return; }
        if (!body.reason) { err.replaceChildren(msg(t('v.needReason'))); form.querySelector('textarea').focus(); return; }
        btn.disabled = true;
        try {
          await api('POST', `/violations/${v.id}/decision`, body);
          flash(t(body.decision === 'confirm' ? 'v.confirmed' : 'v.dismissed', { id: v.id }));
          navigate(location.pathname, true);
        } catch (ex) {
          btn.disabled = false;
          err.replaceChildren(msg(errText(ex)));
        }
      },
    },
    h('fieldset', null, h('legend', null, t('v.decision'), h('span', { class: 'req' }, ' *', h('span', { class: 'sr-only' }, t('common.required')))),
      radio('confirm', t('v.confirm')), radio('dismiss', t('v.dismiss'))),
    field(t('v.reason'), 'textarea', { name: 'reason', id: 'decision-reason', required: true, maxlength: 4000, hint: t('v.reasonHint') }),
    err, btn);
    decision = h('section', { 'aria-labelledby': 'decide-title', id: 'decide' }, h('h2', { id: 'decide-title' }, t('v.decide')), form);
  } else if (v.state === 'open') {
    decision = h('p', { class: 'note' }, t('v.onlyInspector'));
  }
  return h('div', null, back,
    h('h1', null, t('v.detail', { id: v.id })),
    h('p', null, vStateBadge(v.state, 'violation-state')),
    dl([
      [t('v.rule'), t(`v.rule.${v.rule}`), { id: 'violation-rule' }],
      [t('v.dossier'), h('a', { href: `/ho-so/${v.dossier_id}`, id: 'violation-dossier' }, code || `#${v.dossier_id}`)],
      [t('v.official'), v.official_id ? (accs.get(v.official_id) || `#${v.official_id}`) : t('v.noOfficial'), { id: 'violation-official' }],
      [t('v.unit'), unitLabel(units, v.unit_id)],
      [t('v.at'), fmtDateTime(v.at)],
      [t('v.decidedAt'), v.decided_at ? fmtDateTime(v.decided_at) : null],
      [t('v.decidedBy'), v.decided_by ? (accs.get(v.decided_by) || `#${v.decided_by}`) : null],
      [t('v.decisionReason'), v.decision_reason, { id: 'violation-reason' }],
    ]),
    h('section', { 'aria-labelledby': 'evidence-title', id: 'evidence' }, h('h2', { id: 'evidence-title' }, t('v.evidence')),
      v.evidence && Object.keys(v.evidence).length ? evidenceList(v.evidence, accs) : h('p', null, t('v.noEvidence'))),
    decision);
}

// ------------------------------------------------------------------ discipline summary

// One CSV cell: always quoted; text that Excel would run as a formula is
// prefixed with an apostrophe.
function csvCell(x) {
  let s = x === null || x === undefined ? '' : String(x);
  if (typeof x === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return `"${s.replace(/"/g, '""')}"`;
}

// UTF-8 with a byte-order mark and CRLF line ends, so that Excel shows the
// Vietnamese letters and splits the columns.
function csvBlob(rows) {
  const text = rows.map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
  return new Blob(['\uFEFF', text], { type: 'text/csv;charset=utf-8' });
}

let csvUrl = null;

async function pageDiscipline(params) {
  requireRole(['inspector', 'leader', 'admin']);
  const query = { from: params.get('from') || '', to: params.get('to') || '', unit_id: params.get('unit_id') || '' };
  const sum = await api('GET', '/discipline/summary' + qs(query));
  const units = await unitNames([...sum.by_official.map((o) => o.unit_id), Number(query.unit_id) || 0]);
  for (const u of sum.by_unit) if (!units.has(u.unit_id)) units.set(u.unit_id, { name: u.name, code: u.code });
  const unit = unitPicker(t('v.unit'), { id: 'ds-unit', emptyLabel: t('v.clearUnit') });
  if (query.unit_id && units.get(Number(query.unit_id))) {
    unit.sel.append(h('option', { value: query.unit_id }, unitLabel(units, Number(query.unit_id))));
    unit.sel.value = query.unit_id;
  }
  const err = h('div', { 'aria-live': 'assertive' });
  const form = h('form', {
    id: 'discipline-filters',
    onsubmit: (e) => {
      e.preventDefault();
      const fd = new FormData(form);
      const q = { unit_id: unit.sel.value };
      for (const k of ['from', 'to']) {
        const raw = (fd.get(k) || '').trim();
        if (!raw) continue;
        q[k] = parseDate(raw);
        if (!q[k]) { err.replaceChildren(msg(t('ds.badDate'))); form.querySelector(`[name=${k}]`).focus(); return; }
      }
      navigate('/thanh-tra/tong-hop' + qs(q));
    },
  },
  h('div', { class: 'filters' },
    field(t('ds.from'), 'text', { name: 'from', id: 'ds-from', value: fmtDate(query.from), placeholder: 'dd/mm/yyyy', inputmode: 'numeric', autocomplete: 'off' }),
    field(t('ds.to'), 'text', { name: 'to', id: 'ds-to', value: fmtDate(query.to), placeholder: 'dd/mm/yyyy', inputmode: 'numeric', autocomplete: 'off' })),
  unit.node, err,
  h('button', { type: 'submit' }, t('ds.show')));
  const rulesText = (rules) => Object.entries(rules || {}).map(([k, n]) => `${t(`v.rule.${k}`)}: ${n}`).join('; ');
  const offName = (o) => o.name || (o.official_id ? `#${o.official_id}` : t('v.noOfficial'));
  const range = t('ds.range', { from: query.from ? fmtDate(query.from) : '…', to: query.to ? fmtDate(query.to) : '…' });
  const unitHead = [t('ds.unitCode'), t('ds.unitName'), t('ds.count')];
  const offHead = [t('ds.official'), t('ds.unitName'), t('ds.count'), t('ds.rules')];
  const unitRows = sum.by_unit.map((u) => [u.code || '', u.name || '', u.count]);
  const offRows = sum.by_official.map((o) => [offName(o), unitLabel(units, o.unit_id), o.count, rulesText(o.rules)]);
  const csv = [[t('ds.title')], [query.from || query.to ? range : t('ds.allTime')], [t('ds.total', { n: sum.total })], [],
    [t('ds.byUnit')], unitHead, ...unitRows, [], [t('ds.byOfficial')], offHead, ...offRows];
  if (csvUrl) URL.revokeObjectURL(csvUrl);
  csvUrl = URL.createObjectURL(csvBlob(csv));
  const stamp = `${query.from || ''}${query.to ? `_${query.to}` : ''}`;
  const table = (id, title, head, rows) => h('section', { 'aria-labelledby': `${id}-title` }, h('h2', { id: `${id}-title` }, title),
    rows.length ? h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-labelledby': `${id}-title` }, h('table', { id },
      h('thead', null, h('tr', null, head.map((x) => h('th', { scope: 'col' }, x)))),
      h('tbody', null, rows.map((r) => h('tr', null, r.map((c, i) => (i === 0 ? h('th', { scope: 'row' }, String(c)) : h('td', null, String(c))))))))) : h('p', null, t('common.empty')));
  return h('div', null, h('h1', null, t('ds.title')), form,
    h('p', { role: 'status', id: 'ds-total' }, h('strong', null, t('ds.total', { n: sum.total })), ' · ', query.from || query.to ? range : t('ds.allTime')),
    h('p', null, h('a', { href: csvUrl, download: `${t('ds.csvName')}${stamp ? `-${stamp}` : ''}.csv`, id: 'csv-download', class: 'button secondary' }, t('ds.csv'))),
    table('ds-units', t('ds.byUnit'), unitHead, unitRows),
    table('ds-officials', t('ds.byOfficial'), offHead, offRows));
}

// ------------------------------------------------------------------ boot

async function boot() {
  setLang(getLang());
  try { S.me = await api('GET', '/me'); } catch (e) { S.me = null; }
  await render();
}

boot();
