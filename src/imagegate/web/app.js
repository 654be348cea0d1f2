// imagegate canvas: a single page over the public API (no framework, no build step).
import { Api, ApiError, plainMessage, sseEvents, b64ToBlob, MIME } from '/canvas/api.js';
import { MaskEditor } from '/canvas/mask.js';
import { addImage, listImages, deleteImage, ownerTag } from '/canvas/history.js';

const $ = (id) => document.getElementById(id);
const api = new Api();
const SIGNED_IN = 'imagegate.signedIn';
const TABS = ['generate', 'edit', 'expand', 'gallery', 'usage'];

const state = {
  me: null,
  models: [],
  busy: null,          // {controller, jobId?} of the request in progress
  current: null,       // {blob, url, width, height, format}
  results: [],         // the last request's records
  extras: [],          // more input images for a composite edit: {blob, url}
  galleryUrls: [],
  tab: 'generate',
};

const mask = new MaskEditor($('mask'), () => {
  $('undo').disabled = !mask.undoStack.length;
  $('redo').disabled = !mask.redoStack.length;
  $('clear-mask').disabled = !mask.painted;
});

// -- small helpers ------------------------------------------------------------------------------
function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === 'class') node.className = v;
    else if (k === 'dataset') Object.assign(node.dataset, v);
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else if (v !== undefined && v !== null && v !== false) node.setAttribute(k, v === true ? '' : v);
  }
  for (const child of children) if (child !== null && child !== undefined) node.append(child);
  return node;
}

const usd = (v) => (v === null || v === undefined ? '—' : `$${Number(v).toFixed(v !== 0 && Math.abs(v) < 0.01 ? 6 : 4)}`);
const fmt = (n) => Number(n || 0).toLocaleString('en');

function setStatus(text) { $('status').textContent = text; }

function showError(text) {
  const box = $('error');
  box.textContent = text || '';
  box.hidden = !text;
}

function round16(v) { return Math.max(16, Math.round(v / 16) * 16); }

// -- sign in ------------------------------------------------------------------------------------
async function signIn(key, { quiet = false } = {}) {
  api.setKey(key.trim());
  $('signin-error').hidden = true;
  try {
    const me = await api.json('GET', '/v1/me');
    state.me = me;
    sessionStorage.setItem(SIGNED_IN, '1');
    $('signin-view').hidden = true;
    $('app-view').hidden = false;
    $('account').hidden = false;
    $('account-name').textContent = me.key ? `Signed in: ${me.key.name} (${me.key.prefix})` : 'Auth is off on this server';
    showError(overBudget(me) ? budgetText(me) : '');
    await loadModels();
    renderBudget();
    renderGallery();
    refreshUsage();
    refreshJobs();
    scheduleEstimate();
    $('prompt').focus();
  } catch (err) {
    api.signOut();
    sessionStorage.removeItem(SIGNED_IN);
    if (!quiet) {
      const box = $('signin-error');
      box.textContent = plainMessage(err);
      box.hidden = false;
      $('api-key').focus();
    }
  }
}

function overBudget(me) {
  const key = me && me.key;
  return key && key.budget_usd !== null && key.spent_usd >= key.budget_usd;
}

function budgetText(me) {
  return `This key's budget is used up (${usd(me.key.spent_usd)} of ${usd(me.key.budget_usd)} spent): requests that cost money will be refused. Ask an admin to raise it.`;
}

function signOut() {
  cancel();
  api.signOut();
  sessionStorage.removeItem(SIGNED_IN);
  state.me = null;
  $('app-view').hidden = true;
  $('account').hidden = true;
  $('signin-view').hidden = false;
  $('api-key').value = '';
  $('api-key').focus();
}

// -- models, sizes, estimate --------------------------------------------------------------------
async function loadModels() {
  const list = await api.json('GET', '/v1/models');
  state.models = list.data;
  const select = $('model');
  const previous = select.value;
  select.replaceChildren(...list.data.map((m) => el('option', { value: m.id }, m.alias_for ? `${m.id} → ${m.alias_for}` : m.id)));
  const preferred = list.data.find((m) => m.id === previous) || list.data.find((m) => m.id === 'gpt-image-2') || list.data[0];
  if (preferred) select.value = preferred.id;
  fillSizes();
}

function modelCaps() {
  const m = state.models.find((x) => x.id === $('model').value);
  return (m && m.capabilities) || { sizes: ['auto'] };
}

function fillSizes() {
  const caps = modelCaps();
  const sizes = caps.sizes || ['auto'];
  const ordered = ['auto', ...sizes.filter((s) => s !== 'auto')];
  const options = ordered.map((s) => el('option', { value: s }, s));
  if (caps.custom_sizes) options.push(el('option', { value: 'custom' }, 'custom…'));
  const keep = $('size').value;
  $('size').replaceChildren(...options);
  if (ordered.includes(keep) || (keep === 'custom' && caps.custom_sizes)) $('size').value = keep;
  $('custom-size').hidden = $('size').value !== 'custom';
  const fixed = sizes.filter((s) => s !== 'auto');
  $('var-size').replaceChildren(el('option', { value: 'auto' }, 'auto (as the input)'), ...fixed.map((s) => el('option', { value: s }, s)));
  const max = caps.max_n || 10;
  $('n').max = String(max);
  $('var-n').max = String(max);
}

function chosenSize() {
  const size = $('size').value;
  return size === 'custom' ? `${$('custom-w').value}x${$('custom-h').value}` : size;
}

function generationBody() {
  const body = {
    prompt: $('prompt').value,
    model: $('model').value,
    size: chosenSize(),
    quality: $('quality').value,
    n: Number($('n').value) || 1,
    output_format: $('output-format').value,
    background: $('background').value,
  };
  const seed = $('seed').value.trim();
  if (seed !== '') body.seed = Number(seed);
  return body;
}

let estimateTimer = null;
let estimateSeq = 0;
let lastEstimated = null;
function scheduleEstimate() {
  clearTimeout(estimateTimer);
  estimateTimer = setTimeout(updateEstimate, 700);
}

async function updateEstimate() {
  const out = $('estimate');
  if (!state.me) return;
  if (!$('prompt').value.trim()) { out.textContent = 'Estimate: enter a prompt.'; return; }
  // The estimate counts against the key's requests per minute: ask once per pause in typing,
  // and never twice for the same request.
  const body = generationBody();
  if ($('stream').checked && !$('as-job').checked) { body.stream = true; body.partial_images = 2; } // partial images are billed too
  const signature = JSON.stringify(body);
  if (signature === lastEstimated) return;
  lastEstimated = signature;
  const seq = ++estimateSeq;
  try {
    const est = await api.json('POST', '/v1/images/estimate', { json: body });
    if (seq !== estimateSeq) return;
    out.textContent = `Estimate: ${usd(est.cost_usd)} · ${fmt(est.usage.output_tokens)} output + ${fmt(est.usage.input_tokens)} input tokens · ${est.n} × ${est.size}, ${est.quality}`;
    out.dataset.cost = String(est.cost_usd);
  } catch (err) {
    if (seq === estimateSeq) {
      out.textContent = `Estimate unavailable: ${plainMessage(err)}`;
      lastEstimated = null;
    }
  }
}

function insertExactText(textarea, input) {
  const text = input.value.trim();
  if (!text) { input.focus(); return; }
  // The planner takes the quoted string verbatim; inner double quotes would end it early.
  const quoted = text.includes('"') ? `“${text.replaceAll('“', '').replaceAll('”', '')}”` : `"${text}"`;
  const phrase = `the text ${quoted}`;
  const { selectionStart: s, selectionEnd: e, value } = textarea;
  const before = value.slice(0, s);
  const sep = before && !/\s$/.test(before) ? (/[.,;:]$/.test(before) ? ' ' : ', ') : '';
  textarea.value = `${before}${sep}${phrase}${value.slice(e)}`;
  const caret = (before + sep + phrase).length;
  textarea.setSelectionRange(caret, caret);
  textarea.focus();
  input.value = '';
  textarea.dispatchEvent(new Event('input', { bubbles: true }));
}

// -- the request in progress ----------------------------------------------------------------------
async function run(label, task) {
  if (state.busy) { setStatus('Another request is in progress; cancel it first (Esc).'); return; }
  const controller = new AbortController();
  state.busy = { controller, jobId: null };
  document.body.dataset.busy = 'true';
  showError('');
  setStatus(label);
  $('cancel').hidden = false;
  $('progress').hidden = false;
  $('progress').removeAttribute('value');
  for (const id of ['generate', 'send-edit', 'send-expand', 'send-variations']) $(id).disabled = true;
  if (window.matchMedia('(max-width: 900px)').matches) $('stage').scrollIntoView({ block: 'start' }); // controls sit above the canvas
  const spentBefore = state.me && state.me.key ? state.me.key.spent_usd : null;
  try {
    await task(controller.signal, state.busy);
    await refreshMe();
    if (spentBefore !== null && state.me && state.me.key) {
      const charged = state.me.key.spent_usd - spentBefore;
      $('usage-after').dataset.charged = String(charged);
      $('usage-after').textContent += ` · charged ${usd(charged)}`;
    }
  } catch (err) {
    if (err.name === 'AbortError' || controller.signal.aborted) {
      setStatus('Cancelled. The server stopped the work; nothing was billed for it.');
    } else {
      setStatus('Failed.');
      showError(plainMessage(err));
    }
    refreshMe();
  } finally {
    state.busy = null;
    delete document.body.dataset.busy;
    $('cancel').hidden = true;
    $('progress').hidden = true;
    for (const id of ['generate', 'send-edit', 'send-expand', 'send-variations']) $(id).disabled = false;
    refreshUsage();
  }
}

function cancel() {
  const busy = state.busy;
  if (!busy) return;
  if (busy.jobId) api.request('DELETE', `/v1/images/jobs/${encodeURIComponent(busy.jobId)}`).catch(() => {});
  busy.controller.abort();
}

function showPreview(b64, format) {
  const img = $('stage-img');
  img.src = `data:${MIME[format] || 'image/png'};base64,${b64}`;
  img.dataset.kind = 'partial';
  $('frame').hidden = false;
  $('frame').classList.add('partial');
  $('empty').hidden = true;
  $('mask').hidden = true;
}

/** Reads an images stream: previews as they come, then the finished images. */
async function readStream(response) {
  const images = [];
  let partials = 0;
  for await (const { event, data } of sseEvents(response.body)) {
    if (event.endsWith('.partial_image')) {
      partials += 1;
      document.body.dataset.partials = String(partials);
      showPreview(data.b64_json, data.output_format);
      const which = data.image_index !== undefined ? ` of image ${data.image_index + 1}` : '';
      setStatus(`Partial image ${data.partial_image_index + 1}${which} arrived…`);
    } else if (event.endsWith('.completed')) {
      images.push({ b64: data.b64_json, format: data.output_format, size: data.size, usage: data.usage, index: data.image_index || 0,
        revised: data.revised_prompt || null, seed: data.seed ?? null, plan: data.plan || null });
      setStatus(`Image ${images.length} finished…`);
    } else if (event === 'error') {
      const err = (data && data.error) || {};
      throw new ApiError(err.type === 'server_error' ? 500 : 400, data, null);
    }
  }
  images.sort((a, b) => a.index - b.index);
  const first = images[0] || {};
  return { images, usage: sumUsage(images.map((i) => i.usage)), streamed: true, plan: first.plan || null, revised: first.revised || null };
}

function sumUsage(list) {
  const total = { input_tokens: 0, output_tokens: 0, total_tokens: 0 };
  for (const u of list) {
    if (!u) continue;
    total.input_tokens += u.input_tokens || 0;
    total.output_tokens += u.output_tokens || 0;
    total.total_tokens += u.total_tokens || 0;
  }
  return total;
}

function fromJson(body) {
  return {
    images: body.data.map((d, index) => ({ b64: d.b64_json, url: d.url, format: body.output_format || 'png', size: body.size, index, revised: d.revised_prompt, seed: d.seed })),
    usage: body.usage || null,
    plan: body.plan || null,
    revised: (body.data[0] && body.data[0].revised_prompt) || null,
  };
}

async function blobOf(image) {
  if (image.b64) return b64ToBlob(image.b64, image.format);
  const response = await api.request('GET', image.url);
  return response.blob();
}

async function finish(outcome, meta) {
  const owner = ownerTag(api.key);
  const records = [];
  for (const image of outcome.images) {
    const blob = await blobOf(image);
    const record = {
      id: `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`,
      owner, created: Date.now(), kind: meta.kind, prompt: meta.prompt || '', model: meta.model || '',
      size: image.size || '', format: image.format || 'png', blob, revised: outcome.revised || image.revised || null,
      plan: outcome.plan || null, usage: image.usage || outcome.usage || null, seed: image.seed ?? null,
    };
    records.push(record);
    try { await addImage(record); } catch { /* private mode: history is best effort */ }
  }
  state.results = records;
  renderResults();
  if (records.length) await setCurrent(records[0].blob, records[0].format);
  renderDetails(outcome, records);
  setStatus(`Done: ${records.length} image${records.length === 1 ? '' : 's'} (${meta.kind}).`);
  renderGallery();
}

function renderDetails(outcome, records) {
  $('details').hidden = false;
  const u = outcome.usage;
  $('usage-after').textContent = u ? `Usage: ${fmt(u.input_tokens)} input + ${fmt(u.output_tokens)} output = ${fmt(u.total_tokens)} tokens` : 'Usage: —';
  const revised = outcome.revised || (records[0] && records[0].revised);
  $('revised-box').hidden = !revised;
  $('revised').textContent = revised || '';
  const plan = outcome.plan || (records[0] && records[0].plan);
  $('plan-box').hidden = !plan;
  $('plan').textContent = plan ? JSON.stringify(plan, null, 2) : '';
}

function renderResults() {
  const list = $('results');
  for (const li of list.querySelectorAll('img')) URL.revokeObjectURL(li.src);
  list.replaceChildren(...state.results.map((r, i) => {
    const url = URL.createObjectURL(r.blob);
    return el('li', {},
      el('button', { type: 'button', class: 'thumb', 'aria-label': `Show result ${i + 1}`, onclick: () => setCurrent(r.blob, r.format) },
        el('img', { src: url, alt: `Result ${i + 1}` })));
  }));
}

// -- the current image ------------------------------------------------------------------------------
function loadImage(url) {
  return new Promise((resolve, reject) => {
    const img = new Image();
    img.onload = () => resolve(img);
    img.onerror = () => reject(new Error('not an image this browser can read'));
    img.src = url;
  });
}

async function setCurrent(blob, format) {
  const url = URL.createObjectURL(blob);
  let img;
  try {
    img = await loadImage(url);
  } catch (err) {
    URL.revokeObjectURL(url);
    showError(`That file could not be opened: ${err.message}.`);
    return;
  }
  if (state.current) URL.revokeObjectURL(state.current.url);
  state.current = { blob, url, width: img.naturalWidth, height: img.naturalHeight, format: format || (blob.type.split('/')[1] || 'png') };
  const stage = $('stage-img');
  stage.src = url;
  stage.dataset.kind = 'final';
  stage.alt = `The current image, ${img.naturalWidth}×${img.naturalHeight}`;
  $('frame').hidden = false;
  $('frame').classList.remove('partial');
  $('frame').style.aspectRatio = `${img.naturalWidth} / ${img.naturalHeight}`;
  $('empty').hidden = true;
  $('download-current').disabled = false;
  mask.reset(img.naturalWidth, img.naturalHeight);
  $('expand-w').value = String(round16(img.naturalWidth * 1.5));
  $('expand-h').value = String(round16(img.naturalHeight));
  syncMask();
}

function syncMask() {
  const on = state.tab === 'edit' && !!state.current;
  $('mask').hidden = !on;
  mask.enabled = on;
}

async function openFile(file) {
  if (!file || !file.type.startsWith('image/')) { showError('That is not an image file.'); return; }
  showError('');
  await setCurrent(file, file.type.split('/')[1]);
  setStatus(`Opened ${file.name || 'the pasted image'} (${state.current ? `${state.current.width}×${state.current.height}` : ''}).`);
}

/** The blob as PNG/JPEG/WebP (what the edits endpoint takes); others are converted to PNG. */
async function uploadable(blob) {
  if (['image/png', 'image/jpeg', 'image/webp'].includes(blob.type)) return blob;
  const img = await loadImage(URL.createObjectURL(blob));
  const canvas = document.createElement('canvas');
  canvas.width = img.naturalWidth;
  canvas.height = img.naturalHeight;
  canvas.getContext('2d').drawImage(img, 0, 0);
  URL.revokeObjectURL(img.src);
  return new Promise((resolve) => canvas.toBlob(resolve, 'image/png'));
}

function fileName(blob, i) {
  const ext = (blob.type.split('/')[1] || 'png').replace('jpeg', 'jpg');
  return `image-${i}.${ext}`;
}

// -- actions ----------------------------------------------------------------------------------------
async function postImages(path, { json, form, prefix, signal }) {
  const response = await api.request('POST', path, { json, form, signal });
  const type = response.headers.get('content-type') || '';
  if (type.startsWith('text/event-stream')) return readStream(response, prefix);
  return fromJson(await response.json());
}

function generate() {
  if (!$('prompt').value.trim()) { showError('Write a prompt first.'); $('prompt').focus(); return; }
  const body = generationBody();
  if ($('include-plan').checked) body.include_plan = true;
  const asJob = $('as-job').checked;
  if ($('stream').checked && !asJob) { body.stream = true; body.partial_images = 2; }
  run(asJob ? 'Submitting a background job…' : 'Generating…', async (signal, busy) => {
    const meta = { kind: 'generation', prompt: body.prompt, model: body.model };
    if (asJob) {
      await finish(await runJob('/v1/images/generations', body, signal, busy), meta);
      return;
    }
    await finish(await postImages('/v1/images/generations', { json: body, signal }), meta);
  });
}

async function runJob(path, body, signal, busy) {
  const response = await api.request('POST', path, { json: body, signal, headers: { Prefer: 'respond-async' } });
  let job = await response.json();
  busy.jobId = job.id;
  refreshJobs();
  while (job.status === 'queued' || job.status === 'running') {
    setStatus(`Job ${job.id}: ${job.status} (${Math.round(job.progress * 100)} %)`);
    $('progress').value = job.progress;
    await new Promise((resolve, reject) => {
      const t = setTimeout(resolve, 700);
      signal.addEventListener('abort', () => { clearTimeout(t); reject(new DOMException('Cancelled', 'AbortError')); }, { once: true });
    });
    job = await api.json('GET', `/v1/images/jobs/${encodeURIComponent(job.id)}`, { signal });
  }
  refreshJobs();
  if (job.status !== 'succeeded') {
    if (job.error) throw new ApiError(job.error.type === 'server_error' ? 500 : 400, { error: job.error }, null);
    throw new DOMException('Cancelled', 'AbortError');
  }
  return fromJson(job.result);
}

async function inputForm() {
  const images = [state.current.blob, ...state.extras.map((x) => x.blob)];
  const form = new FormData();
  const field = images.length > 1 ? 'image[]' : 'image';
  for (const [i, blob] of images.entries()) {
    const ready = await uploadable(blob);
    form.append(field, ready, fileName(ready, i));
  }
  form.append('model', $('model').value);
  return form;
}

function needImage() {
  if (state.current) return false;
  showError('Open, drop, paste or generate an image first.');
  return true;
}

function sendEdit() {
  if (needImage()) return;
  const prompt = $('edit-prompt').value.trim();
  if (!prompt) { showError('Write what should change (the edit prompt).'); $('edit-prompt').focus(); return; }
  run('Editing…', async (signal) => {
    const form = await inputForm();
    if (mask.painted) form.append('mask', await mask.toBlob(), 'mask.png');
    form.append('prompt', prompt);
    if ($('stream').checked) { form.append('stream', 'true'); form.append('partial_images', '2'); }
    const outcome = await postImages('/v1/images/edits', { form, signal });
    await finish(outcome, { kind: state.extras.length ? 'composite edit' : (mask.painted ? 'masked edit' : 'edit'), prompt, model: $('model').value });
  });
}

function sendExpand() {
  if (needImage()) return;
  const w = Number($('expand-w').value);
  const h = Number($('expand-h').value);
  if (!(w >= state.current.width && h >= state.current.height) || (w === state.current.width && h === state.current.height)) {
    showError(`Pick a target larger than the image (${state.current.width}×${state.current.height}).`);
    return;
  }
  const anchor = document.querySelector('input[name="anchor"]:checked').value;
  const prompt = $('expand-prompt').value.trim() || 'extend the scene';
  run(`Expanding to ${w}×${h} (${anchor})…`, async (signal) => {
    const form = new FormData();
    const ready = await uploadable(state.current.blob);
    form.append('image', ready, fileName(ready, 0));
    form.append('model', $('model').value);
    form.append('prompt', prompt);
    form.append('size', `${w}x${h}`);
    form.append('anchor', anchor);
    if ($('stream').checked) { form.append('stream', 'true'); form.append('partial_images', '2'); }
    await finish(await postImages('/v1/images/edits', { form, signal }), { kind: 'expand', prompt, model: $('model').value });
  });
}

function sendVariations() {
  if (needImage()) return;
  run('Making variations…', async (signal) => {
    const form = new FormData();
    const ready = await uploadable(state.current.blob);
    form.append('image', ready, fileName(ready, 0));
    form.append('model', $('model').value);
    form.append('n', String(Number($('var-n').value) || 1));
    form.append('size', $('var-size').value);
    await finish(await postImages('/v1/images/variations', { form, signal }), { kind: 'variation', model: $('model').value });
  });
}

// -- composite inputs ------------------------------------------------------------------------------
function addExtra(blob) {
  if (state.extras.length >= 15) { showError('At most 16 images in one edit.'); return; }
  state.extras.push({ blob, url: URL.createObjectURL(blob) });
  renderExtras();
}

function renderExtras() {
  $('extra-inputs').replaceChildren(...state.extras.map((x, i) => el('li', {},
    el('img', { src: x.url, alt: `Extra input ${i + 1}` }),
    el('button', { type: 'button', class: 'quiet', 'aria-label': `Remove extra input ${i + 1}`, onclick: () => {
      URL.revokeObjectURL(x.url);
      state.extras.splice(i, 1);
      renderExtras();
    } }, '✕'))));
}

// -- gallery and jobs --------------------------------------------------------------------------------
async function renderGallery() {
  let records = [];
  try { records = await listImages(ownerTag(api.key)); } catch { records = []; }
  for (const url of state.galleryUrls) URL.revokeObjectURL(url);
  state.galleryUrls = [];
  const items = records.map((r) => {
    const url = URL.createObjectURL(r.blob);
    state.galleryUrls.push(url);
    const when = new Date(r.created).toLocaleString();
    const title = `${r.kind}${r.prompt ? `: ${r.prompt}` : ''}`;
    return el('li', { class: 'item', dataset: { id: r.id, kind: r.kind } },
      el('img', { src: url, alt: title }),
      el('p', { class: 'caption', title }, el('strong', {}, r.kind), ` · ${r.size} · ${when}`, el('br'), r.prompt ? r.prompt.slice(0, 80) : ''),
      el('div', { class: 'row' },
        el('button', { type: 'button', onclick: () => openRecord(r) }, 'Open'),
        el('a', { class: 'button', href: url, download: `imagegate-${r.id}.${r.format === 'jpeg' ? 'jpg' : r.format}` }, 'Download'),
        el('button', { type: 'button', onclick: () => { addExtra(r.blob); setStatus('Added as an extra input for a composite edit.'); } }, 'Add as input'),
        el('button', { type: 'button', class: 'danger', onclick: async () => { await deleteImage(r.id); renderGallery(); } }, 'Delete')));
  });
  $('gallery').replaceChildren(...(items.length ? items : [el('li', { class: 'empty' }, 'Nothing yet: generated, edited and varied images land here.')]));
}

async function openRecord(r) {
  await setCurrent(r.blob, r.format);
  renderDetails({ usage: r.usage, revised: r.revised, plan: r.plan }, [r]);
  setStatus(`Opened a ${r.kind} from the gallery.`);
  $('stage').focus();
}

async function refreshJobs() {
  if (!state.me) return;
  let page;
  try { page = await api.json('GET', '/v1/images/jobs?limit=20'); } catch (err) {
    $('jobs').replaceChildren(el('li', { class: 'error' }, plainMessage(err)));
    return;
  }
  const items = page.data.map((job) => {
    const when = job.created_at ? new Date(job.created_at * 1000).toLocaleString() : '';
    const thumbs = job.result ? job.result.data.filter((d) => d.url).map((d, i) => el('button', {
      type: 'button', class: 'thumb', 'aria-label': `Open image ${i + 1} of job ${job.id}`,
      onclick: async () => {
        try {
          const blob = await (await api.request('GET', d.url)).blob();
          await setCurrent(blob, job.result.output_format);
          setStatus(`Opened job ${job.id}'s image ${i + 1}.`);
        } catch (err) { showError(plainMessage(err)); }
      } }, el('img', { src: d.url, alt: `Job ${job.id} image ${i + 1}` }))) : [];
    const active = job.status === 'queued' || job.status === 'running';
    return el('li', { dataset: { id: job.id, status: job.status } },
      el('p', {}, el('strong', {}, job.operation), ` · ${job.status}${active ? ` ${Math.round(job.progress * 100)} %` : ''} · ${when}`),
      job.error ? el('p', { class: 'error' }, job.error.message) : null,
      el('div', { class: 'row' }, ...thumbs,
        active ? el('button', { type: 'button', class: 'danger', onclick: async () => {
          try { await api.request('DELETE', `/v1/images/jobs/${encodeURIComponent(job.id)}`); } catch (err) { showError(plainMessage(err)); }
          refreshJobs();
        } }, 'Cancel job') : null));
  });
  $('jobs').replaceChildren(...(items.length ? items : [el('li', { class: 'empty' }, 'No background jobs (tick "Run as a background job" to make one).')]));
}

// -- usage ---------------------------------------------------------------------------------------------
async function refreshMe() {
  try {
    state.me = await api.json('GET', '/v1/me');
    renderBudget();
  } catch { /* shown by the next request */ }
}

function renderBudget() {
  const me = state.me;
  const box = $('budget');
  if (!me) return;
  if (!me.key) { box.replaceChildren(el('p', {}, 'Auth is off on this server: no key, no budget.')); return; }
  const k = me.key;
  const parts = [];
  if (k.budget_usd === null) {
    parts.push(el('p', { id: 'spent' }, `Spent ${usd(k.spent_usd)}; this key has no budget limit.`));
  } else {
    const pct = k.budget_usd > 0 ? Math.min(100, (100 * k.spent_usd) / k.budget_usd) : 100;
    parts.push(el('meter', { min: '0', max: String(k.budget_usd || 1), value: String(Math.min(k.spent_usd, k.budget_usd)), 'aria-label': 'Budget spent' }));
    parts.push(el('p', { id: 'spent' }, `Spent ${usd(k.spent_usd)} of ${usd(k.budget_usd)} (${pct.toFixed(1)} %); ${usd(k.reserved_usd)} held for requests in flight.`));
  }
  const limits = me.limits || {};
  const named = Object.entries(limits).filter(([, v]) => v !== null).map(([kind, v]) => `${fmt(v)} ${kind}`);
  parts.push(el('p', {}, named.length ? `Limits per minute: ${named.join(', ')}.` : 'No per-minute limits apply to this key.'));
  box.replaceChildren(...parts);
}

function renderLimits(rate) {
  const rows = Object.entries(rate).map(([kind, r]) => el('tr', {},
    el('th', { scope: 'row' }, kind), el('td', {}, fmt(r.remaining)), el('td', {}, fmt(r.limit)), el('td', {}, r.reset || '—')));
  $('limits').tBodies[0].replaceChildren(...(rows.length ? rows : [el('tr', {}, el('td', { colspan: '4' }, 'No x-ratelimit headers yet (none are sent when no limit applies).'))]));
}

async function refreshUsage() {
  if (!state.me) return;
  const body = $('usage').tBodies[0];
  try {
    const page = await api.json('GET', '/v1/organization/usage/images?bucket_width=1d&group_by=model&limit=7');
    const rows = [];
    for (const bucket of page.data.slice().reverse()) {
      const day = new Date(bucket.start_time * 1000).toISOString().slice(0, 10);
      for (const r of bucket.results) {
        if (!r.images && !r.num_model_requests) continue;
        rows.push(el('tr', {}, el('td', {}, day), el('td', {}, r.model || '—'), el('td', {}, fmt(r.images)),
          el('td', {}, fmt(r.num_model_requests)), el('td', {}, usd(r.cost_usd))));
      }
    }
    body.replaceChildren(...(rows.length ? rows : [el('tr', {}, el('td', { colspan: '5' }, 'No usage in the last 7 days.'))]));
  } catch (err) {
    body.replaceChildren(el('tr', {}, el('td', { colspan: '5', class: 'error' }, plainMessage(err))));
  }
}

// -- tabs and keyboard ------------------------------------------------------------------------------
function selectTab(name, focus = false) {
  state.tab = name;
  for (const t of TABS) {
    const tab = $(`tab-${t}`);
    const on = t === name;
    tab.setAttribute('aria-selected', String(on));
    tab.tabIndex = on ? 0 : -1;
    $(`panel-${t}`).hidden = !on;
    if (on && focus) tab.focus();
  }
  syncMask();
  if (name === 'gallery') { renderGallery(); refreshJobs(); }
  if (name === 'usage') { refreshMe(); refreshUsage(); renderLimits(api.rate); }
}

function isTyping(target) {
  return target && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));
}

function setBrush(size) {
  const v = Math.max(4, Math.min(256, Math.round(size)));
  mask.size = v;
  $('brush-size').value = String(v);
  $('brush-size-out').textContent = String(v);
}

function setTool(tool) {
  mask.tool = tool;
  $('tool-brush').setAttribute('aria-pressed', String(tool === 'brush'));
  $('tool-eraser').setAttribute('aria-pressed', String(tool === 'eraser'));
}

function mainAction() {
  if (state.tab === 'edit') sendEdit();
  else if (state.tab === 'expand') sendExpand();
  else generate();
}

document.addEventListener('keydown', (e) => {
  if ($('app-view').hidden) return;
  const mod = e.ctrlKey || e.metaKey;
  if (mod && e.key === 'Enter') { e.preventDefault(); mainAction(); return; }
  if (e.key === 'Escape' && state.busy) { e.preventDefault(); cancel(); return; }
  if (e.altKey && /^[1-5]$/.test(e.key)) { e.preventDefault(); selectTab(TABS[Number(e.key) - 1], true); return; }
  if (isTyping(e.target)) return;
  if (mod && (e.key === 'z' || e.key === 'Z')) { e.preventDefault(); if (e.shiftKey) mask.redo(); else mask.undo(); return; }
  if (mod && (e.key === 'y' || e.key === 'Y')) { e.preventDefault(); mask.redo(); return; }
  if (mod || e.altKey) return;
  if (e.key === '[') setBrush(mask.size * 0.8);
  else if (e.key === ']') setBrush(mask.size * 1.25);
  else if (e.key === 'b' || e.key === 'B') setTool('brush');
  else if (e.key === 'e' || e.key === 'E') setTool('eraser');
});

$('tab-generate').parentElement.addEventListener('keydown', (e) => {
  if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
  const i = TABS.indexOf(state.tab) + (e.key === 'ArrowRight' ? 1 : -1);
  selectTab(TABS[(i + TABS.length) % TABS.length], true);
});

// -- wiring ---------------------------------------------------------------------------------------------
$('signin-form').addEventListener('submit', (e) => { e.preventDefault(); signIn($('api-key').value); });
$('sign-out').addEventListener('click', signOut);
for (const t of TABS) $(`tab-${t}`).addEventListener('click', () => selectTab(t));
$('panel-generate').addEventListener('submit', (e) => { e.preventDefault(); generate(); });
$('panel-edit').addEventListener('submit', (e) => { e.preventDefault(); sendEdit(); });
$('panel-expand').addEventListener('submit', (e) => { e.preventDefault(); sendExpand(); });
$('send-variations').addEventListener('click', sendVariations);
$('cancel').addEventListener('click', cancel);
$('panel-generate').addEventListener('input', scheduleEstimate);
$('panel-generate').addEventListener('change', scheduleEstimate);
$('model').addEventListener('change', fillSizes);
$('size').addEventListener('change', () => { $('custom-size').hidden = $('size').value !== 'custom'; });
$('add-text').addEventListener('click', () => insertExactText($('prompt'), $('exact-text')));
$('edit-add-text').addEventListener('click', () => insertExactText($('edit-prompt'), $('edit-exact-text')));
$('exact-text').addEventListener('keydown', (e) => { if (e.key === 'Enter' && !e.ctrlKey && !e.metaKey) { e.preventDefault(); insertExactText($('prompt'), $('exact-text')); } });
$('edit-exact-text').addEventListener('keydown', (e) => { if (e.key === 'Enter' && !e.ctrlKey && !e.metaKey) { e.preventDefault(); insertExactText($('edit-prompt'), $('edit-exact-text')); } });
$('tool-brush').addEventListener('click', () => setTool('brush'));
$('tool-eraser').addEventListener('click', () => setTool('eraser'));
$('undo').addEventListener('click', () => mask.undo());
$('redo').addEventListener('click', () => mask.redo());
$('clear-mask').addEventListener('click', () => mask.clear());
$('brush-size').addEventListener('input', () => setBrush(Number($('brush-size').value)));
$('open-file').addEventListener('change', (e) => { openFile(e.target.files[0]); e.target.value = ''; });
$('extra-file').addEventListener('change', (e) => { for (const f of e.target.files) addExtra(f); e.target.value = ''; });
$('refresh-jobs').addEventListener('click', refreshJobs);
$('refresh-usage').addEventListener('click', () => { refreshMe(); refreshUsage(); renderLimits(api.rate); });
$('download-current').addEventListener('click', () => {
  if (!state.current) return;
  const a = el('a', { href: state.current.url, download: `imagegate-${Date.now()}.${state.current.format === 'jpeg' ? 'jpg' : state.current.format}` });
  document.body.append(a);
  a.click();
  a.remove();
});
api.onRate = (rate) => { if (state.tab === 'usage') renderLimits(rate); };

const drop = $('drop');
drop.addEventListener('dragover', (e) => { e.preventDefault(); drop.classList.add('over'); });
drop.addEventListener('dragleave', () => drop.classList.remove('over'));
drop.addEventListener('drop', (e) => {
  e.preventDefault();
  drop.classList.remove('over');
  const file = [...(e.dataTransfer?.files || [])].find((f) => f.type.startsWith('image/'));
  if (file) openFile(file);
});
document.addEventListener('paste', (e) => {
  if ($('app-view').hidden) return;
  const item = [...(e.clipboardData?.items || [])].find((i) => i.kind === 'file' && i.type.startsWith('image/'));
  if (!item) return;
  e.preventDefault();
  openFile(item.getAsFile());
});

setBrush(48);
mask.onChange();
renderLimits({});
if (api.key || sessionStorage.getItem(SIGNED_IN)) signIn(api.key, { quiet: true });
else $('api-key').focus();
