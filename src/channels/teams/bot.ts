import type { InvokeResponse, TurnContext } from '@microsoft/agents-hosting';
import {
  TeamsActivityHandler, type FileConsentCardResponse, type MessagingExtensionAction, type MessagingExtensionActionResponse,
} from '@microsoft/agents-hosting-extensions-teams';
import { describeError } from '../../core/errors.js';
import { handleCardSubmit, isCardSubmit } from './actions.js';
import { HELP_TEXT } from './cards.js';
import type { TeamsDeps } from './deps.js';
import { fetchDraftTask, submitDraftAction } from './drafting.js';
import { acceptDocx, declineDocx } from './files.js';
import { channelUser, conversationRecordOf, reachOf, userRecordOf } from './identity.js';
import { handleQuestion } from './questions.js';

/**
 * Routes Teams activities to the channel's handlers. Every turn first records
 * who wrote and where (conversation references for proactive messages, the
 * identity for the pilot directory). Handler failures are logged and answered
 * in French; they never become a 500 that Teams would show as an error.
 */
export class TeamsBot extends TeamsActivityHandler {
  constructor(private readonly deps: TeamsDeps) {
    super();
    this.onTurn(async (ctx, next) => {
      this.remember(ctx);
      await next();
    });
    this.onMessage(async (ctx, next) => {
      await this.guard(ctx, 'message', () => (isCardSubmit(ctx.activity.value) ? handleCardSubmit(ctx, deps) : handleQuestion(ctx, deps)), true);
      await next();
    });
    // On Teams the SDK routes members added to this event only (not to onMembersAdded).
    this.onTeamsMembersAddedEvent(async (membersAdded, _team, ctx, next) => {
      const botAdded = membersAdded.some((m) => m.id === ctx.activity.recipient?.id);
      if (botAdded) await this.guard(ctx, 'welcome', async () => { await ctx.sendActivity(HELP_TEXT); }, false);
      await next();
    });
    this.onInstallationUpdateRemove(async (ctx, next) => {
      const conv = conversationRecordOf(ctx.activity);
      if (conv) deps.store.forgetConversation(conv.id);
      await next();
    });
  }

  /** Conversation and person, kept so the reminders can reach them later. */
  private remember(ctx: TurnContext): void {
    const a = ctx.activity;
    if (a.type === 'installationUpdate' && /^remove/.test(String(a.action ?? ''))) return;
    try {
      const conv = conversationRecordOf(a);
      if (conv) this.deps.store.saveConversation(conv.id, conv.kind, conv.name, conv.ref);
      const user = userRecordOf(a);
      if (!user?.key) return;
      this.deps.store.saveUser(user);
      const saved = this.deps.store.findUser(user.key);
      this.deps.assistant.learnIdentity({ ...channelUser(a), ...(saved ? { teamsConversationRef: reachOf(saved) } : {}) });
    } catch (e) {
      // Remembering is a side job: the user's request still gets its answer.
      this.deps.logger.warn('teams could not record the conversation reference', { error: describeError(e) });
    }
  }

  private async guard(ctx: TurnContext, what: string, run: () => Promise<void>, apologize: boolean): Promise<void> {
    try {
      await run();
    } catch (e) {
      this.deps.logger.error('teams handler failed', { what, conversation: ctx.activity.conversation?.id, error: describeError(e) });
      if (!apologize) return;
      await ctx.sendActivity("Désolé, une erreur m'a empêché de répondre. Réessayez dans quelques instants.")
        .catch((e2: unknown) => this.deps.logger.error('teams apology failed', { error: describeError(e2) }));
    }
  }

  protected override async onInvokeActivity(ctx: TurnContext): Promise<InvokeResponse> {
    const res = await super.onInvokeActivity(ctx);
    if (res?.status === 501) this.deps.logger.warn('teams invoke not supported', { name: ctx.activity.name ?? '(sans nom)' });
    return res;
  }

  protected override async handleTeamsMessagingExtensionFetchTask(ctx: TurnContext, action: MessagingExtensionAction): Promise<MessagingExtensionActionResponse> {
    return this.dialog(ctx, () => fetchDraftTask(ctx, this.deps, action));
  }

  protected override async handleTeamsMessagingExtensionSubmitAction(ctx: TurnContext, action: MessagingExtensionAction): Promise<MessagingExtensionActionResponse> {
    return this.dialog(ctx, () => submitDraftAction(ctx, this.deps, action));
  }

  private async dialog(ctx: TurnContext, run: () => Promise<MessagingExtensionActionResponse>): Promise<MessagingExtensionActionResponse> {
    try {
      return await run();
    } catch (e) {
      this.deps.logger.error('teams message extension failed', { name: ctx.activity.name, error: describeError(e) });
      return { task: { type: 'message', value: 'Une erreur est survenue pendant la rédaction de la fiche. Réessayez dans quelques instants.' } } as MessagingExtensionActionResponse;
    }
  }

  protected override async handleTeamsFileConsentAccept(ctx: TurnContext, response: FileConsentCardResponse): Promise<void> {
    await this.guard(ctx, 'file consent', () => acceptDocx(ctx, this.deps, response), true);
  }

  protected override async handleTeamsFileConsentDecline(ctx: TurnContext): Promise<void> {
    await this.guard(ctx, 'file decline', () => declineDocx(ctx, this.deps), false);
  }
}
