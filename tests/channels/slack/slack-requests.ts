import crypto from 'node:crypto';
import { BOT_USER_ID, slackTs, TEAM_ID } from './fake-slack-api.js';

/**
 * Requests exactly as Slack sends them: signed with the v0 scheme
 * (HMAC-SHA256 of "v0:{timestamp}:{body}" with the signing secret), events as
 * JSON, interactivity as a form with a `payload` field, slash commands as a form.
 */
export const SIGNING_SECRET = 'test-signing-secret-0123456789abcdef';

export interface SentRequest { status: number; text: string; ms: number; at: number }

export function signature(secret: string, timestamp: number, body: string): string {
  return `v0=${crypto.createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

export interface SendOptions { secret?: string; timestamp?: number; contentType?: string; badSignature?: boolean; headers?: Record<string, string> }

export async function post(url: string, body: string, contentType: string, opts: SendOptions = {}): Promise<SentRequest> {
  const timestamp = opts.timestamp ?? Math.floor(Date.now() / 1000);
  const sig = opts.badSignature ? `v0=${'0'.repeat(64)}` : signature(opts.secret ?? SIGNING_SECRET, timestamp, body);
  const t0 = performance.now();
  const res = await fetch(`${url}/slack/events`, {
    method: 'POST',
    headers: { 'content-type': contentType, 'x-slack-signature': sig, 'x-slack-request-timestamp': String(timestamp), ...opts.headers },
    body,
  });
  const text = await res.text();
  return { status: res.status, text, ms: performance.now() - t0, at: Date.now() };
}

let eventSeq = 0;

export function eventBody(event: Record<string, unknown>): string {
  eventSeq++;
  return JSON.stringify({
    token: 'legacy-verification-token', team_id: TEAM_ID, context_team_id: TEAM_ID, api_app_id: 'A0PTSM',
    event: { event_ts: event['ts'], ...event },
    type: 'event_callback', event_id: `Ev${String(eventSeq).padStart(8, '0')}`, event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ enterprise_id: null, team_id: TEAM_ID, user_id: BOT_USER_ID, is_bot: true, is_enterprise_install: false }],
    is_ext_shared_channel: false, event_context: `4-${eventSeq}`,
  });
}

export function sendEvent(url: string, event: Record<string, unknown>, opts: SendOptions = {}): Promise<SentRequest> {
  return post(url, eventBody(event), opts.contentType ?? 'application/json', opts);
}

export function sendPayload(url: string, payload: Record<string, unknown>, opts: SendOptions = {}): Promise<SentRequest> {
  return post(url, new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), 'application/x-www-form-urlencoded', opts);
}

export function sendCommand(url: string, fields: { text: string; user_id: string; channel_id: string; response_url: string; command?: string }, opts: SendOptions = {}): Promise<SentRequest> {
  const form = new URLSearchParams({
    token: 'legacy-verification-token', team_id: TEAM_ID, team_domain: 'ptsm-test', channel_id: fields.channel_id, channel_name: 'gt-logement',
    user_id: fields.user_id, user_name: 'utilisateur', command: fields.command ?? '/ptsm', text: fields.text, api_app_id: 'A0PTSM',
    is_enterprise_install: 'false', response_url: fields.response_url, trigger_id: `trig.${Date.now()}`,
  });
  return post(url, form.toString(), 'application/x-www-form-urlencoded', opts);
}

/** A fresh message ts, as Slack writes them ("seconds.microseconds"). */
export const nextTs = slackTs;

export const mention = (channel: string, user: string, text: string, extra: Record<string, unknown> = {}) => ({
  type: 'app_mention', user, text: `<@${BOT_USER_ID}> ${text}`, ts: nextTs(), channel, team: TEAM_ID, client_msg_id: crypto.randomUUID(), ...extra,
});

export const message = (channel: string, user: string, text: string, extra: Record<string, unknown> = {}) => ({
  type: 'message', user, text, ts: nextTs(), channel, channel_type: channel.startsWith('D') ? 'im' : 'channel', team: TEAM_ID, client_msg_id: crypto.randomUUID(), ...extra,
});

export function blockAction(opts: { actionId: string; value: string; user: string; channel: string; messageTs: string; threadTs?: string; text?: string; responseUrl: string }): Record<string, unknown> {
  return {
    type: 'block_actions', user: { id: opts.user, username: 'utilisateur', name: 'utilisateur', team_id: TEAM_ID }, api_app_id: 'A0PTSM', token: 'legacy-verification-token',
    container: { type: 'message', message_ts: opts.messageTs, channel_id: opts.channel, is_ephemeral: false },
    trigger_id: `trig.${Date.now()}`, team: { id: TEAM_ID, domain: 'ptsm-test' }, enterprise: null, is_enterprise_install: false,
    channel: { id: opts.channel, name: 'canal' },
    message: { type: 'message', ts: opts.messageTs, text: opts.text ?? '', ...(opts.threadTs ? { thread_ts: opts.threadTs } : {}), user: BOT_USER_ID, bot_id: 'B', blocks: [] },
    state: { values: {} }, response_url: opts.responseUrl,
    actions: [{ action_id: opts.actionId, block_id: 'b1', text: { type: 'plain_text', text: 'x', emoji: true }, value: opts.value, type: 'button', action_ts: `${Date.now() / 1000}` }],
  };
}

export function viewSubmission(opts: { callbackId: string; user: string; privateMetadata: string; values: Record<string, Record<string, Record<string, unknown>>> }): Record<string, unknown> {
  return {
    type: 'view_submission', team: { id: TEAM_ID, domain: 'ptsm-test' }, user: { id: opts.user, username: 'utilisateur', name: 'utilisateur', team_id: TEAM_ID },
    api_app_id: 'A0PTSM', token: 'legacy-verification-token', trigger_id: `trig.${Date.now()}`,
    view: {
      id: 'V123', team_id: TEAM_ID, type: 'modal', callback_id: opts.callbackId, private_metadata: opts.privateMetadata,
      state: { values: opts.values }, hash: 'h', title: { type: 'plain_text', text: 't' }, blocks: [], app_id: 'A0PTSM', bot_id: 'B',
    },
    response_urls: [], is_enterprise_install: false, enterprise: null,
  };
}

export function messageShortcut(opts: { user: string; channel: string; messageTs: string; threadTs?: string; responseUrl: string; callbackId?: string }): Record<string, unknown> {
  return {
    type: 'message_action', token: 'legacy-verification-token', action_ts: `${Date.now() / 1000}`, team: { id: TEAM_ID, domain: 'ptsm-test' },
    user: { id: opts.user, username: 'utilisateur', team_id: TEAM_ID, name: 'utilisateur' }, channel: { id: opts.channel, name: 'gt-soins' },
    is_enterprise_install: false, enterprise: null, callback_id: opts.callbackId ?? 'ptsm_draft_fiche', trigger_id: `trig.${Date.now()}`,
    response_url: opts.responseUrl, message_ts: opts.messageTs,
    message: { type: 'message', user: 'U01MARIE', ts: opts.messageTs, text: 'message', ...(opts.threadTs ? { thread_ts: opts.threadTs } : {}) },
  };
}
