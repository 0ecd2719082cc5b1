import querystring from 'node:querystring';
import { isValidSlackRequest } from '@slack/bolt';
import express from 'express';
import type { Logger } from '../../core/logger.js';

/**
 * Runs before Bolt on /slack/events. Bolt stays the authority on signatures
 * (bad or stale ones get its 401); this guard only turns a *correctly signed*
 * but unusable body into an immediate 400, where Bolt would wait 3 s and
 * answer 404. Body shapes unknown to Bolt that Slack does send
 * (`app_rate_limited`) are acknowledged and logged. It also refuses
 * timestamps too far ahead: Bolt only checks that a request is not too old,
 * so a captured request signed with a future timestamp could be replayed for
 * as long as that timestamp stays "fresh".
 */
export const BODY_LIMIT = '4mb';

/** Slack's rule: a request's timestamp differs from the server's clock by 5 minutes at most, either way. */
export const MAX_CLOCK_SKEW_S = 5 * 60;

/** True when the timestamp (seconds) is within the allowed skew of `nowMs`, as Bolt computes it. */
export function timestampFresh(timestampS: number, nowMs: number): boolean {
  const nowS = Math.floor(nowMs / 1000);
  return timestampS >= nowS - MAX_CLOCK_SKEW_S && timestampS <= nowS + MAX_CLOCK_SKEW_S;
}

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

export function requestGuard(signingSecret: string, logger: Logger, now: () => number = () => Date.now()): express.RequestHandler[] {
  return [
    express.raw({ type: () => true, limit: BODY_LIMIT }),
    (req, res, next) => {
      const raw: Buffer = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      // Bolt reads `rawBody` when present instead of the (consumed) stream.
      (req as unknown as { rawBody: Buffer }).rawBody = raw;
      const signature = req.header('x-slack-signature');
      const stamp = req.header('x-slack-request-timestamp');
      const timestamp = Number(stamp);
      // Same answer as Bolt gives a stale request (401); the signature is not even looked at.
      if (stamp && Number.isFinite(timestamp) && !timestampFresh(timestamp, now())) {
        logger.warn('slack request refused: timestamp more than 5 minutes away from the server clock', { timestamp: stamp });
        res.status(401).end();
        return;
      }
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
