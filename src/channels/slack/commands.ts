import type { App, RespondArguments, RespondFn, SlashCommand } from '@slack/bolt';
import { NO_TERRITORY_MESSAGE, type Audience } from '../../app/assistant.js';
import { describeError } from '../../core/errors.js';
import { looksLikePatientData } from '../../core/privacy.js';
import { foldForMatch } from '../../text/fold.js';
import { escapeMrkdwn, renderFicheBlocks } from '../../fiches/render/index.js';
import { answerMessage, errorMessage } from './blocks/answer.js';
import type { SlackPayload } from './blocks/kit.js';
import { fichesText, helpMessage, homeView, milestonesText } from './blocks/lists.js';
import { sections } from './blocks/kit.js';
import { attempt, slackErrorCode, type SlackDeps } from './deps.js';
import { SLASH_COMMAND } from './ids.js';
import { parseBilanArgs, sendYearlyReview } from './bilan.js';
import type { BilanFormat } from '../../review/index.js';

/**
 * `/ptsm aide | question … | jalons | fiches | fiche <n>` and the App Home.
 * The command is acknowledged at once (Slack allows 3 s); the answer follows
 * through the command's response_url, visible only to the person who typed it.
 */
export type Subcommand =
  | { kind: 'aide' }
  | { kind: 'question'; text: string }
  | { kind: 'jalons' }
  | { kind: 'fiches' }
  | { kind: 'fiche'; ref: string }
  | { kind: 'bilan'; year: number | null; format: BilanFormat }
  | { kind: 'inconnue'; word: string };

export function parseCommand(text: string): Subcommand {
  const trimmed = text.trim();
  const [first = '', ...rest] = trimmed.split(/\s+/);
  const word = foldForMatch(first).replace(/[^a-z0-9?]/g, '');
  const tail = trimmed.slice(first.length).trim();
  switch (word) {
    case '': case 'aide': case 'help': case '?':
      return { kind: 'aide' };
    case 'question': case 'q': case 'demande':
      return tail ? { kind: 'question', text: tail } : { kind: 'aide' };
    case 'jalons': case 'jalon': case 'echeances': case 'echeance': case 'mesjalons':
      return { kind: 'jalons' };
    case 'fiches':
      return { kind: 'fiches' };
    case 'fiche': case 'fa':
      return rest.length ? { kind: 'fiche', ref: tail.replace(/^(?:n\s*°|no|n°|#)\s*/i, '') } : { kind: 'fiches' };
    case 'bilan':
      return { kind: 'bilan', ...parseBilanArgs(tail) };
    default:
      return { kind: 'inconnue', word: first };
  }
}

const ephemeral = (p: SlackPayload): RespondArguments => ({ response_type: 'ephemeral', text: p.text, blocks: p.blocks as never });

async function runCommand(deps: SlackDeps, cmd: SlashCommand, respond: RespondFn): Promise<void> {
  const sub = parseCommand(cmd.text ?? '');
  const user = { platform: 'slack' as const, id: cmd.user_id };
  // Responses are ephemeral: shown in this channel, to this user alone.
  const audience: Audience = { platform: 'slack', channel: cmd.channel_id, user: cmd.user_id };
  const send = async (p: SlackPayload): Promise<void> => {
    await attempt(deps.logger, 'respond', () => respond(ephemeral(p)));
  };
  const assistant = deps.assistants({ platform: 'slack', conversation: cmd.channel_id, team: cmd.team_id });
  if (!assistant) {
    await send({ text: NO_TERRITORY_MESSAGE, blocks: sections(NO_TERRITORY_MESSAGE) });
    return;
  }
  switch (sub.kind) {
    case 'aide':
      await send(helpMessage());
      return;
    case 'inconnue':
      await send(helpMessage(`Je ne connais pas la commande « ${escapeMrkdwn(sub.word)} ».`));
      return;
    case 'jalons':
      await deps.users.learn(cmd.user_id, assistant);
      await send({ text: 'Vos prochaines échéances', blocks: sections(milestonesText(assistant.milestonesOf(user, audience))) });
      return;
    case 'fiches':
      await send({ text: 'Fiches actions', blocks: sections(fichesText(assistant.listFiches(audience))) });
      return;
    case 'fiche': {
      const fiche = assistant.getFiche(sub.ref, audience);
      if (!fiche) {
        await send({ text: `Fiche introuvable : « ${escapeMrkdwn(sub.ref)} ».`, blocks: sections(`Je ne trouve pas la fiche « ${escapeMrkdwn(sub.ref)} ». Tapez \`${SLASH_COMMAND} fiches\` pour voir la liste.`) });
        return;
      }
      for (const m of renderFicheBlocks(fiche)) await send({ text: m.text, blocks: m.blocks as never });
      return;
    }
    case 'bilan':
      await sendYearlyReview(deps, assistant, cmd.user_id, sub, send, audience);
      return;
    case 'question': {
      try {
        const answer = await deps.queue.run(() => assistant.ask({ question: sub.text, audience }));
        const answerId = deps.store.saveAnswer({ channel: cmd.channel_id, threadTs: '', userId: cmd.user_id, question: sub.text, answer: answer.answer });
        const p = answerMessage(answer, { answerId, privacyWarning: looksLikePatientData(sub.text), ...(deps.docsBaseUrl ? { docsBaseUrl: deps.docsBaseUrl } : {}) });
        await send({ text: p.text, blocks: [...sections(`> ${escapeMrkdwn(sub.text.replace(/\s+/g, ' '))}`), ...p.blocks] });
      } catch (e) {
        deps.logger.error('slash question failed', { error: describeError(e) });
        await send(errorMessage("Désolé, je n'ai pas pu répondre pour le moment. Réessayez dans quelques minutes."));
      }
      return;
    }
  }
}

export function registerCommands(app: App, deps: SlackDeps): void {
  app.command(SLASH_COMMAND, async ({ ack, command, respond }) => {
    const sub = parseCommand(command.text ?? '');
    // The slow ones say so at once; the others answer within the ack's budget anyway.
    await ack(sub.kind === 'question' || sub.kind === 'bilan' ? { response_type: 'ephemeral', text: sub.kind === 'bilan' ? 'Je prépare le bilan…' : 'Je cherche…' } : undefined);
    await runCommand(deps, command, respond);
  });

  app.event('app_home_opened', async ({ event, body }) => {
    if (event.tab !== 'home') return;
    // The App Home is in no channel: the workspace decides the territory (none: an empty home).
    const assistant = deps.assistants({ platform: 'slack', team: (body as { team_id?: string }).team_id });
    if (!assistant) return;
    await deps.users.learn(event.user, assistant);
    const user = { platform: 'slack' as const, id: event.user };
    // The App Home belongs to no channel: public documents only, unless this user is a coordinator.
    const audience: Audience = { platform: 'slack', user: event.user };
    try {
      const view = homeView(assistant.milestonesOf(user, audience), assistant.fichesOf(user, audience));
      await deps.client.views.publish({ user_id: event.user, view: view as never });
    } catch (e) {
      deps.logger.warn('slack home not published', { user: event.user, error: slackErrorCode(e) });
    }
  });
}
