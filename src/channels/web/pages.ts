import { formatBytes, UPLOAD_EXTENSIONS } from './uploads.js';

/**
 * The console's HTML: one layout (skip link, navigation, main landmark) and
 * the static skeleton of each page; the page scripts fill in the data. Every
 * dynamic value is escaped here, and scripts build the DOM with textContent.
 */
export type PageKey = 'chat' | 'dashboard' | 'documents' | 'review';

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

const NAV: Array<{ key: PageKey; href: string; label: string }> = [
  { key: 'chat', href: '/', label: 'Questions et fiches' },
  { key: 'dashboard', href: '/tableau-de-bord', label: 'Tableau de bord' },
  { key: 'documents', href: '/documents', label: 'Documents' },
  { key: 'review', href: '/bilan', label: 'Bilan annuel' },
];

export interface LayoutOptions {
  title: string;
  current: PageKey | null;
  main: string;
  scripts?: string[];
  user?: string | undefined;
  /** Shows the "Se déconnecter" button (token sessions). */
  canLogout?: boolean;
  /** Navigation links (hidden on the login and refusal pages, which cannot reach them). */
  nav?: boolean;
}

export function layout(o: LayoutOptions): string {
  const nav = NAV.map((n) => `<li><a href="${n.href}"${n.key === o.current ? ' aria-current="page"' : ''}>${escapeHtml(n.label)}</a></li>`).join('');
  const who = o.user && o.user !== 'web' ? `<span class="who">Connecté·e : ${escapeHtml(o.user)}</span>` : '';
  const logout = o.canLogout ? '<form method="post" action="/deconnexion" class="logout"><button type="submit">Se déconnecter</button></form>' : '';
  const scripts = (o.scripts ?? []).map((s) => `<script type="module" src="/web/assets/${s}"></script>`).join('\n');
  return `<!doctype html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(o.title)} — Assistant PTSM</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/web/assets/style.css">
</head>
<body>
<a class="skip-link" href="#contenu">Aller au contenu</a>
<header class="site-header">
  <div class="wrap header-row">
    <a class="brand" href="/">Assistant <abbr title="Projet territorial de santé mentale">PTSM</abbr></a>
    ${o.nav === false ? '' : `<nav aria-label="Navigation principale"><ul class="nav">${nav}</ul></nav>`}
    <div class="account">${who}${logout}</div>
  </div>
</header>
<main id="contenu" class="wrap" tabindex="-1">
${o.main}
</main>
<footer class="site-footer"><div class="wrap">Assistant PTSM — fonctionne hors ligne sur ce poste ; les réponses citent les documents indexés.</div></footer>
${scripts}
</body>
</html>`;
}

export function chatPage(opts: { user?: string | undefined; canLogout: boolean }): string {
  return layout({
    title: 'Questions et fiches', current: 'chat', scripts: ['chat.js', 'draft.js'], user: opts.user, canLogout: opts.canLogout,
    main: `
<h1>Interroger les documents du PTSM</h1>
<p class="lead">Posez vos questions en français : l'assistant répond à partir des documents indexés et cite ses sources. Vous pouvez poser des questions de suivi, il garde le fil de la conversation.</p>

<section class="panel chat" aria-labelledby="chat-title">
  <h2 id="chat-title">Conversation</h2>
  <div id="conversation-box" class="conversation-box">
    <p id="conversation-empty" class="empty">Exemples : « Qui pilote la fiche sur la pair-aidance ? », « Que veut dire CLSM ? », « Quand a lieu le prochain COPIL ? »</p>
    <ol id="conversation" class="conversation" aria-live="polite" aria-relevant="additions"></ol>
  </div>
  <form id="ask-form" class="ask-form" novalidate>
    <label for="question">Votre question</label>
    <textarea id="question" name="question" rows="2" maxlength="2000" aria-describedby="question-help" required></textarea>
    <p id="question-help" class="help">Entrée pour envoyer, Maj + Entrée pour aller à la ligne.</p>
    <div class="actions">
      <button type="submit" class="primary" id="ask-submit">Envoyer</button>
      <button type="button" id="new-conversation">Nouvelle conversation</button>
    </div>
    <p id="ask-status" class="status" role="status"></p>
  </form>
</section>

<section id="fiche" class="panel" aria-labelledby="fiche-title">
  <h2 id="fiche-title">Rédiger une fiche action</h2>
  <p>Collez un fil de discussion (Slack, Teams, messagerie, compte rendu) : l'assistant propose un brouillon de fiche, champ par champ, en indiquant de quels messages vient chaque information. Relisez, complétez, puis validez.</p>
  <form id="draft-form" class="draft-form" novalidate>
    <label for="thread-text">Fil de discussion</label>
    <textarea id="thread-text" name="thread" rows="8" aria-describedby="thread-help"></textarea>
    <p id="thread-help" class="help">Une ligne par message au format « Nom : message », ou le JSON d'un fil exporté ({ "messages": [ … ] }).</p>
    <div class="file-row">
      <label for="thread-file">Ou importer un fichier (.json, .txt)</label>
      <input type="file" id="thread-file" accept=".json,.txt,.md,application/json,text/plain">
    </div>
    <div class="actions"><button type="submit" class="primary" id="draft-submit">Générer le brouillon</button></div>
  </form>
  <p id="draft-status" class="status" role="status" aria-live="polite"></p>
  <form id="draft-editor" class="draft-editor" hidden novalidate aria-labelledby="draft-editor-title">
    <h3 id="draft-editor-title">Brouillon de fiche</h3>
    <p class="help" id="draft-notice"></p>
    <div id="draft-fields"></div>
    <div class="actions sticky-actions">
      <button type="submit" class="primary" id="validate-fiche">Valider la fiche</button>
      <button type="button" id="export-docx">Exporter DOCX</button>
    </div>
    <p id="editor-status" class="status" role="status" aria-live="polite"></p>
  </form>
</section>

<dialog id="citation-dialog" class="citation-dialog" aria-labelledby="citation-title">
  <div class="dialog-head">
    <h2 id="citation-title">Source</h2>
    <button type="button" class="close" id="citation-close" aria-label="Fermer la source">Fermer</button>
  </div>
  <p id="citation-meta" class="meta"></p>
  <h3 class="small-title">Extrait cité</h3>
  <blockquote id="citation-quote"></blockquote>
  <p><a id="citation-open" href="#" target="_blank" rel="noopener">Ouvrir le document</a></p>
  <h3 class="small-title">Passage dans le document</h3>
  <div id="citation-passages" class="passages" aria-live="polite"></div>
</dialog>`,
  });
}

export function dashboardPage(opts: { user?: string | undefined; canLogout: boolean }): string {
  return layout({
    title: 'Tableau de bord', current: 'dashboard', scripts: ['dashboard.js'], user: opts.user, canLogout: opts.canLogout,
    main: `
<h1>Tableau de bord du PTSM</h1>
<p class="lead">Toutes les fiches actions et leurs échéances, pour préparer le COPIL et relancer les pilotes.</p>
<div id="summary" class="summary" aria-live="polite"></div>

<section class="panel" aria-labelledby="timeline-title">
  <h2 id="timeline-title">Calendrier des échéances</h2>
  <form id="filters" class="filters">
    <div class="filter"><label for="filter-axis">Axe</label><select id="filter-axis" name="axe"><option value="*">Tous les axes</option></select></div>
    <div class="filter"><label for="filter-pilot">Pilote</label><select id="filter-pilot" name="pilote"><option value="">Tous les pilotes</option></select></div>
    <div class="filter"><label for="filter-status">Statut</label><select id="filter-status" name="statut">
      <option value="">Tous les statuts</option><option value="à venir">À venir</option><option value="en retard">En retard</option>
      <option value="reporté">Reporté</option><option value="fait">Fait</option><option value="abandonné">Abandonné</option></select></div>
    <div class="exports">
      <a id="export-ics" class="button" href="/api/milestones.ics" download>Exporter l'agenda (ICS)</a>
      <a id="export-csv" class="button" href="/api/milestones.csv" download>Exporter le tableau (CSV)</a>
    </div>
  </form>
  <ul class="legend" aria-label="Légende des statuts">
    <li><span class="swatch st-a-venir" aria-hidden="true"></span>À venir</li>
    <li><span class="swatch st-en-retard" aria-hidden="true"></span>En retard</li>
    <li><span class="swatch st-reporte" aria-hidden="true"></span>Reporté</li>
    <li><span class="swatch st-fait" aria-hidden="true"></span>Fait</li>
    <li><span class="swatch st-abandonne" aria-hidden="true"></span>Abandonné</li>
  </ul>
  <figure class="timeline-figure">
    <div id="timeline" class="timeline"></div>
    <figcaption id="timeline-caption">Chaque ligne est une fiche action ; chaque repère, une échéance placée à sa date. La liste ci-dessous reprend les mêmes échéances.</figcaption>
  </figure>
  <h3 id="list-title">Liste des échéances</h3>
  <div class="table-wrap" tabindex="0" role="region" aria-labelledby="list-title">
    <table id="milestone-table" class="data">
      <thead><tr><th scope="col">Date</th><th scope="col">Échéance</th><th scope="col">Fiche</th><th scope="col">Axe</th><th scope="col">Pilote(s)</th><th scope="col">Statut</th></tr></thead>
      <tbody></tbody>
    </table>
  </div>
</section>

<section class="panel" aria-labelledby="unlinked-title">
  <h2 id="unlinked-title">Pilotes à relier</h2>
  <p class="help">Ces pilotes ne recevront pas de relance : ils sont absents de l'annuaire, ambigus ou sans moyen de contact.</p>
  <div id="unlinked"></div>
</section>

<section class="panel" aria-labelledby="fiches-title">
  <h2 id="fiches-title">Fiches actions par axe</h2>
  <div id="fiches"></div>
</section>`,
  });
}

export function documentsPage(opts: { user?: string | undefined; canLogout: boolean; maxBytes: number }): string {
  const accept = UPLOAD_EXTENSIONS.join(',');
  return layout({
    title: 'Documents', current: 'documents', scripts: ['documents.js'], user: opts.user, canLogout: opts.canLogout,
    main: `
<h1>Documents indexés</h1>
<p class="lead">Les documents que l'assistant consulte pour répondre. Ajoutez-en : ils sont indexés aussitôt.</p>

<section class="panel" aria-labelledby="upload-title">
  <h2 id="upload-title">Ajouter des documents</h2>
  <form id="upload-form" class="upload-form" data-max-bytes="${opts.maxBytes}" novalidate>
    <label for="upload-files">Fichiers à ajouter</label>
    <input type="file" id="upload-files" name="fichiers" multiple accept="${accept}" aria-describedby="upload-help">
    <p id="upload-help" class="help">PDF, Word (.docx), Markdown, texte ou HTML ; ${escapeHtml(formatBytes(opts.maxBytes))} au maximum par fichier.</p>
    <div class="actions"><button type="submit" class="primary" id="upload-submit">Ajouter et indexer</button></div>
  </form>
  <ul id="upload-progress" class="upload-progress" aria-live="polite"></ul>
</section>

<section class="panel" aria-labelledby="docs-title">
  <h2 id="docs-title">Documents</h2>
  <p id="docs-summary"></p>
  <div class="table-wrap" tabindex="0" role="region" aria-labelledby="docs-title">
    <table id="documents-table" class="data">
      <thead><tr><th scope="col">Titre</th><th scope="col">Type</th><th scope="col">Date</th><th scope="col">Pages</th><th scope="col">Passages</th><th scope="col">Indexé le</th><th scope="col">Fichier</th></tr></thead>
      <tbody></tbody>
    </table>
  </div>
</section>

<section class="panel" aria-labelledby="errors-title">
  <h2 id="errors-title">Erreurs de la dernière indexation</h2>
  <div id="index-errors"></div>
</section>`,
  });
}

export function loginPage(opts: { next: string; error?: string }): string {
  return layout({
    title: 'Connexion', current: null, nav: false,
    main: `
<h1>Connexion à la console</h1>
<section class="panel narrow">
  ${opts.error ? `<p class="error" role="alert" id="login-error">${escapeHtml(opts.error)}</p>` : ''}
  <form method="post" action="/connexion" class="login-form">
    <input type="hidden" name="suite" value="${escapeHtml(opts.next)}">
    <label for="jeton">Jeton d'accès</label>
    <input type="password" id="jeton" name="jeton" autocomplete="current-password" required${opts.error ? ' aria-describedby="login-error" aria-invalid="true"' : ''}>
    <p class="help">Le jeton vous est communiqué par la coordination du PTSM.</p>
    <div class="actions"><button type="submit" class="primary">Se connecter</button></div>
  </form>
</section>`,
  });
}

export function refusalPage(message: string): string {
  return layout({ title: 'Accès refusé', current: null, nav: false, main: `<h1>Accès refusé</h1><p class="error">${escapeHtml(message)}</p>` });
}

export function notFoundPage(): string {
  return layout({ title: 'Page introuvable', current: null, main: '<h1>Page introuvable</h1><p><a href="/">Retour à l\'accueil</a></p>' });
}
