// Tableau de bord : fiches par axe, calendrier des échéances (SVG dessiné ici),
// liste accessible des mêmes échéances, pilotes à relier, exports ICS et CSV.
import { api, el, frenchDate, plural, statusClass } from './common.js';

const SVG = 'http://www.w3.org/2000/svg';
const STATUS_LABEL = { 'à venir': 'À venir', 'en retard': 'En retard', reporté: 'Reporté', fait: 'Fait', abandonné: 'Abandonné' };
const STATUS_COLOR = { 'à venir': '#1d4ed8', 'en retard': '#b91c1c', reporté: '#a14a00', fait: '#15703d', abandonné: '#5f6673' };
const FICHE_STATUS_CLASS = { brouillon: 's-brouillon', validée: 's-validee', 'en cours': 's-en-cours', réalisée: 's-validee', abandonnée: 's-abandonnee' };
const REASONS = { inconnu: "absent de l'annuaire", ambigu: 'plusieurs personnes possibles', 'sans coordonnées': 'aucun moyen de le joindre', 'aucun pilote': 'la fiche ne nomme aucun pilote' };

const axisSelect = document.getElementById('filter-axis');
const pilotSelect = document.getElementById('filter-pilot');
const statusSelect = document.getElementById('filter-status');
const timeline = document.getElementById('timeline');
const tbody = document.querySelector('#milestone-table tbody');

let data = null; // réponse de /api/milestones
let fiches = [];

const fold = (s) => String(s ?? '').normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().trim();
const ficheName = (m) => (m.ficheNumber !== null ? `Fiche ${m.ficheNumber} — ${m.ficheTitle}` : m.ficheTitle);

function svg(tag, attrs = {}, ...children) {
  const n = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined && v !== null) n.setAttribute(k, String(v));
  for (const c of children) if (c) n.append(typeof c === 'string' ? document.createTextNode(c) : c);
  return n;
}

// --- Filtres (gardés dans l'adresse pour qu'un rechargement les conserve) ---

function readFilters() {
  return { axis: axisSelect.value, pilot: pilotSelect.value, status: statusSelect.value };
}

function applyFilters(list, f) {
  return list.filter((m) => {
    if (f.axis !== '*' && (m.axis ?? '') !== f.axis) return false;
    if (f.status && m.status !== f.status) return false;
    if (f.pilot && !m.pilots.some((p) => fold(p.name) === fold(f.pilot))) return false;
    return true;
  });
}

function query(f) {
  const q = new URLSearchParams();
  if (f.axis !== '*') q.set('axe', f.axis);
  if (f.pilot) q.set('pilote', f.pilot);
  if (f.status) q.set('statut', f.status);
  const s = q.toString();
  return s ? `?${s}` : '';
}

// --- Calendrier SVG ---

function monthStart(iso) { return `${iso.slice(0, 7)}-01`; }
function addMonths(iso, n) {
  const d = new Date(`${iso.slice(0, 7)}-01T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + n);
  return d.toISOString().slice(0, 10);
}
const dayNumber = (iso) => Date.parse(`${iso}T00:00:00Z`) / 86400000;
const MONTHS = ['janv.', 'févr.', 'mars', 'avr.', 'mai', 'juin', 'juil.', 'août', 'sept.', 'oct.', 'nov.', 'déc.'];

function marker(status, x, y) {
  const color = STATUS_COLOR[status] || '#333';
  const common = { fill: color, stroke: '#fff', 'stroke-width': 1.5 };
  switch (status) {
    case 'en retard': return svg('rect', { ...common, x: x - 6.5, y: y - 6.5, width: 13, height: 13, transform: `rotate(45 ${x} ${y})` });
    case 'reporté': return svg('polygon', { ...common, points: `${x},${y - 8} ${x + 8},${y + 6} ${x - 8},${y + 6}` });
    case 'fait': return svg('rect', { ...common, x: x - 6.5, y: y - 6.5, width: 13, height: 13 });
    case 'abandonné': return svg('rect', { ...common, x: x - 8, y: y - 2.5, width: 16, height: 5 });
    default: return svg('circle', { ...common, cx: x, cy: y, r: 7 });
  }
}

function truncate(s, n) { return s.length > n ? `${s.slice(0, n - 1)}…` : s; }

function drawTimeline(list) {
  const dated = list.filter((m) => m.due);
  if (!dated.length) {
    timeline.replaceChildren(el('p', { class: 'empty', text: list.length ? 'Aucune de ces échéances n\u2019a de date exploitable : voir la liste.' : 'Aucune échéance à afficher avec ces filtres.' }));
    return;
  }
  const today = data.today;
  const all = dated.flatMap((m) => [m.start || m.due, m.due]).concat(today).sort();
  const from = addMonths(monthStart(all[0]), -1);
  const to = addMonths(monthStart(all[all.length - 1]), 2);
  const spanMonths = Math.round((dayNumber(to) - dayNumber(from)) / 30.44);
  const step = spanMonths <= 18 ? 1 : spanMonths <= 48 ? 3 : 12;

  const groups = new Map();
  for (const m of dated) {
    if (!groups.has(m.ficheId)) groups.set(m.ficheId, { name: ficheName(m), number: m.ficheNumber, items: [] });
    groups.get(m.ficheId).items.push(m);
  }
  const rows = [...groups.values()].sort((a, b) => (a.number ?? 1e9) - (b.number ?? 1e9) || a.name.localeCompare(b.name, 'fr'));

  const labelW = 320, chartW = 820, rowH = 38, headH = 46, padR = 20;
  const width = labelW + chartW + padR;
  const height = headH + rows.length * rowH + 10;
  const x = (iso) => labelW + ((dayNumber(iso) - dayNumber(from)) / (dayNumber(to) - dayNumber(from))) * chartW;

  const root = svg('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-labelledby': 'timeline-svg-title', 'font-size': 14 });
  root.append(svg('title', { id: 'timeline-svg-title' }, `Calendrier de ${plural(dated.length, 'échéance')} sur ${plural(rows.length, 'fiche')}`));

  rows.forEach((_, i) => { if (i % 2 === 0) root.append(svg('rect', { x: 0, y: headH + i * rowH, width, height: rowH, fill: '#f4f6f9' })); });

  // Graduations : mois, trimestres ou années selon la durée couverte.
  for (let t = from; t <= to; t = addMonths(t, 1)) {
    const month = Number(t.slice(5, 7));
    const isTick = step === 1 || (step === 3 && (month - 1) % 3 === 0) || (step === 12 && month === 1);
    if (!isTick) continue;
    const tx = x(t);
    const label = step === 1 ? `${MONTHS[month - 1]} ${t.slice(2, 4)}` : step === 3 ? `T${(month - 1) / 3 + 1} ${t.slice(0, 4)}` : t.slice(0, 4);
    root.append(svg('line', { x1: tx, x2: tx, y1: headH - 8, y2: height - 6, stroke: month === 1 ? '#9aa3b1' : '#d5dae2', 'stroke-width': 1 }));
    if (tx < width - 60) root.append(svg('text', { x: tx + 4, y: headH - 14, fill: '#4a5361', 'font-size': 13 }, label));
  }

  const tx = x(today);
  root.append(svg('line', { x1: tx, x2: tx, y1: 6, y2: height - 6, stroke: '#1b1f24', 'stroke-width': 2, 'stroke-dasharray': '5 4' }));
  root.append(svg('text', { x: Math.min(tx + 5, width - 80), y: 14, 'font-weight': 700, 'font-size': 12 }, 'Aujourd\u2019hui'));

  rows.forEach((row, i) => {
    const cy = headH + i * rowH + rowH / 2;
    const label = svg('text', { x: 10, y: cy + 5 }, truncate(row.name, 38));
    label.append(svg('title', {}, row.name));
    root.append(label);
    for (const m of row.items.sort((a, b) => a.due.localeCompare(b.due))) {
      const g = svg('g', { class: 'ms', 'data-status': m.status });
      const color = STATUS_COLOR[m.status] || '#333';
      if (m.start && m.start < m.due) {
        g.append(svg('rect', { x: x(m.start), y: cy - 4, width: Math.max(2, x(m.due) - x(m.start)), height: 8, rx: 4, fill: color, 'fill-opacity': 0.28 }));
      }
      g.append(marker(m.status, x(m.due), cy));
      const who = m.pilots.map((p) => p.name).join(', ') || 'pilote non renseigné';
      g.append(svg('title', {}, `${m.label} — ${m.dueText || frenchDate(m.due)} (${frenchDate(m.due)}) — ${STATUS_LABEL[m.status] || m.status} — ${who}`));
      root.append(g);
    }
  });
  timeline.replaceChildren(root);
  const undated = list.length - dated.length;
  if (undated) timeline.append(el('p', { class: 'help', text: `${plural(undated, 'échéance')} sans date exploitable ne figure${undated > 1 ? 'nt' : ''} pas sur le calendrier (voir la liste).` }));
}

// --- Liste des échéances ---

function pilotCell(m) {
  const td = el('td');
  if (!m.pilots.length) td.append(el('span', { class: 'unlinked-flag', text: 'Aucun pilote' }));
  m.pilots.forEach((p, i) => {
    if (i) td.append(', ');
    td.append(p.organisation ? `${p.name} (${p.organisation})` : p.name);
    if (m.unlinked.some((u) => u.pilot === p.name)) td.append(' ', el('span', { class: 'unlinked-flag', text: '— non joignable' }));
  });
  return td;
}

function drawTable(list) {
  const sorted = [...list].sort((a, b) => (a.due ?? '9999').localeCompare(b.due ?? '9999'));
  tbody.replaceChildren(...sorted.map((m) => el('tr', { class: m.status === 'en retard' ? 'overdue' : null },
    el('td', {}, m.due ? frenchDate(m.due) : 'Sans date', m.dueText ? el('div', { class: 'help', text: `« ${m.dueText} »` }) : null),
    el('td', { text: m.label }),
    el('td', { text: ficheName(m) }),
    el('td', { text: m.axis ?? 'Sans axe' }),
    pilotCell(m),
    el('td', {}, el('span', { class: `status-pill ${statusClass(m.status)}`, text: STATUS_LABEL[m.status] || m.status }),
      m.flag ? el('div', { class: 'help', text: m.flag }) : null))));
  if (!sorted.length) tbody.append(el('tr', {}, el('td', { colspan: 6, class: 'empty', text: 'Aucune échéance avec ces filtres.' })));
}

function render() {
  const f = readFilters();
  const list = applyFilters(data.milestones, f);
  drawTimeline(list);
  drawTable(list);
  const q = query(f);
  document.getElementById('export-ics').href = `/api/milestones.ics${q}`;
  document.getElementById('export-csv').href = `/api/milestones.csv${q}`;
  history.replaceState(null, '', `${location.pathname}${q}`);
}

// --- Synthèse, pilotes à relier, fiches par axe ---

function drawSummary() {
  const count = (s) => data.milestones.filter((m) => m.status === s).length;
  const late = count('en retard');
  const unlinked = data.unlinkedPilots ? data.unlinkedPilots.length : null;
  const stat = (n, label, alert = false) => el('div', { class: `stat${alert ? ' alert' : ''}` }, el('span', { class: 'n', text: String(n) }), el('span', { class: 'l', text: label }));
  document.getElementById('summary').replaceChildren(
    stat(fiches.length, 'fiches actions'),
    stat(data.milestones.length, 'échéances suivies'),
    stat(late, 'en retard', late > 0),
    stat(count('à venir') + count('reporté'), 'à venir ou reportées'),
    stat(count('fait'), 'faites'),
    ...(unlinked === null ? [] : [stat(unlinked, 'pilotes à relier', unlinked > 0)]),
  );
}

function drawUnlinked() {
  const box = document.getElementById('unlinked');
  if (!data.unlinkedPilots) { box.replaceChildren(el('p', { class: 'empty', text: 'Information non disponible : l\u2019annuaire des pilotes n\u2019est pas branché sur la console.' })); return; }
  if (!data.unlinkedPilots.length) { box.replaceChildren(el('p', { class: 'status ok', text: 'Tous les pilotes des échéances ouvertes sont joignables.' })); return; }
  box.replaceChildren(el('ul', { class: 'unlinked-list' }, data.unlinkedPilots.map((u) => el('li', {},
    el('strong', { text: u.pilot ?? 'Sans pilote' }), ` — ${REASONS[u.reason] || u.reason}`,
    u.candidates.length ? ` (${u.candidates.join(', ')} ?)` : '',
    el('div', { class: 'help', text: `Échéances concernées : ${u.milestones.map((m) => m.milestone).join(' ; ')}` })))));
}

function drawFiches() {
  const box = document.getElementById('fiches');
  if (!fiches.length) { box.replaceChildren(el('p', { class: 'empty', text: 'Aucune fiche action pour l\u2019instant : indexez les fiches du PTSM ou validez un brouillon.' })); return; }
  const byAxis = new Map();
  for (const f of fiches) {
    const k = f.axis || 'Sans axe';
    if (!byAxis.has(k)) byAxis.set(k, []);
    byAxis.get(k).push(f);
  }
  const axes = [...byAxis.keys()].sort((a, b) => (a === 'Sans axe') - (b === 'Sans axe') || a.localeCompare(b, 'fr', { numeric: true }));
  box.replaceChildren(...axes.map((axis) => el('div', { class: 'axis-group' },
    el('h3', { text: axis }),
    el('ul', { class: 'fiche-cards' }, byAxis.get(axis)
      .sort((a, b) => (a.number ?? 1e9) - (b.number ?? 1e9) || a.title.localeCompare(b.title, 'fr'))
      .map((f) => {
        const ms = data.milestones.filter((m) => m.ficheId === f.id);
        const late = ms.filter((m) => m.status === 'en retard').length;
        const done = ms.filter((m) => m.status === 'fait').length;
        return el('li', { class: 'fiche-card' },
          el('h4', { text: f.number !== null ? `Fiche ${f.number} — ${f.title}` : f.title }),
          el('span', { class: `fiche-status ${FICHE_STATUS_CLASS[f.status] || ''}`, text: f.status }),
          el('p', { class: 'help', text: `Pilote(s) : ${f.pilots.map((p) => p.name).join(', ') || 'non renseigné'}` }),
          el('p', { class: 'counts' }, `${plural(ms.length, 'échéance')}, ${done} faite${done > 1 ? 's' : ''}`,
            late ? el('span', { class: 'unlinked-flag', text: ` — ${late} en retard` }) : null),
          el('a', { href: `/api/fiches/${encodeURIComponent(f.id)}/docx`, download: '', text: 'Télécharger (DOCX)', 'aria-label': `Télécharger la fiche « ${f.title} » en DOCX` }));
      })))));
}

function fillFilters() {
  const params = new URLSearchParams(location.search);
  for (const a of data.axes) axisSelect.append(el('option', { value: a, text: a || 'Sans axe' }));
  for (const p of data.pilots) pilotSelect.append(el('option', { value: p, text: p }));
  if (params.has('axe') && data.axes.includes(params.get('axe'))) axisSelect.value = params.get('axe');
  if (params.has('pilote') && data.pilots.includes(params.get('pilote'))) pilotSelect.value = params.get('pilote');
  if (params.has('statut')) statusSelect.value = params.get('statut');
}

async function main() {
  try {
    const [m, f] = await Promise.all([api('/api/milestones'), api('/api/fiches')]);
    data = m;
    fiches = f.fiches;
  } catch (e) {
    document.getElementById('summary').replaceChildren(el('p', { class: 'error', role: 'alert', text: e.message }));
    return;
  }
  if (!data.available) {
    document.getElementById('timeline-caption').textContent = 'Le suivi des échéances n\u2019est pas branché sur cette console.';
  }
  fillFilters();
  drawSummary();
  drawUnlinked();
  drawFiches();
  render();
  for (const s of [axisSelect, pilotSelect, statusSelect]) s.addEventListener('change', render);
  document.getElementById('filters').addEventListener('submit', (ev) => { ev.preventDefault(); render(); });
}

main();
