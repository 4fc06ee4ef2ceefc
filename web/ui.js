// ui.js - DOM helpers shared by app.js and the page modules in pages/.
// h() builds elements so that server text is never parsed as HTML.
import { t } from '/i18n.js';
import { ApiError } from '/api.js';

export function h(tag, attrs, ...kids) {
  const el = document.createElement(tag);
  if (attrs) {
    for (const [k, v] of Object.entries(attrs)) {
      if (v === undefined || v === null || v === false) continue;
      if (k === 'class') el.className = v;
      else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
      else if (k === 'value') el.value = v;
      else if (v === true) el.setAttribute(k, '');
      else el.setAttribute(k, v);
    }
  }
  add(el, kids);
  return el;
}

export function add(el, kids) {
  for (const k of kids) {
    if (k === null || k === undefined || k === false) continue;
    if (Array.isArray(k)) add(el, k);
    else el.append(k instanceof Node ? k : document.createTextNode(String(k)));
  }
}

let uid = 0;
export function nextId(p) { uid += 1; return `${p}-${uid}`; }

// A labelled form field. kind: input type, 'textarea' or 'select'.
export function field(label, kind, attrs = {}, options) {
  const { hint, ...rest } = attrs;
  attrs = rest;
  const id = attrs.id || nextId('f');
  let hintEl = null;
  if (hint) {
    const hid = `${id}-hint`;
    hintEl = h('p', { class: 'hint', id: hid }, hint);
    attrs = { ...attrs, 'aria-describedby': hid };
  }
  let ctl;
  if (kind === 'textarea') ctl = h('textarea', { ...attrs, id, rows: attrs.rows || 3 });
  else if (kind === 'select') ctl = h('select', { ...attrs, id }, options || []);
  else ctl = h('input', { type: kind, ...attrs, id });
  const req = attrs.required ? h('span', { class: 'req' }, ' *', h('span', { class: 'sr-only' }, t('common.required'))) : null;
  return h('div', { class: 'field' }, h('label', { for: id }, label, req), ctl, hintEl);
}

export function dl(rows) {
  return h('dl', { class: 'facts' }, rows.filter((r) => r && r[1] !== null && r[1] !== undefined && r[1] !== '')
    .map(([k, v, attrs]) => h('div', attrs || null, h('dt', null, k), h('dd', null, v))));
}

export function msg(text, kind = 'error') {
  return h('p', { class: `msg msg-${kind}`, role: kind === 'error' ? 'alert' : 'status' }, text);
}

export function errText(e) {
  if (e instanceof ApiError) return `${t('common.error')}: ${e.message}${e.code ? ` (${e.code})` : ''}`;
  return `${t('common.error')}: ${e && e.message ? e.message : e}`;
}

export function debounce(fn, ms) {
  let tm = null;
  return (...a) => { clearTimeout(tm); tm = setTimeout(() => fn(...a), ms); };
}

// A dd/mm/yyyy text field (Vietnamese date order), value given as yyyy-mm-dd.
export function dateField(label, attrs = {}) {
  const { value, ...rest } = attrs;
  return field(`${label} (dd/mm/yyyy)`, 'text', { ...rest, value: value ? value.replace(/^(\d{4})-(\d{2})-(\d{2}).*$/, '$3/$2/$1') : '',
    placeholder: 'dd/mm/yyyy', inputmode: 'numeric', autocomplete: 'off', pattern: '\\d{1,2}/\\d{1,2}/\\d{4}' });
}
