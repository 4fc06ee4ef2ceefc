// pages/feedback.js - citizen feedback and petitions (phản ánh, kiến nghị):
// the form (logged in or anonymous with contact details), the desk's
// transcription of feedback received by phone or on paper, attachments
// (intake and answer; never public), "my feedback",
// the officials' queue and the feedback page (forward, reject, request
// information, draft the answer, leader sign-off, publish, rating) and the
// public page of published answers (no personal data).
import { t, extend, fmtDate, fmtDateTime } from '/i18n.js';
import { api, qs, fileType } from '/api.js';
import { h, field, dl, msg, errText } from '/ui.js';
import { S, navigate, flash, requireRole, unitPicker } from '/app.js';

const CATEGORIES = ['regulation_or_procedure', 'official_conduct_or_delay', 'other'];
const DECISIONS = ['amend_or_abolish_rule', 'recommend_to_competent_body', 'explain_current_rule', 'act_against_official', 'other_specific'];
const FB_STATES = ['received', 'info_requested', 'rejected', 'drafted', 'answered', 'published'];
const OFFICIALS = ['desk', 'specialist', 'leader', 'inspector', 'admin'];

extend({
  'nav.fbSend': 'Gửi phản ánh, kiến nghị',
  'nav.fbPublic': 'Trả lời phản ánh',
  'nav.fbMine': 'Phản ánh của tôi',
  'nav.fbQueue': 'Phản ánh, kiến nghị',
  'nav.fbDesk': 'Nhập phản ánh qua điện thoại, văn bản',
  'fb.deskTitle': 'Nhập phản ánh nhận qua điện thoại hoặc văn bản',
  'fb.deskIntro': 'Ghi lại trung thực nội dung người dân phản ánh qua điện thoại hoặc bằng văn bản (NĐ 20/2008/NĐ-CP); đính kèm bản quét văn bản nếu có.',
  'fb.channel': 'Kênh tiếp nhận',
  'fb.ch.phone': 'Điện thoại',
  'fb.ch.paper': 'Văn bản, đơn giấy',
  'fb.ch.web': 'Cổng thông tin (trực tuyến)',
  'fb.ch.api': 'Hệ thống khác (API)',
  'fb.ch.open311': 'Open311',
  'fb.citizen': 'Người phản ánh',
  'fb.deskSend': 'Ghi nhận phản ánh',
  'fb.files': 'Tệp đính kèm',
  'fb.filesHint': 'PDF, JPEG hoặc PNG. Tệp đính kèm không được công khai.',
  'fb.kind.intake': 'Kèm phản ánh',
  'fb.kind.answer': 'Kèm câu trả lời',
  'fb.noFiles': 'Không có tệp đính kèm.',
  'fb.attach': 'Đính kèm tệp',
  'fb.attachAnswer': 'Đính kèm tệp vào câu trả lời',
  'fb.attachSend': 'Tải lên',
  'fb.attached': 'Đã đính kèm {name}.',
  'fb.uploadFailed': 'Không tải lên được {name}: {msg}',
  'fb.dossierLink': 'Hồ sơ liên quan',
  'fb.channelF': 'Kênh',
  'fb.sendTitle': 'Gửi phản ánh, kiến nghị',
  'fb.intro': 'Phản ánh về quy định hành chính, thủ tục, hoặc về cán bộ, sự chậm trễ khi giải quyết hồ sơ.',
  'fb.category': 'Loại phản ánh',
  'fb.cat.regulation_or_procedure': 'Quy định hành chính, thủ tục hành chính',
  'fb.cat.official_conduct_or_delay': 'Hành vi của cán bộ, chậm trễ giải quyết hồ sơ',
  'fb.cat.other': 'Khác',
  'fb.titleF': 'Tiêu đề',
  'fb.content': 'Nội dung',
  'fb.contact': 'Thông tin liên hệ',
  'fb.contactHint': 'Cần họ tên và số điện thoại hoặc thư điện tử để cơ quan trả lời bạn. Thông tin này không được công khai.',
  'fb.name': 'Họ và tên',
  'fb.phone': 'Số điện thoại',
  'fb.email': 'Thư điện tử',
  'fb.address': 'Địa chỉ',
  'fb.unit': 'Cơ quan có thẩm quyền',
  'fb.unitHint': 'Không bắt buộc khi đã nêu mã hồ sơ.',
  'fb.dossier': 'Mã hồ sơ liên quan (nếu có)',
  'fb.dossierHint': 'Ví dụ: H26.00004-260305-0001',
  'fb.dossierNotFound': 'Không tìm thấy hồ sơ {code} trong các hồ sơ của bạn.',
  'fb.needContact': 'Hãy nhập họ tên và số điện thoại hoặc thư điện tử.',
  'fb.needUnit': 'Hãy chọn cơ quan có thẩm quyền hoặc nêu mã hồ sơ.',
  'fb.send': 'Gửi phản ánh',
  'fb.sent': 'Đã gửi phản ánh, kiến nghị. Số tiếp nhận: {ref}.',
  'fb.receipt': 'Phiếu tiếp nhận',
  'fb.ref': 'Số tiếp nhận',
  'fb.mineTitle': 'Phản ánh, kiến nghị của tôi',
  'fb.queueTitle': 'Phản ánh, kiến nghị cần xử lý',
  'fb.publicTitle': 'Trả lời phản ánh, kiến nghị',
  'fb.publicIntro': 'Các câu trả lời đã được công khai. Thông tin cá nhân của người phản ánh không được hiển thị.',
  'fb.allStates': 'Tất cả trạng thái',
  'fb.stateF': 'Trạng thái',
  'fb.filter': 'Lọc',
  'fb.state.received': 'Đã tiếp nhận',
  'fb.state.info_requested': 'Yêu cầu bổ sung thông tin',
  'fb.state.rejected': 'Không tiếp nhận',
  'fb.state.drafted': 'Đã dự thảo trả lời, chờ lãnh đạo duyệt',
  'fb.state.answered': 'Đã trả lời',
  'fb.state.published': 'Đã công khai',
  'fb.received': 'Ngày tiếp nhận',
  'fb.dueReject': 'Hạn từ chối tiếp nhận',
  'fb.dueInfo': 'Hạn yêu cầu bổ sung',
  'fb.dueAnswer': 'Hạn trả lời',
  'fb.duePublish': 'Hạn công khai',
  'fb.forwardUntil': 'Hạn chuyển cơ quan khác',
  'fb.overdue': 'Quá hạn',
  'fb.note': 'Ghi chú xử lý',
  'fb.answer': 'Nội dung trả lời',
  'fb.decision': 'Hướng giải quyết',
  'fb.dec.amend_or_abolish_rule': 'Sửa đổi, bãi bỏ quy định',
  'fb.dec.recommend_to_competent_body': 'Kiến nghị cơ quan có thẩm quyền',
  'fb.dec.explain_current_rule': 'Giải thích quy định hiện hành',
  'fb.dec.act_against_official': 'Xử lý cán bộ, công chức',
  'fb.dec.other_specific': 'Giải quyết cụ thể khác',
  'fb.legal': 'Căn cứ pháp lý',
  'fb.legalHint': 'Bắt buộc khi giải thích quy định hiện hành.',
  'fb.answeredAt': 'Ngày trả lời',
  'fb.publishedAt': 'Ngày công khai',
  'fb.rating': 'Đánh giá của người phản ánh',
  'fb.rate.satisfied': 'Hài lòng',
  'fb.rate.not_satisfied': 'Không hài lòng',
  'fb.actForward': 'Chuyển cơ quan có thẩm quyền',
  'fb.actReject': 'Không tiếp nhận',
  'fb.actInfo': 'Yêu cầu bổ sung thông tin',
  'fb.actAnswer': 'Dự thảo trả lời',
  'fb.actApprove': 'Duyệt và gửi trả lời',
  'fb.actPublish': 'Công khai câu trả lời',
  'fb.actRate': 'Đánh giá câu trả lời',
  'fb.reason': 'Lý do',
  'fb.newUnit': 'Cơ quan nhận',
  'fb.done': 'Đã thực hiện: {a}.',
  'fb.rated': 'Cảm ơn bạn đã đánh giá.',
  'fb.back': 'Danh sách phản ánh',
  'fb.contactOf': 'Người phản ánh',
  'fb.noAnswer': 'Chưa có câu trả lời.',
  'fb.anon': 'Bạn chưa đăng nhập: có thể gửi ẩn danh với thông tin liên hệ, hoặc đăng nhập để theo dõi.',
  'fb.new': 'Gửi phản ánh mới',
  'fb.err.answer_missing_subject': 'Câu trả lời phải nêu số tiếp nhận hoặc nội dung tiêu đề của phản ánh.',
  'fb.err.decision_required': 'Hãy chọn hướng giải quyết.',
  'fb.err.unknown_decision': 'Hướng giải quyết không có trong danh mục.',
  'fb.err.legal_basis_required': 'Khi giải thích quy định hiện hành phải nêu căn cứ pháp lý.',
  'fb.err.answer_near_duplicate': 'Câu trả lời gần trùng với một câu trả lời đơn vị đã gửi; hãy trả lời cụ thể cho phản ánh này.',
  'fb.err.answer_not_approved': 'Chỉ công khai sau khi lãnh đạo đã duyệt câu trả lời.',
  'fb.err.leader_signoff_required': 'Chỉ lãnh đạo đơn vị được duyệt câu trả lời.',
  'fb.err.forward_window_closed': 'Đã quá thời hạn chuyển phản ánh sang cơ quan khác.',
  'fb.err.already_rated': 'Bạn đã đánh giá câu trả lời này.',
}, {
  'nav.fbSend': 'Send feedback',
  'nav.fbPublic': 'Published answers',
  'nav.fbMine': 'My feedback',
  'nav.fbQueue': 'Feedback',
  'nav.fbDesk': 'Enter phone or paper feedback',
  'fb.deskTitle': 'Enter feedback received by phone or on paper',
  'fb.deskIntro': 'Record faithfully what the citizen said by phone or wrote (Decree 20/2008); attach the scanned letter if any.',
  'fb.channel': 'Received by',
  'fb.ch.phone': 'Phone',
  'fb.ch.paper': 'Letter, paper form',
  'fb.ch.web': 'Portal (online)',
  'fb.ch.api': 'Another system (API)',
  'fb.ch.open311': 'Open311',
  'fb.citizen': 'Citizen',
  'fb.deskSend': 'Record the feedback',
  'fb.files': 'Attachments',
  'fb.filesHint': 'PDF, JPEG or PNG. Attachments are never published.',
  'fb.kind.intake': 'With the feedback',
  'fb.kind.answer': 'With the answer',
  'fb.noFiles': 'No attachments.',
  'fb.attach': 'Attach a file',
  'fb.attachAnswer': 'Attach a file to the answer',
  'fb.attachSend': 'Upload',
  'fb.attached': '{name} attached.',
  'fb.uploadFailed': 'Could not upload {name}: {msg}',
  'fb.dossierLink': 'Related dossier',
  'fb.channelF': 'Channel',
  'fb.sendTitle': 'Send feedback or a petition',
  'fb.intro': 'About an administrative rule or procedure, or about an official or a delay in handling a dossier.',
  'fb.category': 'Category',
  'fb.cat.regulation_or_procedure': 'Administrative rule or procedure',
  'fb.cat.official_conduct_or_delay': 'Conduct of an official, delay with a dossier',
  'fb.cat.other': 'Other',
  'fb.titleF': 'Title',
  'fb.content': 'Content',
  'fb.contact': 'Contact details',
  'fb.contactHint': 'Give your name and a phone number or e-mail so that the agency can answer you. They are never published.',
  'fb.name': 'Full name',
  'fb.phone': 'Phone',
  'fb.email': 'E-mail',
  'fb.address': 'Address',
  'fb.unit': 'Competent agency',
  'fb.unitHint': 'Optional when you give a dossier code.',
  'fb.dossier': 'Related dossier code (if any)',
  'fb.dossierHint': 'For example: H26.00004-260305-0001',
  'fb.dossierNotFound': 'Dossier {code} is not one of your dossiers.',
  'fb.needContact': 'Give your name and a phone number or e-mail.',
  'fb.needUnit': 'Pick the competent agency or give a dossier code.',
  'fb.send': 'Send',
  'fb.sent': 'Feedback sent. Reference: {ref}.',
  'fb.receipt': 'Receipt',
  'fb.ref': 'Reference',
  'fb.mineTitle': 'My feedback',
  'fb.queueTitle': 'Feedback to handle',
  'fb.publicTitle': 'Answers to feedback',
  'fb.publicIntro': 'Published answers. The personal data of the people who sent them is not shown.',
  'fb.allStates': 'All states',
  'fb.stateF': 'State',
  'fb.filter': 'Filter',
  'fb.state.received': 'Received',
  'fb.state.info_requested': 'More information requested',
  'fb.state.rejected': 'Not accepted',
  'fb.state.drafted': 'Answer drafted, awaiting sign-off',
  'fb.state.answered': 'Answered',
  'fb.state.published': 'Published',
  'fb.received': 'Received on',
  'fb.dueReject': 'Reject by',
  'fb.dueInfo': 'Request information by',
  'fb.dueAnswer': 'Answer by',
  'fb.duePublish': 'Publish by',
  'fb.forwardUntil': 'Forward by',
  'fb.overdue': 'Overdue',
  'fb.note': 'Handling note',
  'fb.answer': 'Answer',
  'fb.decision': 'Decision',
  'fb.dec.amend_or_abolish_rule': 'Amend or abolish the rule',
  'fb.dec.recommend_to_competent_body': 'Recommend to the competent body',
  'fb.dec.explain_current_rule': 'Explain the current rule',
  'fb.dec.act_against_official': 'Act against the official',
  'fb.dec.other_specific': 'Other specific solution',
  'fb.legal': 'Legal basis',
  'fb.legalHint': 'Required when explaining the current rule.',
  'fb.answeredAt': 'Answered on',
  'fb.publishedAt': 'Published on',
  'fb.rating': "Sender's rating",
  'fb.rate.satisfied': 'Satisfied',
  'fb.rate.not_satisfied': 'Not satisfied',
  'fb.actForward': 'Forward to the competent agency',
  'fb.actReject': 'Do not accept',
  'fb.actInfo': 'Ask for more information',
  'fb.actAnswer': 'Draft the answer',
  'fb.actApprove': 'Sign off and send the answer',
  'fb.actPublish': 'Publish the answer',
  'fb.actRate': 'Rate the answer',
  'fb.reason': 'Reason',
  'fb.newUnit': 'Receiving agency',
  'fb.done': 'Done: {a}.',
  'fb.rated': 'Thank you for your rating.',
  'fb.back': 'All feedback',
  'fb.contactOf': 'Sender',
  'fb.noAnswer': 'No answer yet.',
  'fb.anon': 'You are not logged in: you may send it anonymously with contact details, or log in to follow it.',
  'fb.new': 'Send new feedback',
  'fb.err.answer_missing_subject': "The answer must cite the feedback's reference number or the words of its title.",
  'fb.err.decision_required': 'Pick a decision.',
  'fb.err.unknown_decision': 'That decision is not in the list.',
  'fb.err.legal_basis_required': 'Give the legal basis when explaining the current rule.',
  'fb.err.answer_near_duplicate': 'The answer nearly repeats one the unit already sent; answer this feedback specifically.',
  'fb.err.answer_not_approved': "Publish only after the leader's sign-off.",
  'fb.err.leader_signoff_required': "Only the unit's leaders sign off an answer.",
  'fb.err.forward_window_closed': 'The time to forward this feedback has passed.',
  'fb.err.already_rated': 'You already rated this answer.',
});

// The server's refusals (quality gates and rules) in the page's language;
// the server's own message follows for the details (e.g. the reference).
const REFUSALS = ['answer_missing_subject', 'decision_required', 'unknown_decision', 'legal_basis_required',
  'answer_near_duplicate', 'answer_not_approved', 'leader_signoff_required', 'forward_window_closed', 'already_rated'];

function refusal(ex) {
  if (ex && REFUSALS.includes(ex.code)) return `${t(`fb.err.${ex.code}`)} (${ex.message})`;
  return errText(ex);
}

function stateBadge(state, id) {
  return h('span', { class: `badge fbstate fb-${state}`, id: id || null }, t(`fb.state.${state}`));
}

function deadlines(f) {
  const open = ['received', 'info_requested', 'drafted'].includes(f.state);
  return [
    [t('fb.received'), fmtDateTime(f.received_at)],
    [t('fb.dueReject'), open && f.state === 'received' ? fmtDate(f.due_reject) : null],
    [t('fb.forwardUntil'), open && f.state === 'received' ? fmtDate(f.forward_until) : null],
    [t('fb.dueAnswer'), open ? h('strong', { id: 'fb-due-answer' }, fmtDate(f.due_answer)) : null],
    [t('fb.duePublish'), f.state === 'answered' ? fmtDate(f.due_publish) : null],
  ];
}

// ------------------------------------------------------------------ attachments

// key: the upload_key an anonymous sender got with its receipt.
function uploadFb(fid, file, kind, key) {
  return api('POST', `/feedback/${fid}/files` + qs({ name: file.name.replace(/\//g, '_'), kind, upload_key: key }), null,
    { raw: file, type: fileType(file) });
}

// Upload every file of the input; the names that failed, with the reason
// (and in done, if given, the names uploaded).
async function uploadAll(fid, input, kind, key, done) {
  const problems = [];
  for (const file of (input && input.files) || []) {
    try {
      await uploadFb(fid, file, kind, key);
      if (done) done.push(file.name);
    } catch (ex) { problems.push(t('fb.uploadFailed', { name: file.name, msg: ex.message })); }
  }
  return problems;
}

function filesField(id) {
  return field(t('fb.files'), 'file', { id, name: 'files', multiple: true, accept: '.pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png', hint: t('fb.filesHint') });
}

function fileList(f) {
  const items = (f.files || []).map((x) => h('li', { 'data-id': x.id, 'data-kind': x.kind },
    h('a', { href: `/api/v1/feedback/${f.id}/files/${x.id}`, download: x.name }, x.name),
    ' ', h('span', { class: 'badge' }, t(`fb.kind.${x.kind}`)),
    h('span', { class: 'meta' }, ` · ${Math.max(1, Math.round(x.size / 1024))} KB · ${fmtDateTime(x.at)}`)));
  return items.length ? h('ul', { id: 'fb-file-list' }, items) : h('p', { id: 'fb-file-list' }, t('fb.noFiles'));
}

function attachForm(f, kind) {
  const err = h('div', { 'aria-live': 'assertive' });
  const id = `fb-attach-${kind}`;
  const inp = h('input', { type: 'file', id: `${id}-file`, required: true, accept: '.pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png' });
  const btn = h('button', { type: 'submit' }, t('fb.attachSend'));
  const form = h('form', {
    id, class: 'upload',
    onsubmit: async (e) => {
      e.preventDefault();
      err.replaceChildren();
      if (!inp.files.length) return;
      btn.disabled = true;
      try {
        await uploadFb(f.id, inp.files[0], kind);
        flash(t('fb.attached', { name: inp.files[0].name }));
        navigate(location.pathname, true);
      } catch (ex) { btn.disabled = false; err.replaceChildren(msg(errText(ex))); }
    },
  }, h('div', { class: 'field' }, h('label', { for: `${id}-file` }, t('fb.files')), inp, h('p', { class: 'hint' }, t('fb.filesHint'))), err, btn);
  return h('details', { class: 'action', id: `${id}-box` }, h('summary', null, kind === 'answer' ? t('fb.attachAnswer') : t('fb.attach')), form);
}

// A dossier code typed by the citizen or the desk: link it (conduct or
// delay feedback) or cite it in the content; its unit when none is chosen.
async function linkDossier(body, code, unitSel) {
  const r = await api('GET', '/dossiers' + qs({ q: code, limit: 5 }));
  const d = r.items.find((x) => x.code === code);
  if (!d) throw new Error(t('fb.dossierNotFound', { code }));
  if (body.category === 'official_conduct_or_delay') body.dossier_id = d.id;
  else body.content += `\n\n${t('fb.dossier')}: ${code}`;
  if (!unitSel.value) body.unit_code = (await api('GET', `/units/${d.unit_id || d.receiving_unit_id}`)).code;
}

// ------------------------------------------------------------------ form

async function pageSend() {
  const anon = !S.me;
  if (S.me && S.me.role !== 'citizen') requireRole(['citizen']);
  const err = h('div', { 'aria-live': 'assertive' });
  const out = h('div', { 'aria-live': 'polite' });
  const unit = unitPicker(t('fb.unit'), { id: 'fb-unit' });
  const catSel = h('select', { id: 'fb-category', name: 'category', required: true },
    CATEGORIES.map((c) => h('option', { value: c }, t(`fb.cat.${c}`))));
  const dossierField = anon ? null : field(t('fb.dossier'), 'text', { name: 'dossier_code', id: 'fb-dossier', maxlength: 40, autocomplete: 'off', hint: t('fb.dossierHint') });
  const btn = h('button', { type: 'submit', id: 'fb-send' }, t('fb.send'));
  const form = h('form', {
    id: 'fb-form',
    onsubmit: async (e) => {
      e.preventDefault();
      err.replaceChildren();
      const fd = new FormData(form);
      const body = { category: fd.get('category'), title: fd.get('title').trim(), content: fd.get('content').trim() };
      if (anon) {
        for (const k of ['contact_name', 'contact_phone', 'contact_email', 'address']) {
          const v = (fd.get(k) || '').trim();
          if (v) body[k] = v;
        }
        if (!body.contact_name || !(body.contact_phone || body.contact_email)) { err.replaceChildren(msg(t('fb.needContact'))); return; }
      }
      btn.disabled = true;
      try {
        const code = anon ? '' : (fd.get('dossier_code') || '').trim();
        if (code) await linkDossier(body, code, unit.sel);
        if (unit.sel.value) body.unit_code = (await api('GET', `/units/${unit.sel.value}`)).code;
        if (!body.unit_code && !body.dossier_id) throw new Error(t('fb.needUnit'));
        const f = await api('POST', '/feedback', body);
        if (!anon) {
          const problems = await uploadAll(f.id, form.querySelector('#fb-files'), 'intake');
          flash([t('fb.sent', { ref: f.ref }), ...problems].join(' '), problems.length ? 'error' : 'ok');
          navigate(`/phan-anh/${f.id}`);
          return;
        }
        const sent = [];
        const problems = await uploadAll(f.id, form.querySelector('#fb-files'), 'intake', f.upload_key, sent);
        form.reset();
        out.replaceChildren(h('section', { class: 'receipt', id: 'fb-receipt', 'aria-labelledby': 'fb-receipt-title' },
          h('h2', { id: 'fb-receipt-title' }, t('fb.receipt')),
          msg(t('fb.sent', { ref: f.ref }), 'ok'),
          problems.length ? msg(problems.join(' ')) : null,
          dl([[t('fb.ref'), h('strong', { id: 'fb-ref' }, f.ref)], [t('fb.unit'), f.unit_name], ...deadlines(f),
            [t('fb.files'), sent.length ? h('span', { id: 'fb-receipt-files' }, sent.join(', ')) : null]])));
        out.querySelector('h2').focus();
      } catch (ex) {
        err.replaceChildren(msg(errText(ex)));
      }
      btn.disabled = false;
    },
  },
  h('div', { class: 'field' }, h('label', { for: 'fb-category' }, t('fb.category')), catSel),
  field(t('fb.titleF'), 'text', { name: 'title', id: 'fb-title', required: true, maxlength: 300 }),
  field(t('fb.content'), 'textarea', { name: 'content', id: 'fb-content', required: true, maxlength: 20000, rows: 6 }),
  dossierField,
  unit.node,
  h('p', { class: 'hint' }, t('fb.unitHint')),
  filesField('fb-files'),
  anon ? h('fieldset', null, h('legend', null, t('fb.contact')), h('p', { class: 'hint', id: 'fb-contact-hint' }, t('fb.contactHint')),
    field(t('fb.name'), 'text', { name: 'contact_name', id: 'fb-name', required: true, maxlength: 200, autocomplete: 'name' }),
    field(t('fb.phone'), 'tel', { name: 'contact_phone', id: 'fb-phone', maxlength: 20, autocomplete: 'tel' }),
    field(t('fb.email'), 'email', { name: 'contact_email', id: 'fb-email', maxlength: 200, autocomplete: 'email' }),
    field(t('fb.address'), 'text', { name: 'address', id: 'fb-address', maxlength: 500 })) : null,
  err, btn);
  const tabCheck = out;
  return h('div', null, h('h1', null, t('fb.sendTitle')), h('p', { class: 'lead' }, t('fb.intro')),
    anon ? h('p', { class: 'note' }, t('fb.anon'), ' ', h('a', { href: '/dang-nhap?next=/phan-anh/gui' }, t('nav.login'))) : null,
    form, tabCheck);
}

// ------------------------------------------------------------------ desk transcription

const DESK_ROLES = ['desk', 'specialist', 'leader', 'admin'];

async function pageDesk() {
  requireRole(DESK_ROLES);
  const err = h('div', { 'aria-live': 'assertive' });
  const unit = unitPicker(t('fb.unit'), { id: 'fbd-unit' });
  const chSel = h('select', { id: 'fbd-channel', name: 'channel', required: true },
    ['phone', 'paper'].map((c) => h('option', { value: c }, t(`fb.ch.${c}`))));
  const catSel = h('select', { id: 'fbd-category', name: 'category', required: true },
    CATEGORIES.map((c) => h('option', { value: c }, t(`fb.cat.${c}`))));
  const btn = h('button', { type: 'submit', id: 'fbd-send' }, t('fb.deskSend'));
  const form = h('form', {
    id: 'fbd-form',
    onsubmit: async (e) => {
      e.preventDefault();
      err.replaceChildren();
      const fd = new FormData(form);
      const body = { channel: fd.get('channel'), category: fd.get('category'), title: fd.get('title').trim(), content: fd.get('content').trim() };
      for (const k of ['contact_name', 'contact_phone', 'contact_email', 'address']) {
        const v = (fd.get(k) || '').trim();
        if (v) body[k] = v;
      }
      if (!body.contact_name || !(body.contact_phone || body.contact_email)) { err.replaceChildren(msg(t('fb.needContact'))); return; }
      btn.disabled = true;
      try {
        const code = (fd.get('dossier_code') || '').trim();
        if (code) await linkDossier(body, code, unit.sel);
        if (unit.sel.value) body.unit_code = (await api('GET', `/units/${unit.sel.value}`)).code;
        if (!body.unit_code && !body.dossier_id) throw new Error(t('fb.needUnit'));
        const f = await api('POST', '/feedback', body);
        const problems = await uploadAll(f.id, form.querySelector('#fbd-files'), 'intake');
        flash([t('fb.sent', { ref: f.ref }), ...problems].join(' '), problems.length ? 'error' : 'ok');
        navigate(`/phan-anh/${f.id}`);
        return;
      } catch (ex) {
        err.replaceChildren(msg(errText(ex)));
      }
      btn.disabled = false;
    },
  },
  h('div', { class: 'field' }, h('label', { for: 'fbd-channel' }, t('fb.channel')), chSel),
  h('fieldset', null, h('legend', null, t('fb.citizen')),
    field(t('fb.name'), 'text', { name: 'contact_name', id: 'fbd-name', required: true, maxlength: 200 }),
    field(t('fb.phone'), 'tel', { name: 'contact_phone', id: 'fbd-phone', maxlength: 20 }),
    field(t('fb.email'), 'email', { name: 'contact_email', id: 'fbd-email', maxlength: 200 }),
    field(t('fb.address'), 'text', { name: 'address', id: 'fbd-address', maxlength: 500 })),
  h('div', { class: 'field' }, h('label', { for: 'fbd-category' }, t('fb.category')), catSel),
  field(t('fb.titleF'), 'text', { name: 'title', id: 'fbd-title', required: true, maxlength: 300 }),
  field(t('fb.content'), 'textarea', { name: 'content', id: 'fbd-content', required: true, maxlength: 20000, rows: 6 }),
  field(t('fb.dossier'), 'text', { name: 'dossier_code', id: 'fbd-dossier', maxlength: 40, autocomplete: 'off', hint: t('fb.dossierHint') }),
  unit.node,
  h('p', { class: 'hint' }, t('fb.unitHint')),
  filesField('fbd-files'),
  err, btn);
  return h('div', null, h('h1', null, t('fb.deskTitle')), h('p', { class: 'lead' }, t('fb.deskIntro')), form);
}

// ------------------------------------------------------------------ lists

async function pageList(params) {
  requireRole(['citizen', ...OFFICIALS]);
  const citizen = S.me.role === 'citizen';
  const state = params.get('state') || '';
  const r = await api('GET', '/feedback' + qs({ state, limit: 200 }));
  const sel = h('select', { id: 'fb-state', name: 'state' }, h('option', { value: '' }, t('fb.allStates')),
    FB_STATES.map((s) => h('option', { value: s, selected: s === state }, t(`fb.state.${s}`))));
  const form = h('form', { class: 'filters', onsubmit: (e) => { e.preventDefault(); navigate('/phan-anh' + qs({ state: sel.value })); } },
    h('div', { class: 'field' }, h('label', { for: 'fb-state' }, t('fb.stateF')), sel),
    h('button', { type: 'submit' }, t('fb.filter')));
  const items = r.items.map((f) => h('li', { class: `card feedback${f.overdue ? ' urg-overdue' : ''}`, 'data-id': f.id, 'data-ref': f.ref },
    h('a', { href: `/phan-anh/${f.id}`, class: 'card-title' }, f.title),
    h('p', null, stateBadge(f.state), f.overdue ? h('strong', { class: 'urg urg-label-overdue' }, ` ${t('fb.overdue')}`) : null),
    h('p', { class: 'meta' }, `${f.ref} · ${t(`fb.cat.${f.category}`)} · ${f.unit_name || ''}`),
    h('p', { class: 'meta' }, `${t('fb.received')}: ${fmtDate(f.received_at)}`,
      ['received', 'info_requested', 'drafted'].includes(f.state) && f.due_answer ? ` · ${t('fb.dueAnswer')}: ${fmtDate(f.due_answer)}` : '')));
  return h('div', null, h('h1', null, citizen ? t('fb.mineTitle') : t('fb.queueTitle')),
    citizen ? h('p', null, h('a', { href: '/phan-anh/gui', class: 'button', id: 'fb-new' }, t('fb.new'))) : null,
    DESK_ROLES.includes(S.me.role) ? h('p', null, h('a', { href: '/phan-anh/tiep-nhan', class: 'button', id: 'fb-desk-new' }, t('nav.fbDesk'))) : null,
    form, h('p', { role: 'status', id: 'fb-count' }, t('common.total', { n: r.total })),
    items.length ? h('ul', { class: 'cards', id: 'fb-list' }, items) : h('p', null, t('common.empty')));
}

async function pagePublic() {
  const r = await api('GET', '/public/feedback' + qs({ limit: 200 }));
  const items = r.items.map((f) => h('li', { class: 'card public-answer', 'data-id': f.id, 'data-ref': f.ref },
    h('h2', { class: 'card-title' }, f.title),
    h('p', { class: 'meta' }, `${f.ref} · ${t(`fb.cat.${f.category}`)} · ${f.unit_name || ''} · ${t('fb.publishedAt')}: ${fmtDate(f.published_at)}`),
    h('p', { class: 'fb-content' }, f.content),
    h('div', { class: 'answer' }, h('h3', null, t('fb.answer')),
      f.decision ? h('p', null, h('span', { class: 'badge' }, t(`fb.dec.${f.decision}`))) : null,
      h('p', { class: 'fb-answer' }, f.answer || ''),
      f.legal_basis ? h('p', { class: 'meta' }, `${t('fb.legal')}: ${f.legal_basis}`) : null)));
  return h('div', null, h('h1', null, t('fb.publicTitle')), h('p', { class: 'lead' }, t('fb.publicIntro')),
    h('p', { role: 'status', id: 'fb-public-count' }, t('common.total', { n: r.total })),
    items.length ? h('ul', { class: 'cards', id: 'fb-public' }, items) : h('p', null, t('common.empty')));
}

// ------------------------------------------------------------------ one feedback

function actForm(f, key, path, parts, body, opts = {}) {
  const err = h('div', { 'aria-live': 'assertive' });
  const label = t(key);
  const btn = h('button', { type: 'submit', class: opts.secondary ? 'secondary' : null }, label);
  const id = `fb-${path}`;
  const form = h('form', {
    id, class: 'action-form',
    onsubmit: async (e) => {
      e.preventDefault();
      err.replaceChildren();
      let b;
      try { b = body(new FormData(form)); } catch (ex) { err.replaceChildren(msg(ex.message)); return; }
      btn.disabled = true;
      try {
        await api('POST', `/feedback/${f.id}/${path}`, b);
        flash(opts.done || t('fb.done', { a: label }));
        navigate(location.pathname, true);
      } catch (ex) { btn.disabled = false; err.replaceChildren(msg(refusal(ex))); }
    },
  }, parts, err, btn);
  if (!parts.length) return h('div', { class: 'action-simple' }, form);
  return h('details', { class: 'action', id: `${id}-box`, open: opts.open || null }, h('summary', null, label), form);
}

function reasonField(id) {
  return field(t('fb.reason'), 'textarea', { name: 'reason', id, required: true, maxlength: 4000 });
}

function answerForm(f) {
  const legal = field(t('fb.legal'), 'text', { name: 'legal_basis', id: 'fb-legal', maxlength: 1000, hint: t('fb.legalHint') });
  const legalInput = legal.querySelector('input');
  const dec = h('select', {
    id: 'fb-decision', name: 'decision', required: true,
    onchange: () => { legalInput.required = dec.value === 'explain_current_rule'; },
  }, h('option', { value: '' }, t('f.pickOne')), DECISIONS.map((d) => h('option', { value: d, selected: d === f.decision }, t(`fb.dec.${d}`))));
  if (f.legal_basis) legalInput.value = f.legal_basis;
  return actForm(f, 'fb.actAnswer', 'answer', [
    field(t('fb.answer'), 'textarea', { name: 'text', id: 'fb-answer-text', required: true, maxlength: 20000, rows: 6, value: f.answer || '' }),
    h('div', { class: 'field' }, h('label', { for: 'fb-decision' }, t('fb.decision'), h('span', { class: 'req' }, ' *')), dec),
    legal,
  ], (fd) => {
    const b = { text: fd.get('text').trim(), decision: fd.get('decision') };
    const lb = (fd.get('legal_basis') || '').trim();
    if (lb) b.legal_basis = lb;
    return b;
  }, { open: f.state === 'received' || f.state === 'info_requested' });
}

async function pageOne(params, id) {
  requireRole(['citizen', ...OFFICIALS]);
  const f = await api('GET', `/feedback/${id}`);
  const official = OFFICIALS.includes(S.me.role);
  const leader = ['leader', 'admin'].includes(S.me.role);
  const actions = [];
  if (official && S.me.role !== 'inspector') {
    if (f.state === 'received') {
      const unit = unitPicker(t('fb.newUnit'), { id: 'fb-forward-unit', required: true });
      actions.push(actForm(f, 'fb.actForward', 'forward', [unit.node, reasonField('fb-forward-reason')], (fd) => {
        if (!unit.sel.value) throw new Error(t('fb.needUnit'));
        const opt = unit.sel.selectedOptions[0];
        const code = /\(([^()]+)\)$/.exec(opt ? opt.textContent : '');
        return { unit_code: code ? code[1] : '', reason: fd.get('reason').trim() };
      }));
      actions.push(actForm(f, 'fb.actInfo', 'request-info', [reasonField('fb-info-reason')], (fd) => ({ reason: fd.get('reason').trim() })));
      actions.push(actForm(f, 'fb.actReject', 'reject', [reasonField('fb-reject-reason')], (fd) => ({ reason: fd.get('reason').trim() }), { secondary: true }));
    }
    if (['received', 'info_requested', 'drafted'].includes(f.state)) actions.unshift(answerForm(f));
    if (f.state === 'drafted' && leader) actions.unshift(actForm(f, 'fb.actApprove', 'approve', [], () => ({})));
    if (f.state === 'answered') actions.push(actForm(f, 'fb.actPublish', 'publish', [], () => ({})));
  }
  if (S.me.role === 'citizen' && ['answered', 'published'].includes(f.state) && !f.rating) {
    const radio = (v) => h('div', { class: 'check' }, h('input', { type: 'radio', name: 'rating', id: `rate-${v}`, value: v, required: true }),
      h('label', { for: `rate-${v}` }, t(`fb.rate.${v}`)));
    actions.push(actForm(f, 'fb.actRate', 'rate', [h('fieldset', null, h('legend', null, t('fb.actRate')), radio('satisfied'), radio('not_satisfied'))],
      (fd) => ({ rating: fd.get('rating') }), { open: true, done: t('fb.rated') }));
  }
  const open = ['received', 'info_requested'].includes(f.state);
  const submitter = S.me.role === 'citizen' || (f.created_by && f.created_by === S.me.id);
  const attach = [];
  if (open && submitter) attach.push(attachForm(f, 'intake'));
  if ((open || f.state === 'drafted') && ['specialist', 'leader'].includes(S.me.role)) attach.push(attachForm(f, 'answer'));
  let dossier = null;
  if (f.dossier_id) {
    dossier = h('a', { href: `/ho-so/${f.dossier_id}`, id: 'fb-dossier-link' }, `#${f.dossier_id}`);
    try { dossier.textContent = (await api('GET', `/dossiers/${f.dossier_id}`)).code || dossier.textContent; } catch (ex) { /* not visible: keep the id */ }
  }
  const contact = official ? [f.contact_name, f.contact_phone, f.contact_email, f.address].filter(Boolean).join(' · ') : null;
  return h('div', null, h('p', null, h('a', { href: '/phan-anh' }, '← ', t('fb.back'))),
    h('h1', null, f.title),
    h('p', null, stateBadge(f.state, 'fb-state-badge'), f.overdue ? h('strong', { class: 'urg urg-label-overdue' }, ` ${t('fb.overdue')}`) : null),
    dl([
      [t('fb.ref'), h('span', { id: 'fb-ref' }, f.ref)],
      [t('fb.category'), t(`fb.cat.${f.category}`)],
      [t('fb.unit'), `${f.unit_name || ''} (${f.unit_code || ''})`],
      [t('fb.channelF'), t(`fb.ch.${f.channel}`), { id: 'fb-channel' }],
      [t('fb.contactOf'), contact, { id: 'fb-contact' }],
      [t('fb.dossierLink'), dossier],
      ...deadlines(f),
      [t('fb.note'), f.state_note, { id: 'fb-note' }],
    ]),
    h('section', { 'aria-labelledby': 'fb-content-title' }, h('h2', { id: 'fb-content-title' }, t('fb.content')), h('p', { class: 'fb-content', id: 'fb-content-value' }, f.content)),
    h('section', { 'aria-labelledby': 'fb-files-title', id: 'fb-files-section' }, h('h2', { id: 'fb-files-title' }, t('fb.files')), fileList(f), attach),
    h('section', { 'aria-labelledby': 'fb-answer-title', id: 'fb-answer' }, h('h2', { id: 'fb-answer-title' }, t('fb.answer')),
      f.answer ? [f.decision ? h('p', null, h('span', { class: 'badge', id: 'fb-decision-value' }, t(`fb.dec.${f.decision}`))) : null,
        h('p', { id: 'fb-answer-value' }, f.answer),
        f.legal_basis ? h('p', { class: 'meta' }, `${t('fb.legal')}: ${f.legal_basis}`) : null,
        f.answered_at ? h('p', { class: 'meta' }, `${t('fb.answeredAt')}: ${fmtDateTime(f.answered_at)}`) : null,
        f.rating ? h('p', { id: 'fb-rating' }, `${t('fb.rating')}: ${t(`fb.rate.${f.rating}`)}`) : null] : h('p', null, t('fb.noAnswer'))),
    actions.length ? h('section', { id: 'fb-actions', 'aria-label': t('d.actions') }, actions) : null);
}

export const feedbackRoutes = [
  [/^\/phan-anh\/gui$/, pageSend],
  [/^\/phan-anh\/tiep-nhan$/, pageDesk],
  [/^\/phan-anh\/cong-khai$/, pagePublic],
  [/^\/phan-anh$/, pageList],
  [/^\/phan-anh\/(\d+)$/, pageOne],
];
