/**
 * Renders one fiche action (or a draft of it) for every place coordinators read it:
 * Markdown (web, CLI), Slack Block Kit (split into several messages within Slack's limits),
 * Teams Adaptive Cards 1.5 (kept under ADAPTIVE_CARD_MAX_BYTES), and DOCX for the ARS.
 * All four take their labels, order and formatters from labels.ts: change a label there only.
 * Long content is never silently dropped: a cut ends with "… (suite dans la version complète)".
 */
export * from './labels.js';
export { renderFicheMarkdown, type MarkdownOptions } from './markdown.js';
export { renderFicheBlocks, escapeMrkdwn, splitMrkdwn, SLACK_LIMITS, type BlockKitOptions, type SlackButton, type SlackMessage } from './block-kit.js';
export { renderFicheCard, ADAPTIVE_CARD_MAX_BYTES, type AdaptiveCardOptions, type CardAction } from './adaptive-card.js';
export { renderFicheDocx, type DocxOptions } from './docx.js';
