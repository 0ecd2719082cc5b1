import { Fiche, Thread } from '../../core/fiche.js';
import { PtsmError } from '../../core/errors.js';
import { threadFromJson, threadFromText } from '../../fiches/draft/index.js';
import { dueDate, parseFrenchDate } from '../../milestones/french-dates.js';
import { describeIssue } from './http-utils.js';

/**
 * Turning what the browser sends into the core's types: a pasted or imported
 * thread, and a fiche edited field by field (an edited deadline arrives as
 * text only and is read again with the French date parser).
 */
const PASTED = 'texte collé';

/** `{thread}` (JSON Thread) or `{text}` (JSON text or "Nom : message" lines). */
export function threadFromBody(body: unknown): Thread {
  const b = (body ?? {}) as { thread?: unknown; text?: unknown };
  let thread: Thread;
  try {
    if (b.thread !== undefined && b.thread !== null) {
      thread = threadFromJson(b.thread, 'fil importé');
    } else if (typeof b.text === 'string' && b.text.trim()) {
      const text = b.text.replace(/^\uFEFF/, '');
      thread = threadFromText(text, PASTED, (detail) => `Le ${PASTED} commence comme du JSON mais n'en est pas : ${detail}. Collez le JSON complet, ou des lignes « Nom : message ».`);
    } else {
      throw new PtsmError('THREAD_INVALID', 'Collez un fil de discussion (lignes « Nom : message » ou JSON) avant de générer le brouillon.', { input: PASTED });
    }
  } catch (e) {
    // The parsers speak of files; here the user pasted or imported text.
    if (e instanceof PtsmError) throw new PtsmError(e.code, e.message.replace(/Le fichier « (texte collé|fil importé) »/g, 'Le $1'), { input: e.input ?? PASTED });
    throw e;
  }
  if (!thread.messages.length) {
    throw new PtsmError('THREAD_INVALID', 'Le fil de discussion ne contient aucun message.', { input: PASTED });
  }
  return thread;
}

/** Validates an edited fiche; deadlines typed by hand get their date from the text. */
export function ficheFromBody(body: unknown, today: string): Fiche {
  const raw = (body as { fiche?: unknown } | null)?.fiche;
  if (!raw || typeof raw !== 'object') {
    throw new PtsmError('CHANNEL_EVENT_INVALID', 'Aucune fiche reçue : générez un brouillon avant de valider ou d\'exporter.', { input: 'fiche' });
  }
  const candidate = { ...(raw as Record<string, unknown>) };
  if (Array.isArray(candidate['milestones'])) {
    candidate['milestones'] = (candidate['milestones'] as Array<Record<string, unknown>>).map((m) => {
      if (!m || typeof m !== 'object') return m;
      const dueText = typeof m['dueText'] === 'string' ? m['dueText'].trim() : '';
      if (m['due'] || !dueText) return m;
      const parsed = parseFrenchDate(dueText, today);
      return { ...m, dueText, due: dueDate(parsed), start: parsed.start, precision: parsed.precision };
    });
  }
  const parsed = Fiche.safeParse(candidate);
  if (!parsed.success) {
    throw new PtsmError('CHANNEL_EVENT_INVALID', describeIssue(parsed.error.issues[0]!, 'Fiche'), { input: 'fiche' });
  }
  return parsed.data;
}
