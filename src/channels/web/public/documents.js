// Page « Documents » : liste des documents indexés, erreurs de la dernière
// indexation, ajout de fichiers avec suivi de l'envoi puis de l'indexation.
import { api, el, frenchDate, frenchDateTime, plural } from './common.js';

const KINDS = { ptsm: 'Projet (PTSM)', fiche: 'Fiche action', 'compte-rendu': 'Compte rendu', autre: 'Autre' };
const EXTENSIONS = ['.pdf', '.docx', '.md', '.markdown', '.txt', '.html', '.htm'];
const form = document.getElementById('upload-form');
const input = document.getElementById('upload-files');
const submit = document.getElementById('upload-submit');
const progressList = document.getElementById('upload-progress');
const maxBytes = Number(form.dataset.maxBytes);
const fresh = new Set();

function formatBytes(n) {
  if (n < 1024 * 1024) return `${Math.round(n / 1024)} Ko`;
  return `${(n / 1048576).toFixed(1).replace('.', ',')} Mo`;
}

async function loadDocuments() {
  const tbody = document.querySelector('#documents-table tbody');
  try {
    const data = await api('/api/documents');
    const chunks = data.documents.reduce((n, d) => n + d.chunkCount, 0);
    document.getElementById('docs-summary').textContent = data.documents.length
      ? `${plural(data.documents.length, 'document')}, ${plural(chunks, 'passage')} consultables${data.indexedAt ? ` ; index mis à jour le ${frenchDateTime(data.indexedAt)}` : ''}.`
      : 'Aucun document indexé pour l\u2019instant : ajoutez-en ci-dessus, ou lancez « ptsm index <dossier> ».';
    tbody.replaceChildren(...data.documents
      .sort((a, b) => a.title.localeCompare(b.title, 'fr', { numeric: true }))
      .map((d) => el('tr', {},
        el('td', {}, d.title, fresh.has(d.id) ? el('span', { class: 'new-doc', text: 'nouveau' }) : null),
        el('td', {}, el('span', { class: 'kind', text: KINDS[d.kind] || d.kind })),
        el('td', { class: 'nowrap', text: d.date ? frenchDate(d.date) : '—' }),
        el('td', { text: d.pageCount ?? '—' }),
        el('td', { text: String(d.chunkCount) }),
        el('td', { class: 'nowrap', text: frenchDateTime(d.indexedAt) }),
        el('td', {}, el('a', { href: `/api/documents/${encodeURIComponent(d.id)}/raw`, target: '_blank', rel: 'noopener', text: d.fileName, 'aria-label': `Ouvrir ${d.fileName} (nouvel onglet)` })))));
    const errors = document.getElementById('index-errors');
    errors.replaceChildren(data.errors.length
      ? el('ul', {}, data.errors.map((e) => el('li', {}, el('strong', { text: e.source }), ` : ${e.message}`)))
      : el('p', { class: 'status ok', text: 'Aucune erreur lors de la dernière indexation.' }));
  } catch (e) {
    document.getElementById('docs-summary').replaceChildren(el('span', { class: 'error', role: 'alert', text: e.message }));
  }
}

/** Envoi brut du fichier (XMLHttpRequest pour suivre la progression de l'envoi). */
function send(file, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api/documents?nom=${encodeURIComponent(file.name)}`);
    xhr.setRequestHeader('Content-Type', 'application/octet-stream');
    xhr.responseType = 'json';
    xhr.upload.onprogress = (e) => { if (e.lengthComputable) onProgress(e.loaded / e.total); };
    xhr.onload = () => {
      if (xhr.status === 202) resolve(xhr.response.job);
      else reject(new Error(xhr.response?.error?.message || `Envoi refusé (erreur ${xhr.status}).`));
    };
    xhr.onerror = () => reject(new Error('L\u2019envoi a été interrompu : vérifiez la connexion au serveur.'));
    xhr.send(file);
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function follow(job, update) {
  for (;;) {
    update(job);
    if (job.state === 'done' || job.state === 'failed') return job;
    await sleep(500);
    job = (await api(`/api/jobs/${encodeURIComponent(job.id)}`)).job;
  }
}

async function upload(file) {
  const bar = el('progress', { max: 100, value: 0, 'aria-label': `Progression de ${file.name}` });
  const text = el('span', { text: `« ${file.name} » : envoi…` });
  const item = el('li', {}, text, bar);
  progressList.append(item);
  const fail = (message) => { bar.remove(); text.className = 'failed'; text.textContent = message; };
  const ext = file.name.slice(file.name.lastIndexOf('.')).toLowerCase();
  if (!EXTENSIONS.includes(ext)) return fail(`« ${file.name} » : format non pris en charge. Déposez un PDF, un DOCX, un fichier Markdown, texte ou HTML.`);
  if (file.size > maxBytes) return fail(`« ${file.name} » dépasse la taille maximale autorisée (${formatBytes(maxBytes)}).`);
  try {
    const job = await send(file, (f) => { bar.value = Math.round(f * 50); });
    const last = await follow(job, (j) => {
      text.textContent = j.message;
      if (j.state === 'queued') bar.value = 55;
      if (j.state === 'indexing') bar.removeAttribute('value'); // durée inconnue : barre indéterminée
      if (j.state === 'reloading') bar.value = 90;
    });
    if (last.state === 'done') {
      bar.value = 100;
      text.className = 'done';
      if (last.documentId) fresh.add(last.documentId);
    } else {
      fail(last.message);
    }
  } catch (e) {
    fail(e.message);
  }
}

form.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const files = [...(input.files || [])];
  if (!files.length) {
    progressList.replaceChildren(el('li', { class: 'failed', text: 'Choisissez au moins un fichier à ajouter.' }));
    input.focus();
    return;
  }
  submit.disabled = true;
  progressList.replaceChildren();
  for (const f of files) await upload(f);
  submit.disabled = false;
  input.value = '';
  await loadDocuments();
});

loadDocuments();
