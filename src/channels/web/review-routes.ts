import express from 'express';
import type { Assistant } from '../../app/assistant.js';
import type { Logger } from '../../core/logger.js';
import { frDate } from '../../decisions/answerer.js';
import { BILAN_FORMATS, type Bilan, type BilanFormat } from '../../review/index.js';
import { webAudience } from './auth.js';
import { contentDisposition, sendError, sendThrown } from './http-utils.js';
import { escapeHtml, layout } from './pages.js';

export interface ReviewRouteDeps {
  assistant: Assistant;
  logger: Logger;
  clock: () => Date;
  /** Writes an HTML page with the console's security headers. */
  html: (res: express.Response, body: string) => void;
  pageOpts: (res: express.Response) => { user?: string | undefined; canLogout: boolean };
  /** The console's security headers. */
  headers: express.RequestHandler;
}

/**
 * The yearly review page (`/bilan?annee=2026`) and its files
 * (`/api/bilan/2026.docx|csv|xlsx`, `/api/bilan/2026` in JSON): the same
 * review `ptsm bilan` and `/ptsm bilan` produce, through the Assistant port.
 */
export function registerReviewRoutes(router: express.Router, pageGuard: express.RequestHandler, apiGuard: express.RequestHandler, d: ReviewRouteDeps): void {
  router.get('/bilan', d.headers, pageGuard, (req, res) => {
    const asked = Number(req.query['annee']);
    const year = Number.isInteger(asked) && asked >= 2000 && asked <= 2100 ? asked : d.clock().getFullYear();
    try {
      d.html(res, reviewPage(d.assistant.yearlyReview(year, webAudience(res)), d.pageOpts(res)));
    } catch (e) {
      d.logger.error('web console: yearly review failed', { year, error: String(e) });
      d.html(res, layout({ title: 'Bilan annuel', current: null, main: '<h1>Bilan annuel</h1><p class="error">Le bilan n\'a pas pu être établi. Réessayez, ou indexez d\'abord les documents.</p>' }));
    }
  });

  router.get('/api/bilan/:file', d.headers, apiGuard, async (req, res) => {
    const m = /^(\d{4})(?:\.(\w+))?$/.exec(String(req.params['file'] ?? ''));
    if (!m) { sendError(res, 400, 'USAGE', 'Adresse attendue : /api/bilan/2026, /api/bilan/2026.docx, .csv ou .xlsx.'); return; }
    const year = Number(m[1]);
    const format = m[2]?.toLowerCase();
    res.set('Cache-Control', 'no-store');
    try {
      if (!format) { res.json(d.assistant.yearlyReview(year, webAudience(res))); return; }
      if (!BILAN_FORMATS.includes(format as BilanFormat)) { sendError(res, 400, 'USAGE', `Format « ${format} » inconnu : docx, csv ou xlsx.`); return; }
      const file = await d.assistant.exportYearlyReview(year, format as BilanFormat, webAudience(res));
      res.set({ 'Content-Type': file.mime, 'Content-Disposition': contentDisposition('attachment', file.filename) }).send(file.content);
    } catch (e) {
      sendThrown(res, e, d.logger, 'le bilan annuel');
    }
  });
}

const STATUS_CLASS: Record<string, string> = { fait: 'st-fait', 'en retard': 'st-en-retard', reporté: 'st-reporte', 'à venir': 'st-a-venir', abandonné: 'st-abandonne' };

function reviewPage(b: Bilan, opts: { user?: string | undefined; canLogout: boolean }): string {
  const e = escapeHtml;
  const axes = b.axes.map((a) => `<tr><th scope="row">${e(a.axis)}</th><td>${a.fiches}</td><td>${a.milestones}</td><td>${a.done}</td><td>${a.late}</td><td>${a.postponed}</td><td>${a.upcoming}</td><td>${a.withIndicatorValue}</td></tr>`).join('');
  const fiches = b.fiches.map((f) => {
    const ms = f.milestones.map((m) => `<li><span class="${STATUS_CLASS[m.status] ?? ''}">${e(m.status)}</span> ${e(m.label)}${m.due ? ` — ${e(frDate(m.due))}` : ''}${m.answers.map((a) => ` <em>(${e(a.event)} par ${e(a.by)}${a.detail ? ` : ${e(a.detail)}` : ''})</em>`).join('')}</li>`).join('');
    const inds = f.indicators.map((i) => `<li>${e(i.label)} : ${i.values.length ? i.values.map((v) => `<strong>${e(v.value)}</strong> <small>(${e(v.source)})</small>`).join(' ; ') : '<em>aucune valeur</em>'}</li>`).join('');
    const decs = f.decisions.map((x) => `<li>${e(x.meeting)}${x.date ? ` du ${e(frDate(x.date))}` : ''} : ${e(x.decision)}</li>`).join('');
    return `<tr><th scope="row">${f.number ?? ''}</th><td>${e(f.title)}</td><td>${e(f.pilots.join(', ') || 'sans pilote')}</td><td>${e(f.status)}</td>
<td>${ms ? `<ul>${ms}</ul>` : '—'}</td><td>${inds ? `<ul>${inds}</ul>` : '—'}</td><td>${decs ? `<ul>${decs}</ul>` : '—'}</td></tr>`;
  }).join('\n');
  const missing = [
    ...b.missing.withoutPilot.map((f) => `Fiche ${f.number ?? '?'} « ${f.title} » : aucun pilote.`),
    ...b.missing.withoutIndicatorValue.map((f) => `Fiche ${f.number ?? '?'} « ${f.title} » : aucune valeur d'indicateur en ${b.year}.`),
    ...b.missing.overdueWithoutAnswer.map((f) => `Fiche ${f.number ?? '?'} : « ${f.milestone} » en retard, sans réponse du pilote.`),
  ].map((t) => `<li>${e(t)}</li>`).join('');
  return layout({
    title: `Bilan annuel ${b.year}`, current: 'review', user: opts.user, canLogout: opts.canLogout,
    main: `
<h1>Bilan annuel ${b.year}</h1>
<p class="lead">Fiches actions, jalons de l'année, réponses des pilotes, indicateurs et décisions : le bilan à transmettre à l'ARS.</p>
<form method="get" action="/bilan" class="filters"><div class="filter"><label for="annee">Année</label><input id="annee" name="annee" type="number" min="2000" max="2100" value="${b.year}"></div><button type="submit">Afficher</button></form>
<div class="exports">
  <a class="button" href="/api/bilan/${b.year}.docx" download>Télécharger le rapport (DOCX)</a>
  <a class="button" href="/api/bilan/${b.year}.xlsx" download>Tableur (XLSX)</a>
  <a class="button" href="/api/bilan/${b.year}.csv" download>CSV</a>
</div>
<section class="panel" aria-labelledby="axes-title"><h2 id="axes-title">Synthèse par axe</h2>
<div class="table-wrap" tabindex="0" role="region" aria-labelledby="axes-title"><table class="data">
<thead><tr><th scope="col">Axe</th><th scope="col">Fiches</th><th scope="col">Jalons</th><th scope="col">Faits</th><th scope="col">En retard</th><th scope="col">Reportés</th><th scope="col">À venir</th><th scope="col">Avec valeur d'indicateur</th></tr></thead>
<tbody>${axes}</tbody></table></div></section>
<section class="panel" aria-labelledby="missing-title"><h2 id="missing-title">Points d'attention</h2>${missing ? `<ul>${missing}</ul>` : '<p>Aucun manque relevé.</p>'}</section>
<section class="panel" aria-labelledby="fiches-title"><h2 id="fiches-title">Fiches actions</h2>
<div class="table-wrap" tabindex="0" role="region" aria-labelledby="fiches-title"><table class="data">
<thead><tr><th scope="col">N°</th><th scope="col">Fiche</th><th scope="col">Pilote(s)</th><th scope="col">Statut</th><th scope="col">Jalons ${b.year}</th><th scope="col">Indicateurs</th><th scope="col">Décisions</th></tr></thead>
<tbody>${fiches}</tbody></table></div></section>`,
  });
}
