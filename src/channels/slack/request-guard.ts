import querystring from 'node:querystring';
import { isValidSlackRequest } from '@slack/bolt';
import express from 'express';
import type { Logger } from '../../core/logger.js';

/**
 * Runs before Bolt on /slack/events. Bolt stays the authority on signatures
 * (bad or stale ones get its 401); this guard only turns a *correctly signed*
 * but unusable body into an immediate 400, where Bolt would wait 3 s and
 * answer 404. Body shapes unknown to Bolt that Slack does send
 * (`app_rate_limited`) are acknowledged and logged.
 */
export const BODY_LIMIT = '4mb';

/** Payload types Bolt dispatches (others never reach a listener). */
const INTERACTIVE_TYPES = new Set([
  'block_actions', 'block_suggestion', 'message_action', 'shortcut', 'view_submission', 'view_closed',
  'interactive_message', 'dialog_submission', 'dialog_suggestion', 'dialog_cancellation',
]);

export type BodyVerdict = { ok: true } | { ok: false; status: 200 | 400; reason: string };

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Mirrors Bolt's parsing: form-encoded only with this exact content type, JSON otherwise. */
export function checkBody(raw: string, contentType: string | undefined): BodyVerdict {
  if (contentType === 'application/x-www-form-urlencoded') {
    const form = querystring.parse(raw);
    if (typeof form['payload'] === 'string') {
      let payload: unknown;
      try { payload = JSON.parse(form['payload']); } catch { return { ok: false, status: 400, reason: 'payload is not JSON' }; }
      if (!isObject(payload) || typeof payload['type'] !== 'string') return { ok: false, status: 400, reason: 'payload without type' };
      if (!INTERACTIVE_TYPES.has(payload['type'])) return { ok: false, status: 200, reason: `interactive type not handled: ${payload['type']}` };
      return { ok: true };
    }
    if (typeof form['command'] === 'string' || typeof form['ssl_check'] === 'string') return { ok: true };
    return { ok: false, status: 400, reason: 'form body without payload or command' };
  }
  let body: unknown;
  try { body = JSON.parse(raw); } catch { return { ok: false, status: 400, reason: 'body is not JSON' }; }
  if (!isObject(body) || typeof body['type'] !== 'string') return { ok: false, status: 400, reason: 'JSON body without type' };
  switch (body['type']) {
    case 'url_verification':
      return typeof body['challenge'] === 'string' ? { ok: true } : { ok: false, status: 400, reason: 'url_verification without challenge' };
    case 'event_callback':
      return isObject(body['event']) && typeof body['event']['type'] === 'string' ? { ok: true } : { ok: false, status: 400, reason: 'event_callback without event' };
    case 'app_rate_limited':
      return { ok: false, status: 200, reason: 'Slack is rate-limiting the events sent to this app' };
    default:
      return { ok: false, status: 400, reason: `unknown body type: ${String(body['type'])}` };
  }
}

export function requestGuard(signingSecret: string, logger: Logger): express.RequestHandler[] {
  return [
    express.raw({ type: () => true, limit: BODY_LIMIT }),
    (req, res, next) => {
      const raw: Buffer = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      // Bolt reads `rawBody` when present instead of the (consumed) stream.
      (req as unknown as { rawBody: Buffer }).rawBody = raw;
      const signature = req.header('x-slack-signature');
      const timestamp = Number(req.header('x-slack-request-timestamp'));
      const body = raw.toString('utf8');
      if (!signature || !Number.isFinite(timestamp)
        || !isValidSlackRequest({ signingSecret, body, headers: { 'x-slack-signature': signature, 'x-slack-request-timestamp': timestamp } })) {
        next();
        return;
      }
      const verdict = checkBody(body, req.header('content-type'));
      if (verdict.ok) { next(); return; }
      logger.warn('slack request not dispatched', { status: verdict.status, reason: verdict.reason });
      res.status(verdict.status).end();
    },
  ];
}
