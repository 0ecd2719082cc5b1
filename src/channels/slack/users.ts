import type { webApi } from '@slack/bolt';
import type { Assistant } from '../../app/assistant.js';
import { describeError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';

/**
 * Who a Slack user id is: `users.info`, cached (a busy thread names the same
 * people over and over, and Slack rate-limits users.info). The first time the
 * app meets someone, it tells the core (`learnIdentity`) so that pilots named
 * in fiches get linked to their Slack id for reminders.
 */
export interface SlackIdentity {
  id: string;
  name: string;
  email?: string;
  isBot: boolean;
}

interface Entry { at: number; value: Promise<SlackIdentity> }

export class SlackUsers {
  private readonly cache = new Map<string, Entry>();
  /** Who was told to which territory's assistant (each territory has its own directory of pilots). */
  private readonly learned = new WeakMap<Assistant, Set<string>>();

  constructor(
    private readonly client: webApi.WebClient,
    private readonly logger: Logger,
    private readonly ttlMs = 3_600_000,
  ) {}

  identity(userId: string): Promise<SlackIdentity> {
    const hit = this.cache.get(userId);
    if (hit && Date.now() - hit.at < this.ttlMs) return hit.value;
    const value = this.fetch(userId);
    this.cache.set(userId, { at: Date.now(), value });
    return value;
  }

  private async fetch(userId: string): Promise<SlackIdentity> {
    try {
      const res = await this.client.users.info({ user: userId });
      const u = res.user;
      const name = u?.profile?.display_name?.trim() || u?.real_name?.trim() || u?.profile?.real_name?.trim() || u?.name?.trim() || userId;
      const email = u?.profile?.email?.trim();
      return { id: userId, name, ...(email ? { email } : {}), isBot: Boolean(u?.is_bot) };
    } catch (e) {
      // A failed lookup must not block an answer: the id stands in for the name, retried later.
      this.cache.delete(userId);
      this.logger.warn('slack users.info failed', { user: userId, error: describeError(e) });
      return { id: userId, name: userId, isBot: false };
    }
  }

  /** The identity if Slack answers within `ms`, else a stand-in (for work that must finish within Slack's 3 s). */
  async identityWithin(userId: string, ms: number): Promise<SlackIdentity> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<SlackIdentity>((resolve) => { timer = setTimeout(() => resolve({ id: userId, name: userId, isBot: false }), ms); });
    try {
      return await Promise.race([this.identity(userId), late]);
    } finally {
      clearTimeout(timer);
    }
  }

  async names(userIds: Iterable<string>): Promise<Map<string, string>> {
    const ids = [...new Set(userIds)];
    const found = await Promise.all(ids.map((id) => this.identity(id)));
    return new Map(found.map((u) => [u.id, u.name]));
  }

  /** Tells the core who this user is, once per process (names change rarely). */
  async learn(userId: string, assistant: Assistant): Promise<void> {
    const learned = this.learned.get(assistant) ?? new Set<string>();
    this.learned.set(assistant, learned);
    if (learned.has(userId)) return;
    const who = await this.identity(userId);
    if (who.isBot || who.name === userId) return;
    try {
      assistant.learnIdentity({ platform: 'slack', id: userId, name: who.name, ...(who.email ? { email: who.email } : {}) });
      learned.add(userId);
    } catch (e) {
      this.logger.warn('learnIdentity failed', { user: userId, error: describeError(e) });
    }
  }
}
