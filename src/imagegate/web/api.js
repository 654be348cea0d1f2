// The public API, as any client calls it: the signed-in key as a Bearer token, errors in
// OpenAI's envelope turned into plain words, x-ratelimit-* headers remembered, SSE parsed
// from a fetch body (ReadableStream), cancellation through AbortController.

const KEY_STORAGE = 'imagegate.key';
const KINDS = ['requests', 'images', 'tokens'];

export class ApiError extends Error {
  constructor(status, body, headers) {
    const err = (body && body.error) || {};
    super(err.message || `HTTP ${status}`);
    this.status = status;
    this.code = err.code || null;
    this.type = err.type || null;
    this.param = err.param || null;
    this.details = err.moderation_details || null;
    this.requestId = headers ? headers.get('x-request-id') : null;
    this.retryAfter = retryAfterSeconds(headers);
  }
}

function retryAfterSeconds(headers) {
  if (!headers) return null;
  const ms = headers.get('retry-after-ms');
  if (ms && !Number.isNaN(Number(ms))) return Math.max(1, Math.ceil(Number(ms) / 1000));
  const s = headers.get('retry-after');
  if (s && !Number.isNaN(Number(s))) return Math.max(1, Math.ceil(Number(s)));
  return null;
}

/** A sentence a person can act on, for any error the API (or the network) gives. */
export function plainMessage(err) {
  if (!err) return 'Something went wrong.';
  if (err.name === 'AbortError') return 'Cancelled.';
  if (!(err instanceof ApiError)) return `Could not reach the server (${err.message || err}). Check that it is running.`;
  const cats = err.details && err.details.categories && err.details.categories.length ? ` (${err.details.categories.join(', ')})` : '';
  switch (err.code) {
    case 'moderation_blocked':
      return `The content policy refused this request${cats}. Nothing was billed; please rephrase it.`;
    case 'insufficient_quota':
      return "This key's budget is used up, so the request was refused and nothing was billed. Ask an admin to raise the budget.";
    case 'rate_limit_exceeded':
      return `Too many requests for this key right now. Try again in ${err.retryAfter || 'a few'} second${err.retryAfter === 1 ? '' : 's'}.`;
    case 'invalid_api_key':
      return 'This API key was not accepted: it is wrong, or it has been revoked. Sign in with another key.';
    case 'insufficient_permissions':
      return 'This key may not do that (it needs an admin key).';
    case 'request_too_large':
    case 'image_too_large':
      return `The image is too large for this server: ${err.message}`;
    case 'model_not_found':
      return `This server does not serve that model: ${err.message}`;
    default:
      break;
  }
  if (err.status >= 500) {
    const id = err.requestId ? ` (request ${err.requestId})` : '';
    return `The server had a problem${id}: ${err.message} Try again in a moment.`;
  }
  if (err.status === 404 && !err.code) return 'Not found.';
  return err.message;
}

export class Api {
  constructor() {
    this.key = sessionStorage.getItem(KEY_STORAGE) || '';
    this.rate = {};
    this.onRate = null;
  }

  setKey(key) {
    this.key = key || '';
    if (this.key) sessionStorage.setItem(KEY_STORAGE, this.key);
    else sessionStorage.removeItem(KEY_STORAGE);
  }

  signOut() {
    this.setKey('');
    sessionStorage.removeItem(KEY_STORAGE);
  }

  headers(extra = {}) {
    const h = { ...extra };
    if (this.key) h.Authorization = `Bearer ${this.key}`;
    return h;
  }

  captureRate(headers) {
    let seen = false;
    for (const kind of KINDS) {
      const limit = headers.get(`x-ratelimit-limit-${kind}`);
      if (limit === null) continue;
      seen = true;
      this.rate[kind] = {
        limit: Number(limit),
        remaining: Number(headers.get(`x-ratelimit-remaining-${kind}`)),
        reset: headers.get(`x-ratelimit-reset-${kind}`),
        at: Date.now(),
      };
    }
    if (seen && this.onRate) this.onRate(this.rate);
  }

  /** fetch() with the key; an error status throws ApiError. */
  async request(method, path, { json, form, signal, headers } = {}) {
    const init = { method, signal, headers: this.headers(headers), cache: 'no-store' };
    if (json !== undefined) {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(json);
    } else if (form !== undefined) {
      init.body = form;
    }
    const response = await fetch(path, init);
    this.captureRate(response.headers);
    if (!response.ok) {
      let body = null;
      try { body = await response.json(); } catch { body = null; }
      throw new ApiError(response.status, body, response.headers);
    }
    return response;
  }

  async json(method, path, options) {
    const response = await this.request(method, path, options);
    return response.json();
  }
}

/** Server-sent events from a fetch body: yields {event, data} with data parsed as JSON. */
export async function* sseEvents(body) {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      if (buffer.includes('\r')) buffer = buffer.replace(/\r\n?/g, '\n');
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event = parseBlock(block);
        if (event) yield event;
      }
    }
    buffer += decoder.decode();
    const last = parseBlock(buffer.trim());
    if (last) yield last;
  } finally {
    reader.releaseLock();
  }
}

function parseBlock(block) {
  let event = 'message';
  const data = [];
  for (const line of block.split('\n')) {
    if (!line || line.startsWith(':')) continue; // keep-alive comments
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') event = value;
    else if (field === 'data') data.push(value);
  }
  if (!data.length) return null;
  const text = data.join('\n');
  try {
    return { event, data: JSON.parse(text) };
  } catch {
    return { event, data: text };
  }
}

export const MIME = { png: 'image/png', jpeg: 'image/jpeg', webp: 'image/webp' };

/** base64 -> Blob (decoded here: the page's policy lets it connect to its own origin only, so
 * no fetch of a data: URL). Decoded in slices, yielding between them, so a big image never
 * freezes the page. */
export async function b64ToBlob(b64, format = 'png') {
  const type = MIME[format] || 'image/png';
  if (typeof Uint8Array.fromBase64 === 'function') return new Blob([Uint8Array.fromBase64(b64)], { type });
  const SLICE = 1 << 20; // base64 characters a slice (a multiple of 4)
  const parts = [];
  for (let start = 0; start < b64.length; start += SLICE) {
    const bin = atob(b64.slice(start, start + SLICE));
    const bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    parts.push(bytes);
    if (start + SLICE < b64.length) await new Promise((resolve) => setTimeout(resolve, 0));
  }
  return new Blob(parts, { type });
}
