// Page « Questions et fiches » : la conversation avec l'assistant.
// L'historique reste dans le navigateur (sessionStorage) et accompagne chaque question.
import { api, el } from './common.js';

const STORE = 'ptsm-conversation';
const form = document.getElementById('ask-form');
const input = document.getElementById('question');
const submit = document.getElementById('ask-submit');
const list = document.getElementById('conversation');
const box = document.getElementById('conversation-box');
const empty = document.getElementById('conversation-empty');
const status = document.getElementById('ask-status');
const dialog = document.getElementById('citation-dialog');

/** [{ question, answer: Answer }] */
let exchanges = load();
exchanges.forEach((x) => { list.append(userItem(x.question)); list.append(answerItem(x.question, x.answer)); });
refreshEmpty();

function load() {
  try { return JSON.parse(sessionStorage.getItem(STORE) || '[]'); } catch { return []; }
}
function save() {
  try { sessionStorage.setItem(STORE, JSON.stringify(exchanges.slice(-30))); } catch { /* stockage plein : tant pis */ }
}
function refreshEmpty() { empty.hidden = exchanges.length > 0 || list.children.length > 0; }
function scrollDown() { box.scrollTop = box.scrollHeight; }

/** Les tours précédents, au format attendu par l'API. */
function history() {
  return exchanges.flatMap((x) => [{ role: 'user', content: x.question }, { role: 'assistant', content: x.answer.answer }]);
}

function userItem(text) {
  return el('li', { class: 'msg user' }, el('span', { class: 'who', text: 'Vous' }), el('div', { class: 'text', text }));
}

/** Le texte de la réponse, avec chaque renvoi « [n] » transformé en bouton vers la source n. */
function answerText(answer) {
  const div = el('div', { class: 'text' });
  const re = /\[(\d{1,2})\]/g;
  let last = 0;
  for (const m of answer.answer.matchAll(re)) {
    const n = Number(m[1]);
    const c = answer.citations[n - 1];
    if (!c) continue;
    div.append(answer.answer.slice(last, m.index));
    div.append(el('button', {
      type: 'button', class: 'cite-ref', text: String(n),
      'aria-label': `Source ${n} : ${c.title}${c.page ? `, page ${c.page}` : ''}`,
      onclick: () => openCitation(c, n),
    }));
    last = m.index + m[0].length;
  }
  div.append(answer.answer.slice(last));
  return div;
}

function answerItem(question, answer) {
  const li = el('li', { class: `msg assistant${answer.abstained ? ' abstained' : ''}` },
    el('span', { class: 'who', text: 'Assistant' }), answerText(answer));
  if (answer.privacyWarning) li.append(el('p', { class: 'privacy-warning', role: 'note', text: answer.privacyWarning }));
  if (answer.citations.length) {
    const items = answer.citations.map((c, i) => el('li', {},
      el('button', { type: 'button', class: 'source-link', onclick: () => openCitation(c, i + 1) }, c.title),
      ' ', el('span', { class: 'src-meta', text: [c.page ? `page ${c.page}` : null, c.section].filter(Boolean).join(' · ') })));
    li.append(el('div', { class: 'sources' }, el('h3', { text: 'Sources' }), el('ol', {}, items)));
  }
  li.append(feedback(question, answer));
  return li;
}

function feedback(question, answer) {
  const note = el('span', { role: 'status' });
  const send = async (rating, btn) => {
    try {
      const r = await api('/api/feedback', { method: 'POST', body: { question, answer: answer.answer, rating } });
      wrap.querySelectorAll('button').forEach((b) => b.setAttribute('aria-pressed', String(b === btn)));
      note.textContent = r.message;
    } catch (e) { note.textContent = e.message; }
  };
  const up = el('button', { type: 'button', class: 'small', 'aria-pressed': 'false', text: 'Utile', onclick: () => send('up', up) });
  const down = el('button', { type: 'button', class: 'small', 'aria-pressed': 'false', text: 'Pas utile', onclick: () => send('down', down) });
  const wrap = el('div', { class: 'feedback' }, el('span', { text: 'Cette réponse vous aide ?' }), up, down, note);
  return wrap;
}

async function ask(question) {
  list.append(userItem(question));
  const pending = el('li', { class: 'msg assistant pending' }, 'L\u2019assistant cherche dans les documents…');
  list.append(pending);
  refreshEmpty();
  scrollDown();
  submit.disabled = true;
  status.className = 'status';
  status.textContent = '';
  try {
    const answer = await api('/api/ask', { method: 'POST', body: { question, history: history() } });
    exchanges.push({ question, answer });
    save();
    pending.replaceWith(answerItem(question, answer));
  } catch (e) {
    pending.replaceWith(el('li', { class: 'msg assistant abstained' }, el('span', { class: 'who', text: 'Assistant' }), el('div', { class: 'text error', text: e.message })));
    status.className = 'status error';
    status.textContent = e.message;
  } finally {
    submit.disabled = false;
    scrollDown();
  }
}

form.addEventListener('submit', (ev) => {
  ev.preventDefault();
  const q = input.value.trim();
  if (!q) {
    status.className = 'status error';
    status.textContent = 'Écrivez votre question avant d\u2019envoyer.';
    input.focus();
    return;
  }
  input.value = '';
  ask(q);
});

input.addEventListener('keydown', (ev) => {
  if (ev.key === 'Enter' && !ev.shiftKey && !ev.isComposing) {
    ev.preventDefault();
    form.requestSubmit();
  }
});

document.getElementById('new-conversation').addEventListener('click', () => {
  exchanges = [];
  save();
  list.replaceChildren();
  refreshEmpty();
  status.className = 'status';
  status.textContent = 'Nouvelle conversation : les questions précédentes ne sont plus prises en compte.';
  input.focus();
});

// --- Source d'une citation : extrait, passage de la page, lien vers le document ---

const fold = (s) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
const escapeRe = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Où se trouve la citation dans le passage : le texte exact si possible,
 * sinon la phrase qui partage le plus de mots avec l'extrait (les réponses
 * reformulent parfois : « Pilote(s) : Mme X (GEM Y) »).
 */
function locateQuote(text, quote) {
  const words = quote.replace(/[\u2026]+$/, '').trim().split(/\s+/).slice(0, 14);
  if (words.length >= 3) {
    const m = new RegExp(words.map(escapeRe).join('\\s+'), 'i').exec(text);
    if (m) {
      const full = new RegExp(quote.replace(/[\u2026.]+$/, '').trim().split(/\s+/).map(escapeRe).join('\\s+'), 'i').exec(text);
      return full ? [full.index, full.index + full[0].length] : [m.index, m.index + m[0].length];
    }
  }
  const keys = new Set(fold(quote).match(/[a-z0-9]{4,}/g) || []);
  let best = null;
  for (const seg of text.matchAll(/[^\n.!?;]+[.!?;]?/g)) {
    const found = new Set((fold(seg[0]).match(/[a-z0-9]{4,}/g) || []).filter((w) => keys.has(w)));
    if (found.size >= 2 && (!best || found.size > best.score)) best = { score: found.size, start: seg.index, end: seg.index + seg[0].length };
  }
  if (!best) return null;
  const lead = text.slice(best.start, best.end).match(/^\s*/)[0].length;
  return [best.start + lead, best.end];
}

/** Le passage, avec la partie citée surlignée quand on la retrouve. */
function passageNode(p, quote) {
  const head = el('span', { class: 'passage-head', text: [p.page ? `Page ${p.page}` : null, p.section].filter(Boolean).join(' · ') || 'Passage' });
  const node = el('div', { class: 'passage' }, head);
  const span = locateQuote(p.text, quote);
  if (!span) { node.append(p.text); return { node, found: false }; }
  node.append(p.text.slice(0, span[0]), el('mark', { text: p.text.slice(span[0], span[1]) }), p.text.slice(span[1]));
  return { node, found: true };
}

async function openCitation(c, n) {
  document.getElementById('citation-title').textContent = `Source ${n} : ${c.title}`;
  document.getElementById('citation-meta').textContent =
    [c.source, c.page ? `page ${c.page}` : null, c.section ? `section « ${c.section} »` : null].filter(Boolean).join(' · ');
  document.getElementById('citation-quote').textContent = c.quote;
  const link = document.getElementById('citation-open');
  if (c.url) {
    link.hidden = false;
    link.href = c.url;
    link.textContent = c.page ? `Ouvrir le document à la page ${c.page} (nouvel onglet)` : 'Ouvrir le document (nouvel onglet)';
  } else {
    link.hidden = true;
  }
  const passages = document.getElementById('citation-passages');
  passages.replaceChildren(el('p', { class: 'empty', text: 'Chargement du passage…' }));
  if (!dialog.open) dialog.showModal();
  if (!c.documentId) {
    passages.replaceChildren(el('p', { class: 'empty', text: 'Ce document n\u2019est plus dans la base.' }));
    return;
  }
  try {
    const data = await api(`/api/documents/${encodeURIComponent(c.documentId)}/passages${c.page ? `?page=${c.page}` : ''}`);
    const nodes = data.passages.map((p) => passageNode(p, c.quote));
    const matching = nodes.filter((x) => x.found);
    const shown = (matching.length ? matching : nodes.slice(0, 2)).map((x) => x.node);
    passages.replaceChildren(...(shown.length ? shown : [el('p', { class: 'empty', text: 'Aucun passage à afficher.' })]));
  } catch (e) {
    passages.replaceChildren(el('p', { class: 'error', text: e.message }));
  }
}

document.getElementById('citation-close').addEventListener('click', () => dialog.close());
// Un clic sur le fond assombri (hors du cadre) ferme aussi la boîte.
dialog.addEventListener('click', (ev) => {
  if (ev.target !== dialog) return;
  const r = dialog.getBoundingClientRect();
  if (ev.clientX < r.left || ev.clientX > r.right || ev.clientY < r.top || ev.clientY > r.bottom) dialog.close();
});
