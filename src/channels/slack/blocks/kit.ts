import { escapeMrkdwn, SLACK_LIMITS, splitMrkdwn } from '../../../fiches/render/index.js';
import { clip } from '../slack-text.js';

/** Minimal Block Kit builders; every text is clipped to Slack's documented limits. */
export type Block = Record<string, unknown>;

export interface SlackPayload {
  text: string;
  blocks: Block[];
}

export const mrkdwn = (text: string): { type: 'mrkdwn'; text: string } => ({ type: 'mrkdwn', text: clip(text, SLACK_LIMITS.sectionText) });
export const plain = (text: string, max = 75): { type: 'plain_text'; text: string; emoji: true } => ({ type: 'plain_text', text: clip(text, max), emoji: true });

/** One or more section blocks: long text is split, never silently dropped. */
export function sections(text: string): Block[] {
  return splitMrkdwn(text, SLACK_LIMITS.sectionText).map((t) => ({ type: 'section', text: { type: 'mrkdwn', text: t } }));
}

export function context(...texts: string[]): Block {
  return { type: 'context', elements: texts.slice(0, SLACK_LIMITS.contextElements).map(mrkdwn) };
}

export function header(text: string): Block {
  return { type: 'header', text: plain(text, SLACK_LIMITS.headerText) };
}

export const divider: Block = { type: 'divider' };

export interface Button {
  actionId: string;
  text: string;
  value: string;
  style?: 'primary' | 'danger';
}

export function actions(blockId: string, buttons: Button[]): Block {
  return {
    type: 'actions',
    block_id: blockId.slice(0, SLACK_LIMITS.blockId),
    elements: buttons.map((b) => ({
      type: 'button', action_id: b.actionId, text: plain(b.text, SLACK_LIMITS.buttonText), value: b.value, ...(b.style ? { style: b.style } : {}),
    })),
  };
}

/**
 * Fallback text of a message (push notifications, screen readers). Slack reads
 * it as mrkdwn: escaped, so a quoted document can never ping <!channel>.
 */
export function fallback(text: string): string {
  return clip(escapeMrkdwn(text.replace(/\s+/g, ' ').trim()), 3000);
}
