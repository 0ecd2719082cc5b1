/** Drafting a fiche action from a chat thread (offline, no model). */
export { draftFicheOffline, threadHash, FIELD_LABELS, type DraftOptions } from './offline.js';
export { loadThreadFile, parsePlainThread, threadFromJson, threadFromText } from './load-thread.js';
