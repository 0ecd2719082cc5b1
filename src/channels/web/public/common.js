// Outils communs aux pages de la console : appels à l'API, construction du DOM
// (toujours par textContent : aucun texte venu du serveur n'est interprété comme du HTML).

/** Crée un élément : el('p', { class: 'x', text: '…' }, enfant1, enfant2). */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'text') node.textContent = String(v);
    else if (k === 'class') node.className = v;
    else if (k.startsWith('on') && typeof v === 'function') node.addEventListener(k.slice(2), v);
    else if (v === true) node.setAttribute(k, '');
    else node.setAttribute(k, String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    node.append(typeof c === 'string' ? document.createTextNode(c) : c);
  }
  return node;
}

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

/** Appel JSON ; lève ApiError avec le message français du serveur. */
export async function api(path, { method = 'GET', body, raw = false } = {}) {
  let res;
  try {
    res = await fetch(path, {
      method,
      headers: body !== undefined ? { 'Content-Type': 'application/json' } : {},
      body: body !== undefined ? JSON.stringify(body) : undefined,
      credentials: 'same-origin',
    });
  } catch {
    throw new ApiError(0, 'Le serveur ne répond pas : vérifiez que « ptsm serve » tourne toujours.');
  }
  if (res.status === 401) {
    const msg = await errorMessage(res);
    throw new ApiError(401, msg || 'Votre session a expiré : rechargez la page pour vous reconnecter.');
  }
  if (!res.ok) throw new ApiError(res.status, (await errorMessage(res)) || `Erreur ${res.status}.`);
  return raw ? res : res.json();
}

async function errorMessage(res) {
  try {
    const data = await res.json();
    return data?.error?.message ?? '';
  } catch {
    return '';
  }
}

const MONTHS = ['janv.', 'févr.', 'mars', 'avr.', 'mai', 'juin', 'juil.', 'août', 'sept.', 'oct.', 'nov.', 'déc.'];

/** « 31 mars 2027 » à partir de AAAA-MM-JJ. */
export function frenchDate(iso) {
  if (!iso) return '';
  const [y, m, d] = iso.slice(0, 10).split('-').map(Number);
  return `${d} ${MONTHS[m - 1]} ${y}`;
}

export function frenchDateTime(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  return `${frenchDate(iso)} à ${String(d.getHours()).padStart(2, '0')} h ${String(d.getMinutes()).padStart(2, '0')}`;
}

/** Classe CSS d'un statut d'échéance (« en retard » → « st-en-retard »). */
export function statusClass(status) {
  return 'st-' + String(status).normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/\s+/g, '-');
}

export function plural(n, word, pluralWord = word + 's') {
  return `${n} ${n > 1 ? pluralWord : word}`;
}

/** Télécharge une réponse binaire sous le nom indiqué par le serveur. */
export async function downloadResponse(res, fallbackName) {
  const blob = await res.blob();
  const disposition = res.headers.get('Content-Disposition') || '';
  const m = /filename\*=UTF-8''([^;]+)/.exec(disposition);
  const name = m ? decodeURIComponent(m[1]) : fallbackName;
  const url = URL.createObjectURL(blob);
  const a = el('a', { href: url, download: name, class: 'visually-hidden' });
  document.body.append(a);
  a.click();
  setTimeout(() => { URL.revokeObjectURL(url); a.remove(); }, 1000);
  return name;
}
