import { PtsmError } from '../core/errors.js';
import type { CoordinatorAlert, Digest, Notifier, NudgeMessage, Recipient } from '../milestones/index.js';

/**
 * Sends each nudge through the channel where its pilot can be reached
 * (Slack id → Slack, Teams id or conversation reference → Teams), and the
 * coordinator's digest and alerts to every configured channel. The fallback
 * (a file) keeps nudges visible when no chat platform is configured.
 */
export class RoutingNotifier implements Notifier {
  constructor(private readonly routes: {
    slack?: Notifier;
    teams?: Notifier;
    fallback: Notifier;
    /** Channels that have a coordinator destination configured (digest channel / conversation). */
    coordinator?: Notifier[];
  }) {}

  private pick(r: Recipient): Notifier {
    if (r.slack && this.routes.slack) return this.routes.slack;
    if ((r.teams || r.teamsConversationRef) && this.routes.teams) return this.routes.teams;
    if (!this.routes.slack && !this.routes.teams) return this.routes.fallback;
    throw new PtsmError('NOTIFIER_FAILED', `Aucun canal configuré ne permet de joindre ${r.name} (identifiant Slack ou Teams manquant dans l'annuaire).`, { input: r.id });
  }

  async sendNudge(nudge: NudgeMessage, recipient: Recipient): Promise<void> {
    await this.pick(recipient).sendNudge(nudge, recipient);
  }

  async sendDigest(digest: Digest, recipient: Recipient): Promise<void> {
    await Promise.all(this.coordinatorChannels().map((n) => n.sendDigest(digest, recipient)));
  }

  async sendCoordinatorAlert(alert: CoordinatorAlert): Promise<void> {
    await Promise.all(this.coordinatorChannels().map((n) => n.sendCoordinatorAlert(alert)));
  }

  private coordinatorChannels(): Notifier[] {
    const list = this.routes.coordinator ?? [];
    return list.length ? list : [this.routes.fallback];
  }
}
