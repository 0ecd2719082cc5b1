import express from 'express';
import { z } from 'zod';
import type { Assistant } from '../../app/assistant.js';
import type { AppConfig } from '../../config.js';
import { ConversationTurn } from '../../core/types.js';
import type { Logger } from '../../core/logger.js';
import { FIELD_LABELS, SECTION_LABELS } from '../../fiches/render/index.js';
import { renderIcs, type DigestUnlinkedPilot, type MilestoneView } from '../../milestones/index.js';
import { localDate } from '../../milestones/local-time.js';
import { slugify } from '../../milestones/normalize.js';
import { QUESTION_WARNING, looksLikePatientData } from '../../privacy/index.js';
import { webAudience, webUser } from './auth.js';
import type { DocumentCatalog } from './documents.js';
import { ficheFromBody, threadFromBody } from './fiche-input.js';
import { contentDisposition, describeIssue, sendError, sendThrown } from './http-utils.js';
import { filterRows, filtersFromQuery, milestoneRows, renderMilestonesCsv, NO_AXIS } from './milestone-rows.js';

/**
 * Routes that translate the console's requests into calls of the Assistant
 * port: questions, drafting, validation, DOCX export, fiches and milestones.
 */
export interface ApiRouteDeps {
  config: AppConfig;
  logger: Logger;
  assistant: Assistant;
  catalog: DocumentCatalog;
  clock: () => Date;
  milestones?: (() => MilestoneView[]) | undefined;
  unlinkedPilots?: (() => DigestUnlinkedPilot[]) | undefined;
}

const AskBody = z.object({
  question: z.string().trim().min(1, 'la question est vide').max(2000, 'la question dépasse 2 000 caractères'),
  history: z.array(ConversationTurn).max(60).default([]),
});

const FeedbackBody = z.object({
  question: z.string().max(2000),
  answer: z.string().max(20_000),
  rating: z.enum(['up', 'down']),
});

/** Follow-up questions need the recent turns, not the whole day's conversation. */
const HISTORY_TURNS = 12;

const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

export function registerApiRoutes(router: express.Router, guard: express.RequestHandler, d: ApiRouteDeps): void {
  const json = express.json({ limit: '2mb' });
  const today = (): string => localDate(d.clock(), d.config.timezone);

  router.post('/api/ask', guard, json, async (req, res) => {
    const body = AskBody.safeParse(req.body);
    if (!body.success) { sendError(res, 400, 'BAD_REQUEST', describeIssue(body.error.issues[0]!, 'Question')); return; }
    try {
      const answer = await d.assistant.ask({
        question: body.data.question,
        history: body.data.history.slice(-HISTORY_TURNS),
        audience: webAudience(res),
      });
      res.json({ ...answer, citations: d.catalog.linkCitations(answer.citations), ...(looksLikePatientData(body.data.question) ? { privacyWarning: QUESTION_WARNING } : {}) });
    } catch (e) {
      sendThrown(res, e, d.logger, 'la question');
    }
  });

  router.post('/api/feedback', guard, json, (req, res) => {
    const body = FeedbackBody.safeParse(req.body);
    if (!body.success) { sendError(res, 400, 'BAD_REQUEST', describeIssue(body.error.issues[0]!, 'Avis')); return; }
    d.assistant.recordFeedback({ user: webUser(res), ...body.data });
    res.json({ ok: true, message: 'Merci pour votre avis.' });
  });

  router.post('/api/draft', guard, json, async (req, res) => {
    try {
      const thread = threadFromBody(req.body);
      const draft = await d.assistant.draftFromThread(thread);
      res.json({ draft, thread, labels: { fields: FIELD_LABELS, sections: SECTION_LABELS } });
    } catch (e) {
      sendThrown(res, e, d.logger, 'la rédaction du brouillon');
    }
  });

  router.get('/api/fiches', guard, (_req, res) => {
    res.json({ fiches: d.assistant.listFiches(webAudience(res)) });
  });

  router.post('/api/fiches', guard, json, async (req, res) => {
    try {
      const fiche = ficheFromBody(req.body, today());
      const saved = await d.assistant.validateFiche(fiche, webUser(res), webAudience(res));
      res.status(201).json({ fiche: saved, message: `La fiche « ${saved.title} » est validée ; ses échéances sont suivies dans le tableau de bord.` });
    } catch (e) {
      sendThrown(res, e, d.logger, 'la validation de la fiche');
    }
  });

  router.post('/api/fiches/export', guard, json, async (req, res) => {
    try {
      const fiche = ficheFromBody(req.body, today());
      sendDocx(res, fiche.title, await d.assistant.exportDocx(fiche));
    } catch (e) {
      sendThrown(res, e, d.logger, "l'export DOCX");
    }
  });

  router.get('/api/fiches/:id/docx', guard, async (req, res) => {
    const fiche = d.assistant.getFiche(String(req.params['id']), webAudience(res));
    if (!fiche) { sendError(res, 404, 'FICHE_NOT_FOUND', `Fiche introuvable : « ${String(req.params['id']).slice(0, 80)} ».`); return; }
    try {
      sendDocx(res, fiche.title, await d.assistant.exportDocx(fiche));
    } catch (e) {
      sendThrown(res, e, d.logger, "l'export DOCX");
    }
  });

  /** Milestones (and unreachable pilots) of the fiches this user may see: the dashboard and its exports hold nothing else. */
  const visible = (res: express.Response) => {
    const fiches = d.assistant.listFiches(webAudience(res));
    const ids = new Set(fiches.map((f) => f.id));
    const milestones = (d.milestones?.() ?? []).filter((m) => ids.has(m.ficheId));
    const unlinked = (d.unlinkedPilots?.() ?? [])
      .map((u) => ({ ...u, milestones: u.milestones.filter((m) => ids.has(m.ficheId)) }))
      .filter((u) => u.milestones.length);
    return { rows: milestoneRows(milestones, fiches, unlinked), unlinked };
  };

  router.get('/api/milestones', guard, (req, res) => {
    const { rows: all, unlinked } = visible(res);
    const axes = [...new Set(all.map((r) => r.axis ?? NO_AXIS))].sort((a, b) => a.localeCompare(b, 'fr'));
    const pilots = [...new Set(all.flatMap((r) => r.pilots.map((p) => p.name)))].sort((a, b) => a.localeCompare(b, 'fr'));
    res.json({
      available: Boolean(d.milestones),
      today: today(),
      milestones: filterRows(all, filtersFromQuery(req.query as Record<string, unknown>)),
      axes, pilots,
      unlinkedPilots: d.unlinkedPilots ? unlinked : null,
    });
  });

  router.get('/api/milestones.ics', guard, (req, res) => {
    const list = filterRows(visible(res).rows, filtersFromQuery(req.query as Record<string, unknown>));
    res.type('text/calendar; charset=utf-8').set('Content-Disposition', contentDisposition('attachment', 'echeances-ptsm.ics'));
    res.send(renderIcs(list, { now: d.clock(), calendarName: 'Échéances du PTSM' }));
  });

  router.get('/api/milestones.csv', guard, (req, res) => {
    const list = filterRows(visible(res).rows, filtersFromQuery(req.query as Record<string, unknown>));
    res.type('text/csv; charset=utf-8').set('Content-Disposition', contentDisposition('attachment', 'echeances-ptsm.csv'));
    res.send(renderMilestonesCsv(list));
  });
}

function sendDocx(res: express.Response, title: string, buf: Buffer): void {
  const name = `fiche-action-${slugify(title, 50) || 'sans-titre'}.docx`;
  res.type(DOCX_TYPE).set('Content-Disposition', contentDisposition('attachment', name)).send(buf);
}
