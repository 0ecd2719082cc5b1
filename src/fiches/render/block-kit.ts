import type { Fiche } from '../../core/fiche.js';
import { PtsmError } from '../../core/errors.js';
import {
  type DraftView, SECTION_LABELS, TEXTS, TRUNCATION_MARKER, ficheHeading, ficheSections, formatSourceDocument,
  formatSources, formatStatusLine, formatTitleSources, missingLabels, statusLabel, titleSources,
} from './labels.js';

/** Slack's documented Block Kit limits, plus the budgets this renderer keeps to. */
export const SLACK_LIMITS = {
  blocksPerMessage: 50,
  sectionText: 3000,
  headerText: 150,
  buttonText: 75,
  actionId: 255,
  buttonValue: 2000,
  blockId: 255,
  actionsElements: 25,
  contextElements: 10,
  /**
   * Not documented: Slack answers `msg_blocks_too_long` from about 13,200
   * characters of block text in one message, so stay well below.
   */
  messageChars: 12_000,
  /** More than this and a chat message stops being readable: truncate and link. */
  maxMessages: 3,
} as const;

export interface SlackButton {
  actionId: string;
  text: string;
  style?: 'primary' | 'danger';
  value: string;
}

export interface BlockKitOptions {
  draft?: DraftView;
  actions?: { ficheId: string; buttons: SlackButton[] };
  /** Web page of the full fiche, offered when the fiche is cut. */
  link?: string;
  /** Messages allowed before truncating (default 3). */
  maxMessages?: number;
}

export interface SlackMessage {
  blocks: object[];
  text: string;
}

interface Text { type: 'mrkdwn' | 'plain_text'; text: string; emoji?: boolean }
type Block =
  | { type: 'header'; text: Text }
  | { type: 'section'; text: Text }
  | { type: 'context'; elements: Text[] }
  | { type: 'divider' }
  | { type: 'actions'; block_id: string; elements: Array<{ type: 'button'; action_id: string; text: Text; value: string; style?: 'primary' | 'danger' }> };

/** Slack mrkdwn needs exactly these three escaped; anything else would show as typed. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A cut index that does not fall inside an "&amp;"-style entity. */
function entitySafeCut(text: string, cut: number): number {
  const amp = text.lastIndexOf('&', cut - 1);
  if (amp >= 0 && amp > cut - 6) {
    const semi = text.indexOf(';', amp);
    if (semi >= cut && semi - amp <= 5) return amp > 0 ? amp : cut;
  }
  return cut;
}

/** Head of `text` of at most `room` characters, cut at a space when one is not too far back. */
function cutAt(text: string, room: number): [string, string] {
  let cut = text.lastIndexOf(' ', room);
  if (cut < room / 2) cut = entitySafeCut(text, room);
  return [text.slice(0, cut).trimEnd(), text.slice(cut).trimStart()];
}

/**
 * Splits escaped mrkdwn into chunks of at most `max` characters: on line
 * boundaries first, then at spaces, mid-word only for a "word" longer than a
 * chunk. A long paragraph starts in the room left by the line before it, so a
 * label never sits alone in its block.
 */
export function splitMrkdwn(text: string, max: number): string[] {
  const chunks: string[] = [];
  let current = '';
  for (const line of text.split('\n')) {
    let rest = line;
    for (;;) {
      const room = current.length === 0 ? max : max - current.length - 1;
      if (rest.length <= room) {
        current = current.length === 0 ? rest : `${current}\n${rest}`;
        break;
      }
      if (current.length > 0 && (rest.length <= max || room < max / 4)) {
        chunks.push(current);
        current = '';
        continue;
      }
      const [head, tail] = cutAt(rest, room);
      chunks.push(current.length === 0 ? head : `${current}\n${head}`);
      current = '';
      rest = tail;
      if (rest.length === 0) break;
    }
  }
  chunks.push(current);
  return chunks.map((c) => c.trim()).filter((c) => c.length > 0);
}

function clipMrkdwn(text: string, max: number): string {
  return text.length <= max ? text : cutAt(text, max - 1)[0] + '…';
}

function clipPlain(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : chars.slice(0, max - 1).join('').trimEnd() + '…';
}

/** Slack reads "<url|label>": the URL must not carry the delimiters. */
function slackLink(url: string, label: string): string {
  const safeUrl = url.trim().replace(/&/g, '&amp;').replace(/</g, '%3C').replace(/>/g, '%3E').replace(/\|/g, '%7C').replace(/ /g, '%20');
  return `<${safeUrl}|${escapeMrkdwn(label)}>`;
}

const mrkdwn = (text: string): Text => ({ type: 'mrkdwn', text });
const context = (text: string): Block => ({ type: 'context', elements: [mrkdwn(clipMrkdwn(text, SLACK_LIMITS.sectionText))] });

/** A labelled field as section blocks, split so that none exceeds the section limit. */
function sectionBlocks(label: string, body: string): Block[] {
  const text = `*${escapeMrkdwn(label)}*\n${body}`;
  return splitMrkdwn(text, SLACK_LIMITS.sectionText).map((t) => ({ type: 'section', text: mrkdwn(t) }));
}

function blockChars(b: Block): number {
  switch (b.type) {
    case 'header':
    case 'section':
      return b.text.text.length;
    case 'context':
      return b.elements.reduce((n, e) => n + e.text.length, 0);
    case 'actions':
      return b.elements.reduce((n, e) => n + e.text.text.length + e.value.length, 0);
    case 'divider':
      return 0;
  }
}

function buttonBlocks(actions: NonNullable<BlockKitOptions['actions']>): Block[] {
  const seen = new Set<string>();
  const elements = actions.buttons.map((b) => {
    if (b.actionId.length === 0 || b.actionId.length > SLACK_LIMITS.actionId) {
      throw new PtsmError('USAGE', `Identifiant d'action Slack invalide (1 à ${SLACK_LIMITS.actionId} caractères) : « ${b.actionId.slice(0, 80)} ».`, { input: b.actionId });
    }
    if (seen.has(b.actionId)) {
      throw new PtsmError('USAGE', `Identifiant d'action Slack en double : « ${b.actionId} ».`, { input: b.actionId });
    }
    seen.add(b.actionId);
    // A cut value would be silently misread by the handler: refuse it instead.
    if (b.value.length > SLACK_LIMITS.buttonValue) {
      throw new PtsmError('USAGE', `Valeur du bouton « ${b.actionId} » trop longue pour Slack (${b.value.length} caractères, ${SLACK_LIMITS.buttonValue} au plus).`, { input: b.actionId });
    }
    return {
      type: 'button' as const,
      action_id: b.actionId,
      text: { type: 'plain_text' as const, text: clipPlain(b.text, SLACK_LIMITS.buttonText), emoji: true },
      value: b.value,
      ...(b.style ? { style: b.style } : {}),
    };
  });
  const blocks: Block[] = [];
  for (let i = 0; i < elements.length; i += SLACK_LIMITS.actionsElements) {
    const suffix = elements.length > SLACK_LIMITS.actionsElements ? `:${i / SLACK_LIMITS.actionsElements}` : '';
    blocks.push({
      type: 'actions',
      block_id: `fiche:${actions.ficheId}`.slice(0, SLACK_LIMITS.blockId - suffix.length) + suffix,
      elements: elements.slice(i, i + SLACK_LIMITS.actionsElements),
    });
  }
  return blocks;
}

/** The fiche's content blocks, in canonical order, before any pagination. */
function contentBlocks(fiche: Fiche, draft: DraftView | undefined): Block[] {
  const blocks: Block[] = [
    { type: 'header', text: { type: 'plain_text', text: clipPlain(ficheHeading(fiche), SLACK_LIMITS.headerText), emoji: true } },
  ];
  const meta = [`*${SECTION_LABELS.status}* : ${escapeMrkdwn(formatStatusLine(fiche))}`];
  const doc = formatSourceDocument(fiche);
  if (doc) meta.push(`${TEXTS.source} : ${escapeMrkdwn(doc)}`);
  blocks.push(context(meta.join(' · ')));

  if (draft) {
    const tSources = titleSources(draft);
    blocks.push(context(`:memo: ${escapeMrkdwn(TEXTS.draftNotice)}${tSources.length > 0 ? ` (${escapeMrkdwn(formatTitleSources(tSources))})` : ''}`));
    const missing = missingLabels(draft.missing);
    if (missing.length > 0) blocks.push(...sectionBlocks(TEXTS.toComplete, missing.map((m) => `• ${escapeMrkdwn(m)}`).join('\n')));
  }

  for (const s of ficheSections(fiche, draft)) {
    // The status is already under the header, where a phone reader sees it first.
    if (s.empty || s.key === 'status') continue;
    const body = s.kind === 'list'
      ? s.lines.map((l) => `• ${escapeMrkdwn(l)}`).join('\n')
      : s.lines.map(escapeMrkdwn).join('\n\n');
    blocks.push(...sectionBlocks(s.label, body));
    if (draft && s.sources.length > 0) blocks.push(context(`_${escapeMrkdwn(formatSources(s.sources))}_`));
  }
  return blocks;
}

/** Room kept on continuation messages for their "suite (2/3)" line. */
const CONTINUATION = { blocks: 1, chars: 800 };

function sumChars(blocks: readonly Block[]): number {
  return blocks.reduce((n, b) => n + blockChars(b), 0);
}

/**
 * Greedy packing into messages. The last allowed message keeps room for the
 * truncation tail, so that a cut fiche still ends with the marker and buttons.
 */
function paginate(content: Block[], tail: Block[], truncatedTail: Block[], maxMessages: number): { pages: Block[][]; truncated: boolean } {
  const cap = (i: number, reserve: boolean) => ({
    blocks: SLACK_LIMITS.blocksPerMessage - (i > 0 ? CONTINUATION.blocks : 0) - (reserve && i === maxMessages - 1 ? truncatedTail.length : 0),
    chars: SLACK_LIMITS.messageChars - (i > 0 ? CONTINUATION.chars : 0) - (reserve && i === maxMessages - 1 ? sumChars(truncatedTail) : 0),
  });
  const fits = (page: readonly Block[], extra: readonly Block[], i: number, reserve: boolean) => {
    const c = cap(i, reserve);
    return page.length + extra.length <= c.blocks && sumChars(page) + sumChars(extra) <= c.chars;
  };
  if (!fits([], truncatedTail, 0, false) || !fits([], tail, 0, false)) {
    throw new PtsmError('USAGE', 'Trop de boutons pour un message Slack.', { input: String(tail.length) });
  }

  const pages: Block[][] = [[]];
  let truncated = false;
  for (const block of content) {
    const i = pages.length - 1;
    const page = pages[i]!;
    if (fits(page, [block], i, true) || page.length === 0) {
      page.push(block);
    } else if (i + 1 < maxMessages) {
      pages.push([block]);
    } else {
      truncated = true;
      break;
    }
  }

  const lastIndex = pages.length - 1;
  const last = pages[lastIndex]!;
  if (truncated) {
    last.push(...truncatedTail);
  } else if (tail.length > 0) {
    if (fits(last, tail, lastIndex, false)) {
      last.push(...tail);
    } else {
      // Only reachable before the last allowed message (that one keeps room), so a new page is allowed.
      const moved: Block[] = [];
      while (last.length > 1 && !fits(last, tail, lastIndex, false)) moved.unshift(last.pop()!);
      pages.push([...moved, ...tail]);
    }
  }
  return { pages, truncated };
}

/**
 * The fiche as one or more Slack messages, each within Block Kit's limits.
 * A fiche too long for `maxMessages` messages is cut, ends with "… (suite dans
 * la version complète)" and the link; buttons always sit in the last message.
 */
export function renderFicheBlocks(fiche: Fiche, opts: BlockKitOptions = {}): SlackMessage[] {
  const maxMessages = Math.max(1, Math.floor(opts.maxMessages ?? SLACK_LIMITS.maxMessages));
  const buttons = opts.actions && opts.actions.buttons.length > 0 ? buttonBlocks(opts.actions) : [];
  const link = opts.link?.trim() || undefined;

  const tail: Block[] = [...(link ? [context(slackLink(link, TEXTS.openFiche))] : []), ...buttons];
  const marker = escapeMrkdwn(TRUNCATION_MARKER) + (link ? `\n${slackLink(link, TEXTS.openFull)}` : '');
  const truncatedTail: Block[] = [{ type: 'section', text: mrkdwn(clipMrkdwn(marker, SLACK_LIMITS.sectionText)) }, ...buttons];

  const { pages } = paginate(contentBlocks(fiche, opts.draft), tail, truncatedTail, maxMessages);
  const heading = ficheHeading(fiche);
  const total = pages.length;
  return pages.map((blocks, i) => {
    if (i === 0) {
      const note = opts.draft ? ' — brouillon à compléter' : ` (${statusLabel(fiche.status)})`;
      return { blocks, text: clipMrkdwn(escapeMrkdwn(heading + note), SLACK_LIMITS.sectionText) };
    }
    // Clip the title, not the "(2/3)" that tells the reader where they are.
    const short = escapeMrkdwn(`${clipPlain(heading, 100)} — ${TEXTS.continued} (${i + 1}/${total})`);
    return { blocks: [context(`_${short}_`), ...blocks], text: short };
  });
}
