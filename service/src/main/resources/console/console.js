// The Siamese Streams console: plain JavaScript against the service's own /api/v1 and /metrics.
'use strict';

const API = '/api/v1';
const state = { key: sessionStorage.getItem('siamese.apiKey') || '', role: null, feedAbort: null,
  captured: [], lastMetrics: null, thumbnails: new Map() };
const ROLES = ['viewer', 'operator', 'enroller'];
const $ = (id) => document.getElementById(id);

function can(role) {
  return state.role !== null && ROLES.indexOf(state.role) >= ROLES.indexOf(role);
}

async function api(method, path, body) {
  const headers = { Authorization: 'Bearer ' + state.key };
  const init = { method, headers };
  if (body instanceof FormData) {
    init.body = body;
  } else if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const response = await fetch(API + path, init);
  const text = await response.text();
  const data = text ? JSON.parse(text) : null;
  if (!response.ok) {
    const problem = data || {};
    throw new Error((problem.title || response.status) + ': ' + (problem.detail || '') +
      (problem.code ? ' (' + problem.code + ')' : ''));
  }
  return data;
}

function say(id, message, isError) {
  const element = $(id);
  element.textContent = message;
  element.classList.toggle('error', Boolean(isError));
}

async function signIn(event) {
  if (event) event.preventDefault();
  const typed = $('api-key').value.trim();
  if (typed) state.key = typed;
  try {
    const me = await api('GET', '/me');
    state.role = me.role;
    sessionStorage.setItem('siamese.apiKey', state.key);
    $('api-key').value = '';
    say('whoami', 'Signed in as ' + me.name + ' (' + me.role + ')');
  } catch (error) {
    state.role = null;
    say('whoami', 'Sign-in failed: ' + error.message, true);
  }
  forgetThumbnails(new Set());
  $('enrol-card').hidden = !can('enroller');
  $('verify-card').hidden = !can('operator');
  if (state.role) {
    refreshGallery();
    watchEvents();
  }
}

async function refreshGallery() {
  if (!state.role) return;
  const query = $('search').value.trim();
  try {
    const page = await api('GET', '/identities?limit=500' + (query ? '&q=' + encodeURIComponent(query) : ''));
    const list = $('gallery');
    list.replaceChildren();
    for (const identity of page.items) {
      const item = document.createElement('li');
      item.dataset.identityId = identity.identityId;
      const text = document.createElement('div');
      const name = document.createElement('strong');
      name.textContent = identity.displayName ? identity.displayName + ' (' + identity.identityId + ')' : identity.identityId;
      const meta = document.createElement('div');
      meta.className = 'meta';
      meta.textContent = identity.templateCount + ' template' + (identity.templateCount === 1 ? '' : 's') +
        ' · enrolled ' + new Date(identity.enrolledAt).toLocaleString() + ' · ' + identity.modelId + ' ' + identity.modelVersion;
      text.append(name, meta);
      if (can('operator') && identity.hasThumbnail) {
        item.append(thumbnail(identity));
      }
      item.append(text);
      if (can('enroller')) {
        const erase = document.createElement('button');
        erase.type = 'button';
        erase.className = 'link';
        erase.textContent = 'Erase';
        erase.setAttribute('aria-label', 'Erase ' + identity.identityId);
        erase.addEventListener('click', () => confirmErase(identity.identityId));
        item.append(erase);
      }
      list.append(item);
    }
    forgetThumbnails(new Set(page.items.map((identity) => identity.identityId)));
    say('gallery-status', page.total + ' identit' + (page.total === 1 ? 'y' : 'ies') + (query ? ' matching "' + query + '"' : '') +
      ' (model ' + page.modelId + ' ' + page.modelVersion + ')');
  } catch (error) {
    say('gallery-status', error.message, true);
  }
}

// <img src> cannot send the Authorization header: the JPEG is fetched and shown through an object URL,
// kept per identity until it is re-enrolled or leaves the gallery.
function thumbnail(identity) {
  const image = document.createElement('img');
  image.className = 'thumbnail';
  image.width = 48;
  image.height = 48;
  image.alt = 'First enrolment image of ' + (identity.displayName || identity.identityId);
  const cached = state.thumbnails.get(identity.identityId);
  if (cached && cached.enrolledAt === identity.enrolledAt) {
    image.src = cached.url;
    return image;
  }
  fetch(API + '/identities/' + encodeURIComponent(identity.identityId) + '/thumbnail',
    { headers: { Authorization: 'Bearer ' + state.key } })
    .then((response) => response.ok ? response.blob() : Promise.reject(new Error(String(response.status))))
    .then((blob) => {
      const url = URL.createObjectURL(blob);
      const old = state.thumbnails.get(identity.identityId);
      if (old) URL.revokeObjectURL(old.url);
      state.thumbnails.set(identity.identityId, { enrolledAt: identity.enrolledAt, url });
      image.src = url;
    })
    .catch(() => { image.alt = 'No thumbnail for ' + identity.identityId; });
  return image;
}

function forgetThumbnails(keep) {
  for (const [identityId, cached] of state.thumbnails) {
    if (!keep.has(identityId)) {
      URL.revokeObjectURL(cached.url);
      state.thumbnails.delete(identityId);
    }
  }
}

function confirmErase(identityId) {
  const dialog = $('confirm-erase');
  $('confirm-id').textContent = identityId;
  dialog.returnValue = '';
  dialog.onclose = async () => {
    if (dialog.returnValue !== 'erase') return;
    try {
      const written = await api('DELETE', '/identities/' + encodeURIComponent(identityId));
      say('gallery-status', 'Erasure of ' + identityId + ' written at offset ' + written.offset + '.');
      setTimeout(refreshGallery, 1000);
    } catch (error) {
      say('gallery-status', error.message, true);
    }
  };
  dialog.showModal();
}

async function enrol(event) {
  event.preventDefault();
  const id = $('enrol-id').value.trim();
  const form = new FormData();
  if ($('enrol-name').value.trim()) form.append('displayName', $('enrol-name').value.trim());
  for (const file of $('enrol-images').files) form.append('images', file, file.name);
  state.captured.forEach((blob, i) => form.append('images', blob, 'camera-' + i + '.png'));
  if (!form.has('images')) {
    say('enrol-status', 'Choose at least one image or capture one with the camera.', true);
    return;
  }
  say('enrol-status', 'Sending…');
  try {
    const written = await api('PUT', '/identities/' + encodeURIComponent(id), form);
    say('enrol-status', 'Enrolment of ' + id + ' written to ' + written.topic + ' at offset ' + written.offset +
      '; it shows in the gallery once embedded.');
    state.captured = [];
    $('captured').textContent = '';
    $('enrol').reset();
    awaitIdentity(id, 30);
  } catch (error) {
    say('enrol-status', error.message, true);
  }
}

async function awaitIdentity(id, attempts) {
  for (let i = 0; i < attempts; i++) {
    try {
      await api('GET', '/identities/' + encodeURIComponent(id));
      say('enrol-status', id + ' is in the gallery.');
      refreshGallery();
      return;
    } catch (notYet) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
}

async function verify(event) {
  event.preventDefault();
  const form = new FormData();
  form.append('identityId', $('verify-id').value.trim());
  const file = $('verify-image').files[0];
  if (file) form.append('image', file, file.name);
  try {
    const result = await api('POST', '/verify', form);
    say('verify-status', result.decision + (result.distance != null ? ' at distance ' + result.distance.toFixed(3) +
      ' (threshold ' + result.threshold.toFixed(3) + ')' : ''));
  } catch (error) {
    say('verify-status', error.message, true);
  }
}

async function startCamera() {
  const video = $('camera-video');
  try {
    video.srcObject = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'user' } });
    video.hidden = false;
    await video.play();
    $('camera-capture').hidden = false;
  } catch (error) {
    $('captured').textContent = 'No camera: ' + error.message;
  }
}

function capture() {
  const video = $('camera-video');
  const canvas = document.createElement('canvas');
  canvas.width = video.videoWidth;
  canvas.height = video.videoHeight;
  canvas.getContext('2d').drawImage(video, 0, 0);
  canvas.toBlob((blob) => {
    state.captured.push(blob);
    $('captured').textContent = state.captured.length + ' photo' + (state.captured.length === 1 ? '' : 's') + ' captured';
  }, 'image/png');
}

// The event stream is read with fetch (EventSource cannot send the Authorization header).
async function watchEvents() {
  if (state.feedAbort) state.feedAbort.abort();
  const abort = new AbortController();
  state.feedAbort = abort;
  try {
    const response = await fetch(API + '/events', { headers: { Authorization: 'Bearer ' + state.key,
      Accept: 'text/event-stream' }, signal: abort.signal });
    if (!response.ok) throw new Error('HTTP ' + response.status);
    say('feed-status', 'Watching this instance\'s decisions.');
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value;
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const data = block.split('\n').filter((line) => line.startsWith('data:')).map((line) => line.slice(5).trim()).join('\n');
        if (data && /^event:\s*match/m.test(block)) showEvent(JSON.parse(data));
      }
    }
    say('feed-status', 'The event stream ended; reconnecting…');
  } catch (error) {
    if (abort.signal.aborted) return;
    say('feed-status', 'Event stream: ' + error.message + '; reconnecting…', true);
  }
  setTimeout(() => { if (state.feedAbort === abort) watchEvents(); }, 3000);
}

function cell(text) {
  const td = document.createElement('td');
  td.textContent = text;
  return td;
}

function showEvent(event) {
  const row = document.createElement('tr');
  row.dataset.decision = event.decision;
  const decision = document.createElement('td');
  const badge = document.createElement('span');
  badge.className = 'decision ' + event.decision;
  badge.textContent = event.decision;
  decision.append(badge);
  row.append(cell(new Date(event.processedAt).toLocaleTimeString()), decision, cell(event.identityId || '–'),
    cell(event.distance != null ? event.distance.toFixed(3) : '–'),
    cell(event.probability != null ? event.probability.toFixed(3) : '–'), cell(event.cameraId),
    cell(Math.max(0, event.processedAt - event.frameTimestamp) + ' ms'));
  const body = $('feed').tBodies[0];
  body.prepend(row);
  while (body.rows.length > 50) body.deleteRow(body.rows.length - 1);
}

// Headline numbers from the service's own Prometheus scrape, as rates between two scrapes.
function parseMetrics(text) {
  const sums = {};
  const buckets = {};
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const match = line.match(/^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?\s+(\S+)/);
    if (!match) continue;
    const value = Number(match[3]);
    sums[match[1]] = (sums[match[1]] || 0) + value;
    if (match[1] === 'siamese_end_to_end_latency_seconds_bucket') {
      const le = /le="([^"]+)"/.exec(match[2] || '');
      if (le) buckets[le[1]] = (buckets[le[1]] || 0) + value;
    }
  }
  return { time: performance.now(), sums, buckets };
}

function p99(now, before) {
  const bounds = Object.keys(now.buckets).sort((a, b) => Number(a) - Number(b));
  const counts = bounds.map((le) => now.buckets[le] - ((before && before.buckets[le]) || 0));
  const total = counts[counts.length - 1];
  if (!total) return null;
  const index = counts.findIndex((count) => count >= 0.99 * total);
  return Number(bounds[index]);
}

async function refreshNumbers() {
  try {
    const now = parseMetrics(await (await fetch('/metrics')).text());
    const before = state.lastMetrics;
    if (before) {
      const seconds = (now.time - before.time) / 1000;
      const rate = (name) => ((now.sums[name] || 0) - (before.sums[name] || 0)) / seconds;
      $('frames-rate').textContent = rate('siamese_frames_consumed_total').toFixed(1);
      $('events-rate').textContent = rate('siamese_match_events_total').toFixed(1);
      $('dead-rate').textContent = rate('siamese_dead_letters_total').toFixed(1);
      const latency = p99(now, before);
      $('p99').textContent = latency === null ? '–' : (Number.isFinite(latency) ? '≤ ' + Math.round(latency * 1000) + ' ms' : '> 120 s');
    }
    $('gallery-size').textContent = now.sums.siamese_gallery_identities !== undefined ? String(now.sums.siamese_gallery_identities) : '–';
    state.lastMetrics = now;
  } catch (error) {
    $('frames-rate').textContent = '?';
  }
}

document.addEventListener('DOMContentLoaded', () => {
  $('signin').addEventListener('submit', signIn);
  $('enrol').addEventListener('submit', enrol);
  $('verify').addEventListener('submit', verify);
  $('camera-start').addEventListener('click', startCamera);
  $('camera-capture').addEventListener('click', capture);
  let searchTimer;
  $('search').addEventListener('input', () => { clearTimeout(searchTimer); searchTimer = setTimeout(refreshGallery, 250); });
  refreshNumbers();
  setInterval(refreshNumbers, 2000);
  setInterval(refreshGallery, 10000);
  if (state.key) signIn();
});
