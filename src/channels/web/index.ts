import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express from 'express';
import { NO_TERRITORY_MESSAGE, type Assistant } from '../../app/assistant.js';
import type { AppConfig } from '../../config.js';
import type { Logger } from '../../core/logger.js';
import type { DigestUnlinkedPilot, MilestoneView } from '../../milestones/index.js';
import type { ChannelMount } from '../../server/http.js';
import { registerApiRoutes } from './api-routes.js';
import { WebAuth, safeNext, webUser } from './auth.js';
import { registerDocumentRoutes } from './document-routes.js';
import { registerReviewRoutes } from './review-routes.js';
import { DocumentCatalog } from './documents.js';
import { bodyErrorHandler } from './http-utils.js';
import { JobRunner } from './jobs.js';
import { chatPage, dashboardPage, documentsPage, loginPage, refusalPage } from './pages.js';
import { DEFAULT_MAX_UPLOAD_BYTES } from './uploads.js';

/**
 * The local web console: ask questions, draft and validate fiches, follow
 * milestones, add documents. It only talks to the Assistant port, plus the
 * milestone list and the indexing of uploads that the composition root hands
 * over; see README.md for access control.
 */
export interface WebChannelOptions {
  config: AppConfig;
  logger: Logger;
  assistant: Assistant;
  dataDir: string;
  /** Every milestone for the dashboard (until the Assistant port offers `listMilestones()`). */
  milestones?: () => MilestoneView[];
  /** Pilots the directory cannot reach (until the Assistant port offers `unlinkedPilots()`). */
  unlinkedPilots?: () => DigestUnlinkedPilot[];
  /** Called after an upload is indexed, so the assistant reloads its knowledge base. */
  onIndexed?: () => void | Promise<void>;
  /** Largest accepted upload, in bytes (20 MB by default). */
  maxUploadBytes?: number;
  /** Directory indexed paths are shown relative to (default: the process's). */
  cwd?: string;
  clock?: () => Date;
}

export { DEFAULT_MAX_UPLOAD_BYTES } from './uploads.js';

const PUBLIC_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'public');

const PAGE_CSP = [
  "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data: blob:", "connect-src 'self'",
  "object-src 'none'", "base-uri 'none'", "form-action 'self'", "frame-ancestors 'none'",
].join('; ');

/** The console of one PTSM; its router is what a deployment of several territories dispatches to. */
export type WebChannel = ChannelMount & { router: express.Router };

export function createWebChannel(opts: WebChannelOptions): WebChannel {
  const { config, logger, assistant, dataDir } = opts;
  const log = logger.child({ channel: 'web' });
  const clock = opts.clock ?? (() => new Date());
  const maxUploadBytes = opts.maxUploadBytes ?? DEFAULT_MAX_UPLOAD_BYTES;
  const auth = new WebAuth({ token: config.web.token, authHeader: config.web.authHeader }, log, () => clock().getTime());
  const catalog = new DocumentCatalog(dataDir);
  const jobs = new JobRunner({ dataDir, embedder: config.embedder, limits: config.ingestion, logLevel: config.logLevel, logger: log, ...(opts.cwd ? { cwd: opts.cwd } : {}), ...(opts.onIndexed ? { onIndexed: opts.onIndexed } : {}) });

  const router = express.Router();
  const pageGuard = auth.page(refusalPage);
  const apiGuard = auth.api();
  const pageOpts = (res: express.Response) => ({ user: webUser(res).name, canLogout: auth.usesToken });

  // Security headers on everything the console serves.
  const headers: express.RequestHandler = (_req, res, next) => {
    res.set({ 'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'no-referrer', 'X-Frame-Options': 'DENY' });
    next();
  };
  const html = (res: express.Response, body: string, status = 200): void => {
    res.status(status).set({ 'Content-Security-Policy': PAGE_CSP, 'Cache-Control': 'no-store' }).type('html').send(body);
  };
  const noStore: express.RequestHandler = (_req, res, next) => { res.set('Cache-Control', 'no-store'); next(); };

  router.use('/web/assets', headers, express.static(PUBLIC_DIR, { index: false, fallthrough: false, maxAge: 0 }),
    // Missing or refused assets: a short French answer, never the default page with a stack trace.
    ((err, _req, res, _next) => {
      const status = (err as { status?: number }).status ?? 500;
      res.status(status).type('text/plain; charset=utf-8').send(status === 404 ? 'Ressource introuvable.' : 'Ressource refusée.');
    }) as express.ErrorRequestHandler);

  router.get('/', headers, pageGuard, (_req, res) => html(res, chatPage(pageOpts(res))));
  router.get('/tableau-de-bord', headers, pageGuard, (_req, res) => html(res, dashboardPage(pageOpts(res))));
  router.get('/documents', headers, pageGuard, (_req, res) => html(res, documentsPage({ ...pageOpts(res), maxBytes: maxUploadBytes })));

  router.get('/connexion', headers, (req, res) => {
    if (!auth.usesToken) { res.redirect(303, '/'); return; }
    html(res, loginPage({ next: safeNext(req.query['suite']) }));
  });
  router.post('/connexion', headers, express.urlencoded({ extended: false, limit: '8kb' }), (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const next = safeNext(body['suite']);
    if (!auth.usesToken) { res.redirect(303, '/'); return; }
    const r = auth.login(req, body['jeton']);
    if (!r.ok) { html(res, loginPage({ next, error: r.message }), r.status); return; }
    res.set('Set-Cookie', r.cookie).redirect(303, next);
  });
  router.post('/deconnexion', headers, (_req, res) => {
    res.set('Set-Cookie', auth.logoutCookie()).redirect(303, auth.usesToken ? '/connexion' : '/');
  });

  const api = express.Router();
  api.use(['/api/ask', '/api/feedback', '/api/draft', '/api/fiches', '/api/milestones', '/api/milestones.ics', '/api/milestones.csv', '/api/documents', '/api/jobs'], headers, noStore);
  registerApiRoutes(api, apiGuard, {
    config, logger: log, assistant, catalog, clock, milestones: opts.milestones, unlinkedPilots: opts.unlinkedPilots,
  });
  registerDocumentRoutes(api, apiGuard, { logger: log, assistant, dataDir, catalog, jobs, maxUploadBytes });
  registerReviewRoutes(router, pageGuard, apiGuard, { assistant, logger: log, clock, html, pageOpts, headers });
  api.use(bodyErrorHandler(log));
  router.use(api);

  if (!config.web.token && !config.web.authHeader && !isLoopbackHost(config.server.host)) {
    log.warn('web console exposed without PTSM_WEB_TOKEN nor PTSM_WEB_AUTH_HEADER: only loopback clients are served', { host: config.server.host });
  }

  return {
    name: 'web',
    router,
    mount(app) { app.use(router); },
    async close() { await jobs.close(); },
  };
}

export interface TerritoryWebOptions {
  config: AppConfig;
  logger: Logger;
  /** The console of each territory (createWebChannel over its assistant and data directory). */
  consoles: ReadonlyMap<string, WebChannel>;
  /** The territory a console login belongs to (territories.json); null when none. */
  territoryOf: (user: string) => string | null;
  clock?: () => Date;
}

/** What needs no territory: the console's static files and its login and logout forms. */
const SHARED_PATHS = /^\/(?:web\/assets\/|connexion$|deconnexion$)/;

/**
 * The web console of a deployment of several territories: the login decides
 * the territory (territories.json), and the request goes to that territory's
 * console, which only knows its own assistant and data directory — a user of
 * one territory cannot list, open or search another's documents, whatever id
 * they type. A login of no territory is refused (403) with the French notice.
 */
export function createTerritoryWebChannel(opts: TerritoryWebOptions): ChannelMount {
  const { config } = opts;
  const log = opts.logger.child({ channel: 'web' });
  const clock = opts.clock ?? (() => new Date());
  const first = [...opts.consoles.values()][0];
  const auth = new WebAuth({ token: config.web.token, authHeader: config.web.authHeader }, log, () => clock().getTime());
  const apiGuard = auth.api();
  const pageGuard = auth.page(refusalPage);
  const front = express.Router();
  front.use((req, res, next) => {
    if (SHARED_PATHS.test(req.path)) { if (first) first.router(req, res, next); else next(); return; }
    const isApi = req.path.startsWith('/api/');
    (isApi ? apiGuard : pageGuard)(req, res, (err?: unknown) => {
      if (err) { next(err); return; }
      const user = webUser(res).id;
      const id = opts.territoryOf(user);
      const target = id ? opts.consoles.get(id) : undefined;
      if (!target) {
        log.info('web user in no territory', { user });
        res.status(403).set({ 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' });
        if (isApi) res.json({ error: NO_TERRITORY_MESSAGE });
        else res.set('Content-Security-Policy', PAGE_CSP).type('html').send(refusalPage(NO_TERRITORY_MESSAGE));
        return;
      }
      target.router(req, res, next);
    });
  });
  return {
    name: 'web',
    mount(app) { app.use(front); },
    async close() { for (const c of opts.consoles.values()) await c.close?.(); },
  };
}

function isLoopbackHost(host: string): boolean {
  return host === '127.0.0.1' || host === 'localhost' || host === '::1';
}
