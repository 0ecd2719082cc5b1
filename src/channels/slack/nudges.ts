import type { App, BlockButtonAction, ViewSubmitAction, webApi } from '@slack/bolt';
import { NO_TERRITORY_MESSAGE, type ChannelUser, type NudgeAnswer } from '../../app/assistant.js';
import { PtsmError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { Digest } from '../../milestones/digest.js';
import type { CoordinatorAlert, Notifier, NudgeMessage, Recipient } from '../../milestones/notifier.js';
import type { SlackPayload } from './blocks/kit.js';
import { alertMessage, answeredNudge, digestMessage, nudgeMessage, reporterModal, territoryOfNudgeBlock, type ReporterMeta } from './blocks/nudge.js';
import { assistantFor, attempt, slackErrorCode, tellUser, type Audience, type SlackDeps } from './deps.js';
import { ACTIONS, VIEWS } from './ids.js';
import type { SlackStore } from './store.js';
import { unescapeSlack } from './slack-text.js';

/**
 * Reminders through Slack. `SlackNotifier` sends nudges as DMs to pilots and
 * the digest and alerts to the coordination channel; a refusal from Slack
 * throws, so the scheduler retries. The buttons of a nudge call
 * `answerNudge` and turn the message into its confirmation.
 */
export class SlackNotifier implements Notifier {
  constructor(
    private readonly client: webApi.WebClient,
    private readonly store: SlackStore,
    private readonly digestChannel: string | undefined,
    private readonly logger: Logger,
    /** Several territories: the one whose nudges these are (named in the buttons' block). */
    private readonly territory?: string,
  ) {}

  private async post(channel: string, payload: SlackPayload, what: string): Promise<{ channel: string; ts: string }> {
    try {
      const res = await this.client.chat.postMessage({ channel, text: payload.text, blocks: payload.blocks as never, unfurl_links: false });
      return { channel: res.channel ?? channel, ts: res.ts ?? '' };
    } catch (e) {
      throw new PtsmError('NOTIFIER_FAILED', `Slack n'a pas accepté ${what} (${slackErrorCode(e)}).`, { input: channel, cause: e });
    }
  }

  private coordinationChannel(what: string): string {
    if (!this.digestChannel) {
      throw new PtsmError('NOTIFIER_FAILED', `Impossible d'envoyer ${what} sur Slack : SLACK_DIGEST_CHANNEL n'est pas configuré (identifiant du canal de la coordination, par ex. C0123456789).`, { input: 'SLACK_DIGEST_CHANNEL' });
    }
    return this.digestChannel;
  }

  async sendNudge(nudge: NudgeMessage, recipient: Recipient): Promise<void> {
    if (!recipient.slack) {
      throw new PtsmError('NOTIFIER_FAILED', `Relance impossible sur Slack pour ${recipient.name} : aucun identifiant Slack connu (à renseigner dans annuaire.json).`, { input: recipient.id });
    }
    // A resumed delivery may already have reached the pilot before a crash: never twice.
    if (this.store.nudgeDelivered(nudge.key)) {
      this.logger.info('slack nudge already delivered', { key: nudge.key });
      return;
    }
    const sent = await this.post(recipient.slack, nudgeMessage(nudge, this.territory), `la relance pour ${recipient.name}`);
    this.store.recordNudge(nudge.key, sent.channel, sent.ts, nudge.milestoneId);
  }

  async sendDigest(digest: Digest, recipient: Recipient): Promise<void> {
    const channel = recipient.role === 'coordinator' || !recipient.slack ? this.coordinationChannel('la synthèse hebdomadaire') : recipient.slack;
    await this.post(channel, digestMessage(digest), 'la synthèse hebdomadaire');
  }

  async sendCoordinatorAlert(alert: CoordinatorAlert): Promise<void> {
    await this.post(this.coordinationChannel("l'alerte à la coordination"), alertMessage(alert), "l'alerte à la coordination");
  }
}

async function channelUser(deps: SlackDeps, userId: string): Promise<ChannelUser> {
  const who = await deps.users.identityWithin(userId, 1000);
  return { platform: 'slack', id: userId, name: who.name, ...(who.email ? { email: who.email } : {}) };
}

/** Replaces the nudge's buttons by the confirmation; a failure here is only cosmetic. */
async function markAnswered(deps: SlackDeps, channel: string | undefined, ts: string | undefined, originalText: string, message: string): Promise<void> {
  if (!channel || !ts) return;
  const p = answeredNudge(originalText, message, true);
  await attempt(deps.logger, 'chat.update', () => deps.client.chat.update({ channel, ts, text: p.text, blocks: p.blocks as never }));
}

/** The territory a nudge came from: named in its block, else the conversation's. */
function nudgeWhere(body: BlockButtonAction, blockId: string | undefined): { channel?: string | undefined; team?: string | undefined; territory?: string | undefined } {
  return { channel: body.channel?.id ?? body.container?.channel_id, team: body.team?.id, territory: territoryOfNudgeBlock(blockId) };
}

async function oneClick(deps: SlackDeps, body: BlockButtonAction, blockId: string | undefined, milestoneId: string, answer: NudgeAnswer, to: Audience): Promise<void> {
  const assistant = await assistantFor(deps, nudgeWhere(body, blockId), to);
  if (!assistant) return;
  const res = await assistant.answerNudge(milestoneId, answer, await channelUser(deps, body.user.id));
  if (!res.ok) { await tellUser(deps, to, res.message); return; }
  await markAnswered(deps, body.channel?.id ?? body.container?.channel_id, body.message?.ts ?? body.container?.message_ts, unescapeSlack(String(body.message?.text ?? '')), res.message);
}

export function registerNudgeActions(app: App, deps: SlackDeps): void {
  const audience = (body: BlockButtonAction, respond: Audience['respond']): Audience => ({ channel: body.channel?.id, user: body.user.id, respond });

  app.action<BlockButtonAction>(ACTIONS.nudgeFait, async ({ ack, action, body, respond }) => {
    await ack();
    await oneClick(deps, body, action.block_id, action.value ?? '', { kind: 'fait' }, audience(body, respond));
  });
  app.action<BlockButtonAction>(ACTIONS.nudgeAide, async ({ ack, action, body, respond }) => {
    await ack();
    await oneClick(deps, body, action.block_id, action.value ?? '', { kind: 'aide' }, audience(body, respond));
  });
  app.action<BlockButtonAction>(ACTIONS.nudgeReporter, async ({ ack, action, body, respond }) => {
    await ack();
    const milestoneId = action.value ?? '';
    const where = nudgeWhere(body, action.block_id);
    const assistant = await assistantFor(deps, where, audience(body, respond));
    if (!assistant) return;
    const label = assistant.milestonesOf({ platform: 'slack', id: body.user.id }).find((m) => m.id === milestoneId)?.label ?? null;
    const meta: ReporterMeta & { text: string } = {
      milestoneId, channel: body.channel?.id ?? body.container?.channel_id, ts: body.message?.ts ?? body.container?.message_ts,
      ...(where.territory ? { territory: where.territory } : {}),
      text: unescapeSlack(String(body.message?.text ?? '')).slice(0, 1500),
    };
    try {
      await deps.client.views.open({ trigger_id: body.trigger_id, view: reporterModal(meta, label) as never });
    } catch (e) {
      deps.logger.warn('slack reporter modal not opened', { milestoneId, error: slackErrorCode(e) });
      await tellUser(deps, audience(body, respond), "Le formulaire de report n'a pas pu s'ouvrir. Réessayez.");
    }
  });

  app.view<ViewSubmitAction>(VIEWS.nudgeReporter, async ({ ack, view, body }) => {
    let meta: Partial<ReporterMeta & { text: string }> = {};
    try { meta = JSON.parse(view.private_metadata || '{}') as typeof meta; } catch { /* refused below */ }
    const values = view.state.values as Record<string, Record<string, { selected_date?: string | null; value?: string | null }>>;
    const date = values['date']?.['value']?.selected_date ?? undefined;
    const words = values['texte']?.['value']?.value?.trim() || undefined;
    if (!meta.milestoneId) { await ack({ response_action: 'errors', errors: { date: 'Cette relance est introuvable.' } }); return; }
    if (!date && !words) { await ack({ response_action: 'errors', errors: { date: 'Choisissez une date, ou écrivez la nouvelle échéance en toutes lettres.' } }); return; }
    const assistant = deps.assistants({ platform: 'slack', conversation: meta.channel, team: body.team?.id, ...(meta.territory ? { territory: meta.territory } : {}) });
    if (!assistant) { await ack({ response_action: 'errors', errors: { date: NO_TERRITORY_MESSAGE.slice(0, 150) } }); return; }
    // Answered before closing the modal, so an unreadable date shows under its field.
    const res = await assistant.answerNudge(meta.milestoneId, { kind: 'reporter', ...(date ? { newDue: date } : {}), ...(words ? { newDueText: words } : {}) }, await channelUser(deps, body.user.id));
    if (!res.ok) { await ack({ response_action: 'errors', errors: { [date ? 'date' : 'texte']: res.message.slice(0, 150) } }); return; }
    await ack();
    await markAnswered(deps, meta.channel, meta.ts, meta.text ?? '', res.message);
  });
}
