// api.js - calls to /api/v1. The session is the HttpOnly cookie mc_session
// set by POST /api/v1/sessions, so no token is kept in the page.

export class ApiError extends Error {
  constructor(status, code, message, field) {
    super(message || code || String(status));
    this.status = status;
    this.code = code || '';
    this.field = field || null;
  }
}

export async function api(method, path, body, opts = {}) {
  const headers = { Accept: 'application/json' };
  let data;
  if (opts.raw !== undefined) {
    data = opts.raw;
    headers['Content-Type'] = opts.type;
  } else if (body !== undefined && body !== null) {
    data = JSON.stringify(body);
    headers['Content-Type'] = 'application/json';
  }
  let resp;
  try {
    resp = await fetch('/api/v1' + path, {
      method, headers, body: data, credentials: 'same-origin', cache: 'no-store',
    });
  } catch (e) {
    throw new ApiError(0, 'network', e.message);
  }
  const text = await resp.text();
  let json = null;
  if (text) {
    try { json = JSON.parse(text); } catch (e) { json = null; }
  }
  if (!resp.ok) {
    const err = (json && json.error) || {};
    throw new ApiError(resp.status, err.code, err.message || resp.statusText, err.field);
  }
  return json;
}

export function qs(params) {
  const parts = [];
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === null || v === '' || v === false) continue;
    parts.push(encodeURIComponent(k) + '=' + encodeURIComponent(v));
  }
  return parts.length ? '?' + parts.join('&') : '';
}

const MIME_BY_EXT = { pdf: 'application/pdf', jpg: 'image/jpeg', jpeg: 'image/jpeg', png: 'image/png' };

export function fileType(file) {
  if (file.type) return file.type;
  const ext = (file.name.split('.').pop() || '').toLowerCase();
  return MIME_BY_EXT[ext] || 'application/octet-stream';
}

export function upload(dossierId, componentId, file) {
  return api('POST', `/dossiers/${dossierId}/files` +
    qs({ component_id: componentId || undefined, name: file.name.replace(/\//g, '_') }),
  null, { raw: file, type: fileType(file) });
}
