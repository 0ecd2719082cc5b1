import type { Activity } from '@microsoft/agents-activity';
import { PtsmError, describeError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { Digest } from '../../milestones/digest.js';
import type { CoordinatorAlert, Notifier, NudgeMessage, Recipient } from '../../milestones/notifier.js';
import type { TeamsAdapter } from './adapter.js';
import { renderAlertCard, renderDigestCard, renderNudgeCard } from './cards.js';
import { channelRoot, isConversationReference } from './identity.js';
import { openOneToOne, sendToReference, type Sent } from './proactive.js';
import { cardMessage } from './reply.js';
import type { TeamsStore, UserRecord } from './store.js';

/**
 * The reminders' Teams side: nudges to pilots in their 1:1 chat with the bot
 * (a stored reference, or a chat opened from what was learned when they wrote
 * or installed the app), the digest and alerts to the coordination's
 * conversation. A failure throws: the scheduler retries and reports it.
 */
export interface TeamsNotifierOptions {
  ta: TeamsAdapter;
  store: TeamsStore;
  logger: Logger;
  /** Stored conversation id (channel, group chat or 1:1) receiving the digest and alerts. */
  digestConversation: string | undefined;
  /** Several territories: the one whose reminders these are (named in the nudge's buttons, and in its delivery key). */
  territory?: string | undefined;
}

interface Target { ref: Record<string, unknown> | null; user: UserRecord | null }

export class TeamsNotifier implements Notifier {
  constructor(private readonly opts: TeamsNotifierOptions) {}

  async sendNudge(nudge: NudgeMessage, recipient: Recipient): Promise<void> {
    // The store of conversation references is shared by the territories: a delivery key names its territory.
    const key = this.opts.territory ? `${this.opts.territory}/${nudge.key}` : nudge.key;
    const done = this.opts.store.sentNudge(key);
    if (done) {
      // A resumed delivery whose first attempt did reach Teams: do not nudge twice.
      this.opts.logger.info('teams nudge already delivered', { key: nudge.key, conversation: done.conversationId });
      return;
    }
    const sent = await this.toPerson(recipient, cardMessage(renderNudgeCard(nudge, this.opts.territory), { summary: nudge.text }));
    this.opts.store.recordNudge(key, sent.conversationId, sent.activityId, nudge.milestoneId);
  }

  async sendDigest(digest: Digest, recipient: Recipient): Promise<void> {
    const activity = cardMessage(renderDigestCard(digest));
    if (recipient.role === 'pilot') {
      await this.toPerson(recipient, activity);
      return;
    }
    await this.toCoordination(activity, 'la synthèse hebdomadaire');
  }

  async sendCoordinatorAlert(alert: CoordinatorAlert): Promise<void> {
    await this.toCoordination(cardMessage(renderAlertCard(alert), { summary: alert.text }), `l'alerte « ${alert.kind} »`);
  }

  private failure(message: string, input: string, cause?: unknown): PtsmError {
    return new PtsmError('NOTIFIER_FAILED', message, { input, ...(cause !== undefined ? { cause } : {}) });
  }

  /** What is known of a person: the directory's reference, then our own records by Teams id. */
  private targetOf(recipient: Recipient): Target {
    const ref = recipient.teamsConversationRef;
    const refUser = (ref?.user ?? {}) as { id?: string; aadObjectId?: string };
    const ids = [recipient.teams, refUser.aadObjectId, refUser.id].filter((x): x is string => !!x);
    const user = ids.map((id) => this.opts.store.findUser(id)).find((u) => u !== null) ?? null;
    // Our record is the freshest: it is updated each time the person writes.
    if (user?.personalRef) return { ref: user.personalRef, user };
    if (ref && isConversationReference(ref)) return { ref, user };
    if (user) return { ref: null, user };
    if (ref && typeof ref.serviceUrl === 'string' && typeof refUser.id === 'string') {
      // A directory entry learned on another instance: enough to open the 1:1 chat.
      // `agent` in the Agents SDK's references, `bot` in those botbuilder saved.
      const bot = (ref.agent ?? ref.bot) as UserRecord['bot'] | undefined;
      if (bot?.id) {
        return {
          ref: null,
          user: {
            key: refUser.aadObjectId ?? refUser.id, teamsId: refUser.id, aadObjectId: refUser.aadObjectId ?? null, name: recipient.name,
            tenantId: typeof ref.tenantId === 'string' ? ref.tenantId : null, serviceUrl: ref.serviceUrl, bot, personalRef: null,
          },
        };
      }
    }
    return { ref: null, user: null };
  }

  private async toPerson(recipient: Recipient, activity: Activity): Promise<Sent> {
    const target = this.targetOf(recipient);
    let ref = target.ref;
    if (!ref && !target.user) {
      throw this.failure(
        `Impossible de joindre ${recipient.name} sur Teams : cette personne n'a encore jamais écrit à l'assistant ni installé l'application. Demandez-lui d'ouvrir une conversation avec l'assistant.`,
        recipient.id,
      );
    }
    try {
      if (!ref) {
        const u = target.user!;
        ref = await openOneToOne(this.opts.ta, {
          serviceUrl: u.serviceUrl, tenantId: u.tenantId, bot: u.bot,
          user: { id: u.teamsId, ...(u.name ? { name: u.name } : {}), ...(u.aadObjectId ? { aadObjectId: u.aadObjectId } : {}) },
        });
        if (this.opts.store.findUser(u.key)) this.opts.store.setPersonalRef(u.key, ref);
      }
      const sent = await sendToReference(this.opts.ta, ref, activity);
      this.opts.logger.info('teams proactive message sent', { recipient: recipient.id, conversation: sent.conversationId });
      return sent;
    } catch (e) {
      throw this.failure(`Envoi Teams à ${recipient.name} impossible : ${describeError(e)}`, recipient.id, e);
    }
  }

  private async toCoordination(activity: Activity, what: string): Promise<void> {
    const id = this.opts.digestConversation?.trim();
    if (!id) {
      throw this.failure(`Teams : aucune conversation de coordination configurée pour ${what}. Écrivez « identifiant » à l'assistant dans le canal choisi, puis renseignez TEAMS_DIGEST_CONVERSATION.`, 'TEAMS_DIGEST_CONVERSATION');
    }
    const conv = this.opts.store.getConversation(channelRoot(id)) ?? this.opts.store.getConversation(id);
    if (!conv || !isConversationReference(conv.ref)) {
      throw this.failure(`Teams : la conversation « ${id} » (TEAMS_DIGEST_CONVERSATION) est inconnue de l'assistant. Ajoutez l'application à ce canal ou à cette conversation, puis écrivez-y « identifiant ».`, 'TEAMS_DIGEST_CONVERSATION');
    }
    try {
      await sendToReference(this.opts.ta, conv.ref, activity);
    } catch (e) {
      throw this.failure(`Envoi Teams de ${what} impossible : ${describeError(e)}`, id, e);
    }
  }
}
