import type { TurnContext } from 'botbuilder';
import { describeError } from '../../core/errors.js';
import { attach } from './cards.js';
import type { TeamsDeps } from './deps.js';

/** Replaces the card the button was on. False when Teams refused (the caller then replies instead). */
export async function replaceCard(ctx: TurnContext, deps: TeamsDeps, card: Record<string, unknown>): Promise<boolean> {
  const id = ctx.activity.replyToId;
  if (!id) return false;
  try {
    await ctx.updateActivity({ id, type: 'message', attachments: [attach(card)] });
    return true;
  } catch (e) {
    deps.logger.warn('teams card update failed, replying instead', { activity: id, error: describeError(e) });
    return false;
  }
}
