// Panneau « Rédiger une fiche action » : brouillon champ par champ, avec pour
// chaque champ les messages dont il provient, modifiable, puis validé ou exporté.
import { api, downloadResponse, el, frenchDate } from './common.js';

const form = document.getElementById('draft-form');
const textArea = document.getElementById('thread-text');
const fileInput = document.getElementById('thread-file');
const draftSubmit = document.getElementById('draft-submit');
const draftStatus = document.getElementById('draft-status');
const editor = document.getElementById('draft-editor');
const fieldsBox = document.getElementById('draft-fields');
const notice = document.getElementById('draft-notice');
const editorStatus = document.getElementById('editor-status');
const exportBtn = document.getElementById('export-docx');
const validateBtn = document.getElementById('validate-fiche');

let current = null; // { draft, thread, labels }
let uid = 0;
const nextId = (p) => `${p}-${++uid}`;

function setStatus(node, text, kind = '') {
  node.className = `status ${kind}`;
  node.textContent = text;
}

fileInput.addEventListener('change', async () => {
  const file = fileInput.files?.[0];
  if (!file) return;
  if (file.size > 2 * 1024 * 1024) { setStatus(draftStatus, 'Ce fichier dépasse 2 Mo : ce n\u2019est sans doute pas un fil de discussion.', 'error'); return; }
  textArea.value = await file.text();
  setStatus(draftStatus, `Fichier « ${file.name} » chargé : vérifiez-le puis générez le brouillon.`);
});

form.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  if (!textArea.value.trim()) {
    setStatus(draftStatus, 'Collez d\u2019abord un fil de discussion (ou importez un fichier).', 'error');
    textArea.focus();
    return;
  }
  draftSubmit.disabled = true;
  setStatus(draftStatus, 'Rédaction du brouillon en cours…');
  try {
    current = await api('/api/draft', { method: 'POST', body: { text: textArea.value } });
    renderEditor();
    const n = current.thread.messages.length;
    setStatus(draftStatus, `Brouillon prêt, tiré de ${n} message${n > 1 ? 's' : ''}. Relisez chaque champ avant de valider.`, 'ok');
    editor.hidden = false;
    document.getElementById('draft-editor-title').scrollIntoView({ block: 'start' });
    editor.querySelector('input, textarea')?.focus({ preventScroll: true });
  } catch (e) {
    setStatus(draftStatus, e.message, 'error');
  } finally {
    draftSubmit.disabled = false;
  }
});

// --- Provenance : quels messages ont nourri le champ ---

function provenance(field) {
  const ids = current.draft.provenance[field] || [];
  const byId = new Map(current.thread.messages.map((m) => [m.id, m]));
  if (!ids.length) {
    return el('div', { class: 'provenance' }, el('span', { class: 'badge todo', text: 'À compléter' }), 'Rien trouvé dans la discussion pour ce champ.');
  }
  const chips = ids.map((id) => {
    const m = byId.get(id);
    const tipId = nextId('tip');
    const text = m ? `${m.author.name} : ${m.text.length > 500 ? m.text.slice(0, 500) + '…' : m.text}` : `Message ${id}`;
    const chip = el('button', {
      type: 'button', class: 'chip', 'aria-describedby': tipId, 'aria-expanded': 'false',
      text: m ? `${id} · ${m.author.name}` : id,
    });
    // Survol ou focus : la bulle s'affiche (CSS) ; Entrée la fixe ; Échap la referme.
    chip.addEventListener('click', () => chip.setAttribute('aria-expanded', chip.getAttribute('aria-expanded') === 'true' ? 'false' : 'true'));
    chip.addEventListener('keydown', (e) => { if (e.key === 'Escape') { chip.setAttribute('aria-expanded', 'false'); chip.blur(); } });
    chip.addEventListener('blur', () => chip.setAttribute('aria-expanded', 'false'));
    return el('span', { class: 'chip-wrap' }, chip, el('span', { class: 'tip', role: 'tooltip', id: tipId, text }));
  });
  return el('div', { class: 'provenance' }, el('span', { text: 'Issu de :' }), chips);
}

function fieldset(field, label, ...content) {
  const missing = current.draft.missing.includes(field);
  const legendId = nextId('legend');
  const fs = el('fieldset', { class: `draft-field${missing ? ' missing' : ''}`, 'data-field': field },
    el('legend', { id: legendId, text: label }), provenance(field), ...content);
  fs.querySelectorAll('[data-labelled-by-legend]').forEach((n) => n.setAttribute('aria-labelledby', legendId));
  return fs;
}

function textInput(name, value) {
  return el('input', { type: 'text', name, value: value ?? '', 'data-labelled-by-legend': true });
}

function linesArea(name, values, labelText) {
  const id = nextId(name);
  const helpId = nextId('help');
  return [
    labelText ? el('label', { for: id, text: labelText }) : null,
    el('textarea', { id, name, rows: Math.max(2, Math.min(8, (values?.length || 0) + 1)), 'aria-describedby': helpId, ...(labelText ? {} : { 'data-labelled-by-legend': true }) }, (values || []).join('\n')),
    el('p', { class: 'help', id: helpId, text: 'Une ligne par élément.' }),
  ];
}

function proseArea(name, value) {
  return el('textarea', { name, rows: 3, 'data-labelled-by-legend': true }, value ?? '');
}

/** Lignes répétables (pilotes, échéances, indicateurs) avec ajout et suppression. */
function rowsEditor(kind, items, makeRow, addLabel) {
  const box = el('div', { class: 'rows', 'data-rows': kind });
  const add = (item) => {
    const row = makeRow(item || {});
    const remove = el('button', { type: 'button', class: 'small', text: 'Retirer', onclick: () => { row.remove(); addBtn.focus(); } });
    row.append(el('div', {}, remove));
    box.append(row);
    return row;
  };
  const addBtn = el('button', { type: 'button', class: 'small', text: addLabel, onclick: () => add().querySelector('input')?.focus() });
  items.forEach((i) => add(i));
  return [box, el('div', { class: 'actions' }, addBtn)];
}

function labelled(labelText, control) {
  const id = nextId('f');
  control.id = id;
  return el('div', {}, el('label', { for: id, text: labelText }), control);
}

function pilotRow(p) {
  const row = el('div', { class: 'row pilot' },
    labelled('Nom', el('input', { type: 'text', 'data-k': 'name', value: p.name ?? '' })),
    labelled('Organisation', el('input', { type: 'text', 'data-k': 'organisation', value: p.organisation ?? '' })),
    labelled('Courriel', el('input', { type: 'email', 'data-k': 'email', value: p.email ?? '' })));
  row.dataset.original = JSON.stringify(p);
  return row;
}

function milestoneRow(m) {
  const parsed = el('div', { class: 'parsed', text: m.due ? `→ ${frenchDate(m.due)}` : (m.dueText ? '→ date à préciser' : '') });
  const due = el('input', { type: 'text', 'data-k': 'dueText', value: m.dueText ?? '', placeholder: 'ex. T2 2026, fin 2027' });
  due.addEventListener('input', () => { parsed.textContent = due.value.trim() === (m.dueText ?? '') && m.due ? `→ ${frenchDate(m.due)}` : '→ date relue à la validation'; });
  const row = el('div', { class: 'row milestone' },
    labelled('Échéance (libellé)', el('input', { type: 'text', 'data-k': 'label', value: m.label ?? '' })),
    labelled('Quand', due), parsed);
  row.dataset.original = JSON.stringify(m);
  return row;
}

function indicatorRow(i) {
  const type = el('select', { 'data-k': 'type' },
    ...[['processus', 'Processus'], ['resultat', 'Résultat'], ['autre', 'Autre']].map(([v, t]) => el('option', { value: v, selected: (i.type ?? 'autre') === v, text: t })));
  return el('div', { class: 'row indicator' },
    labelled('Indicateur', el('input', { type: 'text', 'data-k': 'label', value: i.label ?? '' })),
    labelled('Type', type),
    labelled('Cible', el('input', { type: 'text', 'data-k': 'target', value: i.target ?? '' })));
}

function renderEditor() {
  const f = current.draft.fiche;
  const L = current.labels.fields;
  const missing = current.draft.missing.map((k) => L[k] || k);
  notice.textContent = missing.length
    ? `Brouillon généré à partir de la discussion. Champs à compléter : ${missing.join(', ')}.`
    : 'Brouillon généré à partir de la discussion : relisez chaque champ avant de valider.';
  fieldsBox.replaceChildren(
    fieldset('title', L.title, textInput('title', f.title)),
    fieldset('axis', L.axis, textInput('axis', f.axis)),
    fieldset('context', L.context, proseArea('context', f.context)),
    fieldset('objectives', L.objectives,
      ...linesArea('objectives.general', f.objectives.general, current.labels.sections.generalObjectives),
      ...linesArea('objectives.operational', f.objectives.operational, current.labels.sections.operationalObjectives)),
    fieldset('steps', L.steps, ...linesArea('steps', f.steps)),
    fieldset('targetPublic', L.targetPublic, ...linesArea('targetPublic', f.targetPublic)),
    fieldset('pilots', L.pilots, ...rowsEditor('pilots', f.pilots, pilotRow, 'Ajouter un pilote')),
    fieldset('partners', L.partners, ...linesArea('partners', f.partners)),
    fieldset('milestones', L.milestones, ...rowsEditor('milestones', f.milestones, milestoneRow, 'Ajouter une échéance')),
    fieldset('indicators', L.indicators, ...rowsEditor('indicators', f.indicators, indicatorRow, 'Ajouter un indicateur')),
    fieldset('funding', L.funding, proseArea('funding', f.funding)),
  );
  setStatus(editorStatus, '');
}

// --- Relecture du formulaire en fiche ---

const value = (name) => editor.querySelector(`[name="${name}"]`)?.value.trim() ?? '';
const lines = (name) => value(name).split('\n').map((l) => l.trim()).filter(Boolean);
const orNull = (s) => (s ? s : null);

function rows(kind) {
  return [...editor.querySelectorAll(`[data-rows="${kind}"] > .row`)].map((row) => {
    const get = (k) => row.querySelector(`[data-k="${k}"]`)?.value.trim() ?? '';
    return { get, original: row.dataset.original ? JSON.parse(row.dataset.original) : {} };
  });
}

function collectFiche() {
  const base = current.draft.fiche;
  return {
    ...base,
    title: value('title') || base.title,
    axis: orNull(value('axis')),
    context: orNull(value('context')),
    objectives: { general: lines('objectives.general'), operational: lines('objectives.operational') },
    steps: lines('steps'),
    targetPublic: lines('targetPublic'),
    partners: lines('partners'),
    funding: orNull(value('funding')),
    pilots: rows('pilots').filter((r) => r.get('name')).map(({ get, original }) => ({
      name: get('name'), organisation: orNull(get('organisation')), email: orNull(get('email')),
      chatIds: original.name === get('name') ? (original.chatIds || {}) : {},
    })),
    milestones: rows('milestones').filter((r) => r.get('label') || r.get('dueText')).map(({ get, original }) => {
      const dueText = get('dueText');
      // Échéance inchangée : on garde la date déjà lue ; sinon le serveur relit le texte.
      const same = dueText === (original.dueText ?? '');
      return {
        label: get('label') || dueText, dueText,
        due: same ? (original.due ?? null) : null,
        start: same ? (original.start ?? null) : null,
        precision: same ? (original.precision ?? 'unresolved') : 'unresolved',
      };
    }),
    indicators: rows('indicators').filter((r) => r.get('label')).map(({ get }) => ({ label: get('label'), type: get('type') || 'autre', target: orNull(get('target')) })),
  };
}

editor.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  if (!current) return;
  const fiche = collectFiche();
  if (!fiche.title.trim()) { setStatus(editorStatus, 'Donnez un intitulé à la fiche avant de la valider.', 'error'); return; }
  validateBtn.disabled = true;
  setStatus(editorStatus, 'Validation en cours…');
  try {
    const r = await api('/api/fiches', { method: 'POST', body: { fiche } });
    current.draft.fiche = r.fiche;
    editorStatus.className = 'status ok';
    editorStatus.replaceChildren(r.message + ' ', el('a', { href: '/tableau-de-bord', text: 'Voir le tableau de bord' }));
  } catch (e) {
    setStatus(editorStatus, e.message, 'error');
  } finally {
    validateBtn.disabled = false;
  }
});

exportBtn.addEventListener('click', async () => {
  if (!current) return;
  exportBtn.disabled = true;
  setStatus(editorStatus, 'Préparation du document Word…');
  try {
    const res = await api('/api/fiches/export', { method: 'POST', body: { fiche: collectFiche() }, raw: true });
    const name = await downloadResponse(res, 'fiche-action.docx');
    setStatus(editorStatus, `Document « ${name} » téléchargé.`, 'ok');
  } catch (e) {
    setStatus(editorStatus, e.message, 'error');
  } finally {
    exportBtn.disabled = false;
  }
});
