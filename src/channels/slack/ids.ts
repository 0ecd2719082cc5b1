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
