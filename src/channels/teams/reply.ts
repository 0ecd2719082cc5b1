import { Activity, ActivityTypes } from '@microsoft/agents-activity';
import type { TurnContext } from '@microsoft/agents-hosting';
import { describeError } from '../../core/errors.js';
import { attach } from './cards.js';
import type { TeamsDeps } from './deps.js';

/** A message activity (the SDK sends Activity instances, not plain objects). */
export function message(fields: Record<string, unknown>): Activity {
  return Activity.fromObject({ type: ActivityTypes.Message, ...fields });
}

/** A message carrying one Adaptive Card. */
export function cardMessage(card: Record<string, unknown>, fields: Record<string, unknown> = {}): Activity {
  return message({ attachments: [attach(card)], ...fields });
}

/**
 * Replaces the card the button was on (and the message's text, when given).
 * False when Teams refused (the caller then replies instead).
 */
export async function replaceCard(ctx: TurnContext, deps: TeamsDeps, card: Record<string, unknown>, fields: Record<string, unknown> = {}): Promise<boolean> {
  const id = ctx.activity.replyToId;
  if (!id) return false;
  try {
    await ctx.updateActivity(cardMessage(card, { ...fields, id }));
    return true;
  } catch (e) {
    deps.logger.warn('teams card update failed, replying instead', { activity: id, error: describeError(e) });
    return false;
  }
}
