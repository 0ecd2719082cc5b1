/**
 * Identifiers shared by the Slack app, its manifest and its tests. Button
 * values carry our own ids (answer, draft, milestone), never content, so a
 * click still works after a restart.
 */
export const SLACK_EVENTS_PATH = '/slack/events';
export const SLASH_COMMAND = '/ptsm';

export const ACTIONS = {
  feedbackUp: 'ptsm_feedback_up',
  feedbackDown: 'ptsm_feedback_down',
  ficheValidate: 'ptsm_fiche_validate',
  ficheEdit: 'ptsm_fiche_edit',
  ficheExport: 'ptsm_fiche_export',
  nudgeFait: 'ptsm_nudge_fait',
  nudgeReporter: 'ptsm_nudge_reporter',
  nudgeAide: 'ptsm_nudge_aide',
} as const;

export const SHORTCUTS = {
  draftFiche: 'ptsm_draft_fiche',
} as const;

export const VIEWS = {
  ficheEdit: 'ptsm_fiche_edit_modal',
  nudgeReporter: 'ptsm_nudge_reporter_modal',
} as const;

/** The reaction that tells the asker "seen, I am looking". */
export const ACK_REACTION = 'eyes';

/**
 * Every Web API method the app calls, with the bot scope it needs (null:
 * none). The manifest asks for exactly the union of these and of the event
 * scopes below; a test keeps them in step.
 */
export const METHOD_SCOPES: Readonly<Record<string, string | null>> = {
  'auth.test': null,
  'chat.postMessage': 'chat:write',
  'chat.update': 'chat:write',
  'chat.delete': 'chat:write',
  'chat.postEphemeral': 'chat:write',
  // Native streaming of answers.
  'chat.startStream': 'chat:write',
  'chat.appendStream': 'chat:write',
  'chat.stopStream': 'chat:write',
  // The AI app panel: suggested prompts, status while answering, thread title.
  'assistant.threads.setSuggestedPrompts': 'assistant:write',
  'assistant.threads.setStatus': 'assistant:write',
  'assistant.threads.setTitle': 'assistant:write',
  'reactions.add': 'reactions:write',
  // Public channels, private channels and DMs the bot is in.
  'conversations.replies': 'channels:history groups:history im:history',
  'users.info': 'users:read',
  // The e-mail in users.info links a Slack user to a pilot of the directory.
  'users.info#email': 'users:read.email',
  'views.open': null,
  'views.publish': null,
  'files.getUploadURLExternal': 'files:write',
  'files.completeUploadExternal': 'files:write',
};

/** Bot events the app listens to, with the scope each subscription needs. */
export const EVENT_SCOPES: Readonly<Record<string, string | null>> = {
  app_mention: 'app_mentions:read',
  'message.channels': 'channels:history',
  'message.groups': 'groups:history',
  'message.im': 'im:history',
  app_home_opened: null,
  assistant_thread_started: 'assistant:write',
  assistant_thread_context_changed: 'assistant:write',
};

/** Slash commands and shortcuts need the `commands` scope. */
export const INTERACTION_SCOPES = ['commands'] as const;
