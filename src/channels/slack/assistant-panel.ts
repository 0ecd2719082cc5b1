import { Assistant as BoltAssistant, type App } from '@slack/bolt';
import type { Assistant } from '../../app/assistant.js';
import { foldForMatch } from '../../text/fold.js';
import { fallback, sections } from './blocks/kit.js';
import { milestonesText } from './blocks/lists.js';
import { attempt, type SlackDeps } from './deps.js';
import { answerQuestion, type Acknowledgement, type IncomingQuestion } from './questions.js';
import { clip, slackToPlain } from './slack-text.js';

/**
 * Slack's AI app panel (the assistant container beside any conversation):
 * suggested prompts when a thread opens, then each message of the thread is
 * a question answered like a mention — same core call, citations, thread
 * history — with the assistant status instead of 👀.
 *
 * The panel is a DM with the bot: answers there draw on the shared documents
 * only. The channel the user is looking at (the thread "context") never
 * widens the scope, so a private group's documents stay in its channel.
 */
export const PANEL_STATUS = 'Je cherche dans les documents du PTSM…';
export const PROMPTS_TITLE = 'Par exemple :';

/** What a suggested prompt does when clicked: ask the core, or a reply the channel already knows. */
type PromptReply = 'ask' | 'whichFiche' | 'myMilestones' | 'draftHowTo';

export interface SuggestedPrompt { title: string; message: string; reply: PromptReply }

export const SUGGESTED_PROMPTS: readonly SuggestedPrompt[] = [
  { title: 'Qui pilote… ?', message: 'Qui pilote une fiche action ?', reply: 'whichFiche' },
  { title: 'Prochaines échéances', message: 'Quelles sont mes prochaines échéances ?', reply: 'myMilestones' },
  { title: "Qu'a-t-on décidé au dernier COPIL ?", message: "Qu'a-t-on décidé au dernier COPIL ?", reply: 'ask' },
  { title: "Rédiger une fiche à partir d'un fil", message: "Comment rédiger une fiche action à partir d'un fil ?", reply: 'draftHowTo' },
];

const WHICH_FICHE = 'Dites-moi de quelle fiche action il s’agit, par son numéro ou son thème : par exemple « Qui pilote la fiche 4 ? » ou « Qui pilote la fiche pair-aidance ? »';
const DRAFT_HOW_TO = [
  '*Rédiger une fiche action à partir d’un fil*',
  '1. Invitez-moi dans le canal du groupe de travail (`/invite @Assistant PTSM`).',
  '2. Sur un message du fil, ouvrez le menu *…* › *Rédiger une fiche action à partir de ce fil*.',
  '3. Je lis toute la discussion et je publie un brouillon dans le fil, chaque champ relié aux messages d’où il vient, avec *Valider*, *Modifier* et *Exporter en DOCX*.',
].join('\n');

const byMessage = new Map(SUGGESTED_PROMPTS.map((p) => [foldForMatch(p.message), p]));

/** The clicked prompt a message is (exact text, accents and case aside), if any. */
export function promptOf(text: string): SuggestedPrompt | undefined {
  return byMessage.get(foldForMatch(text.trim()));
}

/** Text of a prompt the channel answers itself; null when the core answers. */
function cannedReply(assistant: Assistant, reply: PromptReply, user: string): string | null {
  switch (reply) {
    case 'ask': return null;
    case 'whichFiche': return WHICH_FICHE;
    case 'myMilestones': return milestonesText(assistant.milestonesOf({ platform: 'slack', id: user }));
    case 'draftHowTo': return DRAFT_HOW_TO;
  }
}

/** The status while answering; the thread is titled after its first question. */
function panelAcknowledgement(firstQuestion: boolean): Acknowledgement {
  const setStatus = (deps: SlackDeps, q: IncomingQuestion, status: string) => deps.client.assistant.threads.setStatus({ channel_id: q.channel, thread_ts: q.threadTs!, status });
  return {
    show: async (deps, q, log) => {
      await attempt(log, 'assistant.threads.setStatus', () => setStatus(deps, q, PANEL_STATUS));
      if (firstQuestion) await attempt(log, 'assistant.threads.setTitle', () => deps.client.assistant.threads.setTitle({ channel_id: q.channel, thread_ts: q.threadTs!, title: clip(slackToPlain(q.text).replace(/\s+/g, ' '), 80) }));
    },
    // Slack clears the status when the bot replies; without a reply it must be cleared by hand.
    withdraw: (deps, q, log) => attempt(log, 'assistant.threads.setStatus', () => setStatus(deps, q, '')),
  };
}

interface PanelMessage { user?: string; bot_id?: string; text?: string; ts: string; thread_ts?: string; channel: string; team?: string }

export function registerAssistantPanel(app: App, deps: SlackDeps): void {
  app.assistant(new BoltAssistant({
    threadStarted: async ({ event, setSuggestedPrompts }) => {
      const thread = event.assistant_thread;
      const log = deps.logger.child({ channel: thread.channel_id, thread: thread.thread_ts });
      log.info('slack assistant thread started');
      await attempt(log, 'assistant.threads.setSuggestedPrompts', () => setSuggestedPrompts({ title: PROMPTS_TITLE, prompts: SUGGESTED_PROMPTS.map(({ title, message }) => ({ title, message })) }));
    },
    // Bolt's default would rewrite the thread's first message to store the context; it is not used for scoping (see above).
    threadContextChanged: async ({ event }) => {
      const thread = event.assistant_thread;
      deps.logger.debug('slack assistant context changed', { thread: thread.thread_ts, viewing: thread.context.channel_id });
    },
    userMessage: async ({ message }) => {
      const m = message as unknown as PanelMessage;
      if (m.bot_id || !m.user || !m.text || !m.thread_ts) return;
      const prompt = promptOf(m.text);
      const assistant = deps.assistants({ platform: 'slack', conversation: m.channel, team: m.team });
      // A canned reply needs the territory; without one, answerQuestion tells the user.
      const canned = prompt && assistant ? cannedReply(assistant, prompt.reply, m.user) : null;
      if (canned !== null && assistant) {
        if (!deps.store.markSeen(m.channel, m.ts)) return;
        await attempt(deps.logger, 'chat.postMessage', () => deps.client.chat.postMessage({ channel: m.channel, thread_ts: m.thread_ts!, text: fallback(canned), blocks: sections(canned) as never }));
        await deps.users.learn(m.user, assistant);
        return;
      }
      const first = !deps.store.isBotThread(m.channel, m.thread_ts);
      await answerQuestion(deps, { channel: m.channel, ts: m.ts, threadTs: m.thread_ts, user: m.user, text: m.text, team: m.team }, panelAcknowledgement(first));
    },
  }));
}
