import fs from 'node:fs';
import path from 'node:path';
import type { Digest } from './digest.js';
import { renderDigestText } from './digest.js';
import { ACTION_LABELS, nudgeKindLabel } from './messages.js';
import type { NudgeKind } from './plan.js';

/**
 * The Notifier port: how the scheduler reaches people, whatever the channel
 * (Slack, Teams, web, console, file). A method that resolves means "the channel
 * accepted the message"; a throw means it did not (the scheduler retries).
 */
export interface Recipient {
  /** Stable id used by the delivery ledger (normalised canonical name). */
  id: string;
  name: string;
  organisation: string | null;
  role: 'pilot' | 'coordinator';
  email?: string;
  slack?: string;
  teams?: string;
  teamsConversationRef?: Record<string, unknown>;
}

export type AnswerAction = 'fait' | 'reporter' | 'aide';

/** A one-click answer: channels turn it into a button carrying `value` (the milestone id). */
export interface NudgeAction {
  action: AnswerAction;
  label: string;
  value: string;
}

/** Which échéance of which fiche a message is about: shared by nudges, planned deliveries and the digest. */
export interface MilestoneRef {
  milestoneId: string;
  ficheId: string;
  ficheNumber: number | null;
  ficheTitle: string;
  milestone: string;
  dueText: string;
}

export interface NudgeMessage extends MilestoneRef {
  /** Unique nudge key; also the idempotency key for channels able to deduplicate. */
  key: string;
  kind: NudgeKind;
  due: string;
  /** Days from today to the due date (negative: overdue). */
  daysLeft: number;
  /** Ready-to-send French text. */
  text: string;
  actions: NudgeAction[];
  delivery: {
    attempt: number;
    /** True when an earlier owner's attempt may have reached the recipient (crash mid-send). */
    resumed: boolean;
  };
}

export type AlertKind = 'pilote-non-relié' | 'sans-pilote' | 'besoin-aide' | 'relance-échouée';

export interface CoordinatorAlert {
  key: string;
  kind: AlertKind;
  milestoneId: string | null;
  ficheId: string | null;
  /** French text, ready to post in the coordinator's channel. */
  text: string;
  details: Record<string, unknown>;
}

export interface Notifier {
  sendNudge(nudge: NudgeMessage, recipient: Recipient): Promise<void>;
  sendDigest(digest: Digest, recipient: Recipient): Promise<void>;
  sendCoordinatorAlert(alert: CoordinatorAlert): Promise<void>;
}

/** The three answers of a nudge. */
export function nudgeActions(milestoneId: string): NudgeAction[] {
  return (['fait', 'reporter', 'aide'] as const).map((action) => ({ action, label: ACTION_LABELS[action], value: milestoneId }));
}

/** The coordinator as a recipient: channels route it to their digest channel. */
export const COORDINATOR: Recipient = { id: 'coordination', name: 'Coordination PTSM', organisation: null, role: 'coordinator' };

function channelsOf(r: Recipient): string {
  const c = [r.slack && `Slack ${r.slack}`, r.teams && `Teams ${r.teams}`, r.email].filter(Boolean);
  return c.length ? ` (${c.join(', ')})` : '';
}

/** Writes French text to a stream: the CLI's `ptsm reminders --send` without chat credentials. */
export class ConsoleNotifier implements Notifier {
  constructor(private readonly out: NodeJS.WritableStream = process.stdout) {}

  async sendNudge(nudge: NudgeMessage, recipient: Recipient): Promise<void> {
    const buttons = nudge.actions.map((a) => `[${a.label}]`).join(' ');
    this.out.write(`→ Relance ${nudgeKindLabel(nudge.kind)} pour ${recipient.name}${channelsOf(recipient)}\n  ${nudge.text}\n  ${buttons}\n\n`);
  }

  async sendDigest(digest: Digest, recipient: Recipient): Promise<void> {
    this.out.write(`→ Synthèse hebdomadaire pour ${recipient.name}\n${renderDigestText(digest)}\n\n`);
  }

  async sendCoordinatorAlert(alert: CoordinatorAlert): Promise<void> {
    this.out.write(`→ Alerte coordination (${alert.kind})\n  ${alert.text}\n\n`);
  }
}

/** Appends one JSON object per message to a file: inspectable, greppable, replayable. */
export class FileNotifier implements Notifier {
  constructor(private readonly file: string, private readonly clock: () => Date = () => new Date()) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
  }

  private append(record: Record<string, unknown>): void {
    // Synchronous append: once the promise resolves the line is in the file.
    fs.appendFileSync(this.file, JSON.stringify({ at: this.clock().toISOString(), ...record }) + '\n', 'utf8');
  }

  async sendNudge(nudge: NudgeMessage, recipient: Recipient): Promise<void> {
    this.append({ type: 'nudge', recipient, nudge });
  }

  async sendDigest(digest: Digest, recipient: Recipient): Promise<void> {
    this.append({ type: 'digest', recipient, digest, text: renderDigestText(digest) });
  }

  async sendCoordinatorAlert(alert: CoordinatorAlert): Promise<void> {
    this.append({ type: 'alert', alert });
  }
}
