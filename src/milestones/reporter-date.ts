import { PtsmError } from '../core/errors.js';
import { parseFrenchDate } from './french-dates.js';
import { isIsoDate } from './local-time.js';

/**
 * The new due date of a "Reporter" answer: an ISO date from a date picker, or
 * words typed by the pilot ("fin septembre 2026", "T4 2026"), read by the
 * project's French date parser. A period counts up to its last day.
 */
export interface ParsedDateLike {
  end: string | null;
  flagged?: boolean;
  reason?: string | null | undefined;
}

/** `ref` is the local day of the answer (YYYY-MM-DD), to read "fin du mois", "dans 3 mois". */
export type ParseDate = (text: string, ref: string) => ParsedDateLike;

const defaultParse: ParseDate = (text, ref) => parseFrenchDate(text, ref);

export function resolveReportDate(
  answer: { newDue?: string | undefined; newDueText?: string | undefined },
  today: string,
  parse: ParseDate = defaultParse,
): { due: string; text: string } {
  const iso = answer.newDue?.trim();
  if (iso) {
    if (!isIsoDate(iso)) {
      throw new PtsmError('DATE_UNREADABLE', `Date de report invalide : « ${iso} ». Attendu : AAAA-MM-JJ, par exemple 2026-09-30.`, { input: iso });
    }
    return { due: iso, text: answer.newDueText?.trim() || iso };
  }
  const words = answer.newDueText?.trim();
  if (!words) {
    throw new PtsmError('USAGE', 'Pour reporter, indiquez la nouvelle échéance (par exemple « fin septembre 2026 » ou 2026-09-30).', { input: '' });
  }
  if (isIsoDate(words)) return { due: words, text: words };
  const parsed = parse(words, today);
  if (!parsed.end || !isIsoDate(parsed.end)) {
    const why = parsed.reason ? ` (${parsed.reason})` : '';
    throw new PtsmError('DATE_UNREADABLE', `Je n'ai pas compris la nouvelle échéance « ${words} »${why}. Essayez par exemple « fin septembre 2026 » ou 2026-09-30.`, { input: words });
  }
  return { due: parsed.end, text: words };
}
