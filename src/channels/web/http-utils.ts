import type express from 'express';
import { z } from 'zod';
import { PtsmError, describeError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import { UploadError } from './uploads.js';

/** Small helpers shared by the console's routes: one JSON error shape, French messages. */
export interface ApiErrorBody { error: { code: string; message: string } }

export function sendError(res: express.Response, status: number, code: string, message: string): void {
  res.status(status).json({ error: { code, message } } satisfies ApiErrorBody);
}

const STATUS_OF: Partial<Record<PtsmError['code'], number>> = {
  THREAD_INVALID: 400, CHANNEL_EVENT_INVALID: 400, USAGE: 409, FICHE_NOT_FOUND: 404, INPUT_NOT_FOUND: 404, INPUT_UNSUPPORTED: 415,
  INPUT_CORRUPT: 422, INPUT_EMPTY: 422, INDEX_MISSING: 503, INDEX_CORRUPT: 503, LLM_FAILED: 502, EMBEDDER_FAILED: 502,
};

/** Maps any thrown value to a JSON error; unknown errors are logged and reported without internals. */
export function sendThrown(res: express.Response, e: unknown, logger: Logger, what: string): void {
  if (e instanceof UploadError) { sendError(res, e.status, e.code, e.message); return; }
  if (e instanceof PtsmError) {
    const status = STATUS_OF[e.code] ?? 500;
    if (status >= 500) logger.error(`web console: ${what} failed`, { code: e.code, error: e.message });
    sendError(res, status, e.code, e.message);
    return;
  }
  logger.error(`web console: ${what} failed`, { error: describeError(e) });
  sendError(res, 500, 'INTERNAL', `Une erreur inattendue a empêché de traiter la demande (${what}). Réessayez ; si le problème persiste, prévenez l'administrateur.`);
}

/** A zod issue in French words: which field, what is wrong. */
export function describeIssue(issue: z.core.$ZodIssue, subject: string): string {
  const where = issue.path.map((p) => (typeof p === 'number' ? `n°${p + 1}` : String(p))).join(' › ');
  return `${subject} invalide${where ? ` (champ « ${where} »)` : ''} : ${issue.message}`;
}

/** Body parser errors (bad JSON, too large) as French JSON errors. */
export function bodyErrorHandler(logger: Logger): express.ErrorRequestHandler {
  return (err: unknown, _req, res, next) => {
    const e = err as { type?: string; status?: number };
    if (res.headersSent) { next(err); return; }
    if (e.type === 'entity.too.large') { sendError(res, 413, 'TOO_LARGE', 'La demande est trop volumineuse : raccourcissez le texte collé.'); return; }
    if (e.type === 'entity.parse.failed') { sendError(res, 400, 'BAD_JSON', "La demande n'est pas un JSON valide."); return; }
    sendThrown(res, err, logger, 'la requête');
  };
}

/** RFC 6266 Content-Disposition with a UTF-8 name and an ASCII fallback. */
export function contentDisposition(kind: 'inline' | 'attachment', fileName: string): string {
  const ascii = fileName.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}
