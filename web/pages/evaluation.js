// pages/evaluation.js - citizens' evaluations of finished dossiers (TT
// 01/2018/TT-VPCP Điều 12-14). Three channels, each at most once per
// dossier: the applicant online (form on the dossier page), a desk officer
// entering a paper form (dossier page), and the kiosk page /danh-gia
// (no login: dossier code + the receipt secret). Citizens judge criteria
// 1, 3, 4 and 7 (2/1/0 points, optional) and give an overall satisfaction
// (required) and a comment; the system computes the other criteria.
import { t, extend, fmtDateTime } from '/i18n.js';
import { api } from '/api.js';
import { h, field, dl, msg, errText } from '/ui.js';
import { S } from '/app.js';

// Criteria of TT 01/2018 Điều 13 that the citizen judges, with the
// meaning of 2, 1 and 0 points (names as in the Circular).
const CRITERIA = [1, 3, 4, 7];
const SATISFACTION = ['very_satisfied', 'satisfied', 'dissatisfied'];
const FINISHED = ['done', 'rejected', 'returned'];
const KIOSK_RESET_MS = 15000;
// A half-filled kiosk form is cleared after this long without input.
const KIOSK_IDLE_MS = 120000;

extend({
  'ev.title': 'Đánh giá việc giải quyết thủ tục hành chính',
  'ev.intro': 'Theo Thông tư 01/2018/TT-VPCP, người dân đánh giá các tiêu chí 1, 3, 4 và 7 (không bắt buộc) và mức độ hài lòng chung (bắt buộc). Mỗi hồ sơ được đánh giá một lần qua mỗi kênh.',
  'ev.crit.1': 'Tổng thời gian giải quyết TTHC so với thời gian cho phép',
  'ev.crit.1.2': 'Sớm hơn thời gian cho phép (2 điểm)',
  'ev.crit.1.1': 'Đúng thời gian cho phép (1 điểm)',
  'ev.crit.1.0': 'Quá thời gian cho phép (0 điểm)',
  'ev.crit.3': 'Số lần phải liên hệ với nơi tiếp nhận hồ sơ để hoàn thiện hồ sơ (kể cả trực tuyến)',
  'ev.crit.3.2': 'Không phải liên hệ lần nào (2 điểm)',
  'ev.crit.3.1': 'Liên hệ 1 lần (1 điểm)',
  'ev.crit.3.0': 'Liên hệ hơn 1 lần (0 điểm)',
  'ev.crit.4': 'Số lượng cơ quan, đơn vị, tổ chức phải liên hệ để hoàn thiện hồ sơ',
  'ev.crit.4.2': 'Không phải liên hệ cơ quan nào (2 điểm)',
  'ev.crit.4.1': 'Chỉ liên hệ Bộ phận Một cửa (1 điểm)',
  'ev.crit.4.0': 'Phải liên hệ hơn một cơ quan, đơn vị (0 điểm)',
  'ev.crit.7': 'Thái độ của cán bộ, công chức, viên chức khi hướng dẫn, tiếp nhận, giải quyết hồ sơ',
  'ev.crit.7.2': 'Giải quyết sớm, không có sách nhiễu, gây phiền hà (2 điểm)',
  'ev.crit.7.1': 'Giải quyết đúng hạn, không có sách nhiễu, gây phiền hà (1 điểm)',
  'ev.crit.7.0': 'Có sách nhiễu, gây phiền hà, không đúng quy định (0 điểm)',
  'ev.crit.skip': 'Không đánh giá',
  'ev.critN': 'Tiêu chí {n}',
  'ev.sat': 'Mức độ hài lòng chung',
  'ev.sat.very_satisfied': 'Rất hài lòng',
  'ev.sat.satisfied': 'Hài lòng',
  'ev.sat.dissatisfied': 'Không hài lòng',
  'ev.needSat': 'Hãy chọn mức độ hài lòng chung.',
  'ev.comment': 'Ý kiến khác (không bắt buộc)',
  'ev.send': 'Gửi đánh giá',
  'ev.online': 'Đánh giá hồ sơ này',
  'ev.desk': 'Nhập phiếu đánh giá giấy của người dân',
  'ev.deskHint': 'Ghi lại đúng các lựa chọn trên phiếu giấy người dân đã điền; phiếu được ghi nhận qua kênh "tại quầy".',
  'ev.saved': 'Đã ghi nhận đánh giá. Cảm ơn ông/bà!',
  'ev.recorded': 'Đánh giá đã ghi nhận',
  'ev.none': 'Chưa có đánh giá nào.',
  'ev.notFinished': 'Hồ sơ được đánh giá sau khi có kết quả giải quyết.',
  'ev.channel': 'Kênh',
  'ev.channel.online': 'Trực tuyến',
  'ev.channel.kiosk': 'Ki-ốt tại Bộ phận Một cửa',
  'ev.channel.desk': 'Phiếu giấy (cán bộ nhập)',
  'ev.at': 'Thời điểm',
  'ev.notJudged': 'Không đánh giá',
  'ev.points': '{n} điểm',
  'ev.secret': 'Mã đánh giá tại ki-ốt',
  'ev.secretHint': 'Người dân nhập số hồ sơ và mã này trên máy đánh giá tại Bộ phận Một cửa.',
  'nav.kiosk': 'Đánh giá tại ki-ốt',
  'kiosk.title': 'Đánh giá sự hài lòng',
  'kiosk.intro': 'Nhập số hồ sơ và mã đánh giá in trên giấy tiếp nhận, rồi chọn đánh giá của ông/bà.',
  'kiosk.code': 'Số hồ sơ',
  'kiosk.codeHint': 'Ví dụ: H26.00004-260305-0001',
  'kiosk.secret': 'Mã đánh giá (6 ký tự)',
  'kiosk.thanks': 'Cảm ơn ông/bà đã đánh giá hồ sơ {code}!',
  'kiosk.next': 'Màn hình sẵn sàng cho lượt đánh giá tiếp theo.',
  'kiosk.notFound': 'Không tìm thấy hồ sơ với số hồ sơ và mã đánh giá này. Hãy kiểm tra lại giấy tiếp nhận.',
  'kiosk.already': 'Hồ sơ này đã được đánh giá tại ki-ốt.',
  'kiosk.notFinished': 'Hồ sơ chưa có kết quả giải quyết nên chưa thể đánh giá.',
}, {
  'ev.title': 'Evaluation of how the procedure was handled',
  'ev.intro': 'Under Circular 01/2018/TT-VPCP citizens judge criteria 1, 3, 4 and 7 (optional) and the overall satisfaction (required). A dossier is evaluated once per channel.',
  'ev.crit.1': 'Total processing time compared with the time allowed',
  'ev.crit.1.2': 'Shorter than allowed (2 points)',
  'ev.crit.1.1': 'As allowed (1 point)',
  'ev.crit.1.0': 'Longer than allowed (0 points)',
  'ev.crit.3': 'Number of contacts with the receiving desk to complete the dossier (online included)',
  'ev.crit.3.2': 'None (2 points)',
  'ev.crit.3.1': 'Once (1 point)',
  'ev.crit.3.0': 'More than once (0 points)',
  'ev.crit.4': 'Number of bodies contacted to complete the dossier',
  'ev.crit.4.2': 'None (2 points)',
  'ev.crit.4.1': 'Only the one-stop desk (1 point)',
  'ev.crit.4.0': 'More than one body (0 points)',
  'ev.crit.7': 'Attitude of the officials who guided, received and handled the dossier',
  'ev.crit.7.2': 'Handled early, no harassment (2 points)',
  'ev.crit.7.1': 'Handled on time, no harassment (1 point)',
  'ev.crit.7.0': 'Harassment or improper conduct (0 points)',
  'ev.crit.skip': 'Not judged',
  'ev.critN': 'Criterion {n}',
  'ev.sat': 'Overall satisfaction',
  'ev.sat.very_satisfied': 'Very satisfied',
  'ev.sat.satisfied': 'Satisfied',
  'ev.sat.dissatisfied': 'Dissatisfied',
  'ev.needSat': 'Choose the overall satisfaction.',
  'ev.comment': 'Other comments (optional)',
  'ev.send': 'Send the evaluation',
  'ev.online': 'Evaluate this dossier',
  'ev.desk': 'Enter a citizen\'s paper evaluation form',
  'ev.deskHint': 'Copy the choices the citizen made on the paper form; it is recorded on the "desk" channel.',
  'ev.saved': 'Evaluation recorded. Thank you!',
  'ev.recorded': 'Recorded evaluations',
  'ev.none': 'No evaluation yet.',
  'ev.notFinished': 'A dossier can be evaluated once it has a result.',
  'ev.channel': 'Channel',
  'ev.channel.online': 'Online',
  'ev.channel.kiosk': 'Kiosk at the one-stop desk',
  'ev.channel.desk': 'Paper form (entered by an officer)',
  'ev.at': 'At',
  'ev.notJudged': 'Not judged',
  'ev.points': '{n} points',
  'ev.secret': 'Kiosk evaluation code',
  'ev.secretHint': 'The citizen types the dossier code and this code on the evaluation kiosk at the one-stop desk.',
  'nav.kiosk': 'Kiosk rating',
  'kiosk.title': 'Rate our service',
  'kiosk.intro': 'Type the dossier code and the evaluation code printed on your receipt, then choose your ratings.',
  'kiosk.code': 'Dossier code',
  'kiosk.codeHint': 'For example: H26.00004-260305-0001',
  'kiosk.secret': 'Evaluation code (6 characters)',
  'kiosk.thanks': 'Thank you for rating dossier {code}!',
  'kiosk.next': 'The screen is ready for the next person.',
  'kiosk.notFound': 'No dossier with this code and evaluation code. Please check your receipt.',
  'kiosk.already': 'This dossier has already been rated at the kiosk.',
  'kiosk.notFinished': 'The dossier has no result yet, so it cannot be rated.',
});

// The criteria, satisfaction and comment fields; prefix keeps ids unique
// when two forms are on one page.
function ratingFields(prefix) {
  const crit = CRITERIA.map((n) => {
    const name = `c${n}`;
    const opts = [2, 1, 0].map((v) => {
      const id = `${prefix}-c${n}-${v}`;
      return h('div', { class: 'choice' }, h('input', { type: 'radio', id, name, value: String(v) }),
        h('label', { for: id }, t(`ev.crit.${n}.${v}`)));
    });
    const skipId = `${prefix}-c${n}-skip`;
    opts.push(h('div', { class: 'choice' }, h('input', { type: 'radio', id: skipId, name, value: '', checked: true }),
      h('label', { for: skipId }, t('ev.crit.skip'))));
    return h('fieldset', { class: 'rating', id: `${prefix}-crit-${n}` },
      h('legend', null, `${t('ev.critN', { n })}. ${t(`ev.crit.${n}`)}`), opts);
  });
  const sat = h('fieldset', { class: 'rating rating-sat', id: `${prefix}-sat` },
    h('legend', null, t('ev.sat'), h('span', { class: 'req' }, ' *', h('span', { class: 'sr-only' }, t('common.required')))),
    SATISFACTION.map((s) => {
      const id = `${prefix}-sat-${s}`;
      return h('div', { class: `choice sat-${s}` }, h('input', { type: 'radio', id, name: 'satisfaction', value: s, required: true }),
        h('label', { for: id }, t(`ev.sat.${s}`)));
    }));
  return [crit, sat, field(t('ev.comment'), 'textarea', { name: 'comment', id: `${prefix}-comment`, maxlength: 2000 })];
}

// The JSON body of an evaluation from the form's data.
function ratingBody(fd) {
  const scores = {};
  for (const n of CRITERIA) {
    const v = fd.get(`c${n}`);
    if (v !== null && v !== '') scores[String(n)] = Number(v);
  }
  const body = { scores, satisfaction: fd.get('satisfaction') };
  const comment = (fd.get('comment') || '').trim();
  if (comment) body.comment = comment;
  return body;
}

function scoreText(v) { return v === null || v === undefined ? t('ev.notJudged') : t('ev.points', { n: v }); }

function recordedItem(e) {
  return h('li', { class: 'card evaluation', 'data-channel': e.channel, id: `ev-${e.channel}` },
    dl([
      [t('ev.channel'), t(`ev.channel.${e.channel}`)],
      [t('ev.sat'), h('strong', { class: 'ev-sat' }, t(`ev.sat.${e.satisfaction}`))],
      ...CRITERIA.map((n) => [`${t('ev.critN', { n })}. ${t(`ev.crit.${n}`)}`,
        h('span', { 'data-criterion': n }, scoreText(e.scores ? e.scores[String(n)] : null))]),
      [t('ev.comment'), e.comment],
      [t('ev.at'), fmtDateTime(e.at)],
    ]));
}

// The form on the dossier page (applicant online, or desk paper form).
function dossierForm(d, channel, onSaved) {
  const prefix = `ev-${channel}`;
  const err = h('div', { 'aria-live': 'assertive' });
  const btn = h('button', { type: 'submit', id: `${prefix}-send` }, t('ev.send'));
  const form = h('form', {
    id: `${prefix}-form`, class: 'action-form rating-form', novalidate: true,
    onsubmit: async (e) => {
      e.preventDefault();
      err.replaceChildren();
      const body = ratingBody(new FormData(form));
      if (!body.satisfaction) { err.replaceChildren(msg(t('ev.needSat'))); form.querySelector('input[name=satisfaction]').focus(); return; }
      btn.disabled = true;
      try {
        await api('POST', `/dossiers/${d.id}/evaluation`, body);
        await onSaved(t('ev.saved'));
      } catch (ex) { btn.disabled = false; err.replaceChildren(msg(errText(ex))); }
    },
  }, channel === 'desk' ? h('p', { class: 'hint' }, t('ev.deskHint')) : null, ratingFields(prefix), err, btn);
  const label = t(channel === 'desk' ? 'ev.desk' : 'ev.online');
  return h('details', { class: 'action', id: `${prefix}-box`, open: channel === 'online' ? true : null },
    h('summary', null, label), form);
}

// The evaluation section of the dossier page: what is recorded, the form
// the current user may fill, and (officials) the kiosk code. Returns null
// for roles that neither evaluate nor see evaluations.
export async function evaluationSection(d) {
  const sec = h('section', { 'aria-labelledby': 'eval-title', id: 'evaluation' });
  const fill = async (note) => {
    let ev;
    try { ev = await api('GET', `/dossiers/${d.id}/evaluation`); } catch (e) {
      sec.replaceChildren(h('h2', { id: 'eval-title' }, t('ev.title')), msg(errText(e)));
      return;
    }
    const items = ev.items || [];
    const has = (ch) => items.some((e) => e.channel === ch);
    const finished = ev.finished || FINISHED.includes(d.state);
    let form = null;
    if (finished && S.me.role === 'citizen' && !has('online')) form = dossierForm(d, 'online', refresh);
    if (finished && S.me.role === 'desk' && !has('desk')) form = dossierForm(d, 'desk', refresh);
    sec.replaceChildren(...[h('h2', { id: 'eval-title' }, t('ev.title')),
      note ? msg(note, 'ok') : null,
      ev.kiosk_secret ? dl([[t('ev.secret'), h('strong', { id: 'kiosk-secret', class: 'mono' }, ev.kiosk_secret)]]) : null,
      ev.kiosk_secret ? h('p', { class: 'hint' }, t('ev.secretHint')) : null,
      finished ? null : h('p', { id: 'eval-not-finished' }, t('ev.notFinished')),
      form ? [h('p', { class: 'hint' }, t('ev.intro')), form] : null,
      items.length ? [h('h3', null, t('ev.recorded')), h('ul', { class: 'cards', id: 'eval-list' }, items.map(recordedItem))]
        : (finished ? h('p', { id: 'eval-none' }, t('ev.none')) : null)].flat().filter(Boolean));
  };
  async function refresh(note) {
    await fill(note);
    const st = sec.querySelector('.msg-ok');
    if (st) { st.setAttribute('tabindex', '-1'); st.focus(); }
  }
  await fill(null);
  return sec;
}

// ------------------------------------------------------------------ kiosk

function kioskError(ex) {
  if (ex.status === 404) return t('kiosk.notFound');
  if (ex.code === 'already_evaluated') return t('kiosk.already');
  if (ex.code === 'not_finished') return t('kiosk.notFinished');
  return errText(ex);
}

// The kiosk page: no login; the tablet at the desk keeps it open. After a
// rating the form is cleared at once for the next person and the thanks
// stay on screen for a while; a form left half-filled is cleared after
// two minutes without input.
async function pageKiosk() {
  const status = h('div', { id: 'kiosk-status', role: 'status', 'aria-live': 'polite' });
  const err = h('div', { 'aria-live': 'assertive', id: 'kiosk-error' });
  const btn = h('button', { type: 'submit', id: 'kiosk-send', class: 'big' }, t('ev.send'));
  let timer = null;
  let idle = null;
  const form = h('form', {
    id: 'kiosk-form', class: 'rating-form kiosk-form', novalidate: true, autocomplete: 'off',
    onsubmit: async (e) => {
      e.preventDefault();
      err.replaceChildren();
      const fd = new FormData(form);
      const code = (fd.get('code') || '').trim().toUpperCase();
      const secret = (fd.get('secret') || '').trim().toLowerCase();
      const body = ratingBody(fd);
      if (!code) { err.replaceChildren(msg(t('kiosk.notFound'))); form.elements.code.focus(); return; }
      if (!secret) { err.replaceChildren(msg(t('kiosk.notFound'))); form.elements.secret.focus(); return; }
      if (!body.satisfaction) { err.replaceChildren(msg(t('ev.needSat'))); form.querySelector('input[name=satisfaction]').focus(); return; }
      btn.disabled = true;
      try {
        await api('POST', '/public/evaluations', { code, secret, ...body });
        form.reset();
        clearTimeout(timer);
        status.replaceChildren(msg(t('kiosk.thanks', { code }), 'ok'), h('p', { class: 'hint' }, t('kiosk.next')));
        timer = setTimeout(() => status.replaceChildren(), KIOSK_RESET_MS);
        form.elements.code.focus();
        window.scrollTo(0, 0);
      } catch (ex) {
        err.replaceChildren(msg(kioskError(ex)));
      } finally { btn.disabled = false; }
    },
    oninput: () => {
      if (status.firstChild) { clearTimeout(timer); status.replaceChildren(); }
      clearTimeout(idle);
      idle = setTimeout(() => { if (form.isConnected) { form.reset(); err.replaceChildren(); } }, KIOSK_IDLE_MS);
    },
  },
  h('div', { class: 'kiosk-ids' },
    field(t('kiosk.code'), 'text', { name: 'code', id: 'kiosk-code', required: true, maxlength: 40, autocapitalize: 'characters', spellcheck: 'false', hint: t('kiosk.codeHint') }),
    field(t('kiosk.secret'), 'text', { name: 'secret', id: 'kiosk-secret-in', required: true, maxlength: 16, autocapitalize: 'none', spellcheck: 'false' })),
  ratingFields('kiosk'), err, btn);
  return h('div', { class: 'kiosk' }, h('h1', null, t('kiosk.title')), h('p', { class: 'lead' }, t('kiosk.intro')), status, form);
}

export const evaluationRoutes = [
  [/^\/danh-gia$/, pageKiosk],
];
