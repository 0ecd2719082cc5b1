/**
 * Milestones: a date expression ("avant l'été", "T2 2026", "d'ici la fin de
 * l'année prochaine") in a sentence where something happens ("lancement",
 * "former", "premier bilan"). The label comes from the clause around the date;
 * the same milestone restated later ("le lancement est décalé à mars") keeps
 * only its latest date.
 */
import type { FicheMilestone } from '../../core/fiche.js';
import { findDateExpressions } from '../../milestones/french-dates.js';
import { ACTION_NOUNS, MILESTONE_ACTION_RE } from './cues.js';
import { CUES, isNotADeadline } from './cues/engine.js';
import type { Item, Statement } from './resolve.js';
import type { Segment } from './segment.js';
import { capitalize, foldSameLength, keyOf, tidy } from './text.js';

const LABEL_LEAD_RE = /^(?:(?:et|puis|ensuite|enfin|donc|alors|ok|oui|valide|idealement|finalement|au final|en fait|plutot|du coup|dans ce cas|calendrier|pour le calendrier|pour les dates|cote calendrier|on peut|on pourrait|on va|on vise|on compte|il faudrait|il faut|l'objectif c'est que|l'objectif est que|et l'objectif c'est que|on prevoit|prevu|prevue|avec|le|la|les|l'|on|nous|je)\s*[,:]?\s+)+/;
/** The date is taken back: "plutôt qu'avant l'été", "au lieu de janvier", "pas avant mars". */
const NEGATED_DATE_RE = /(?:plutot qu[e']|au lieu d[e']|pas (?:avant|en|pour|d'ici)?|et non(?: pas)?)\s*$/;

const DURATION_RE = /\d+\s*(?:h|heures?|jours?|j|min|minutes?|semaines?)\b|\b(?:dans les|sous|en moins de)\b/;
const TRAILING_RE = /\s+(?:a la|a l'|au|aux|en|le|la|les|pour le|pour la|pour|de|du|des|d'ici|avant|apres|prevue?s?|a partir d[eu]|fin|debut|courant|mi|vers|a|dans)\s*$/;


function articleToPartitive(s: string): string {
  return s
    .replace(/^le\s+/i, 'du ')
    .replace(/^les\s+/i, 'des ')
    .replace(/^la\s+/i, 'de la ')
    .replace(/^l['’]/i, "de l'")
    .replace(/^(?:un|une)\s+/i, (m) => `d'${m.trim()} `)
    .replace(/^(?=[^d])/, 'de ');
}

/** "former les conseillers" → "Formation des conseillers"; "premier bilan" stays. */
export function labelFrom(clause: string): string {
  let raw = tidy(clause);
  const lead = LABEL_LEAD_RE.exec(foldSameLength(raw));
  if (lead) raw = raw.slice(lead[0].length);
  for (let i = 0; i < 4; i++) {
    const t = TRAILING_RE.exec(foldSameLength(raw));
    if (!t) break;
    raw = raw.slice(0, t.index).trim();
  }
  const norm = foldSameLength(raw);
  const verb = /^([a-z]+)\s+(.*)$/.exec(norm);
  // Only verbs become nouns: "former les conseillers" → "Formation des conseillers"; "Lancement en semaine" stays.
  if (verb && !/(?:ment|tion|sion|ure|age|ee)$/.test(verb[1]!)) {
    for (const [re, noun] of ACTION_NOUNS) {
      if (re.test(verb[1]!)) {
        const object = raw.slice(verb[1]!.length).trim();
        return capitalize(object ? `${noun} ${articleToPartitive(object)}` : noun).slice(0, 90);
      }
    }
  }
  return capitalize(raw).slice(0, 90);
}

const CLAUSE_BOUNDARY_RE = /[,;:()]|\s(?:et|puis|ensuite|mais)\s/g;

function clauseAround(raw: string, norm: string, start: number, end: number, prevEnd: number): string {
  let from = prevEnd;
  CLAUSE_BOUNDARY_RE.lastIndex = 0;
  for (const m of norm.slice(0, start).matchAll(CLAUSE_BOUNDARY_RE)) {
    const at = (m.index ?? 0) + m[0].length;
    if (at > from && at <= start) from = at;
  }
  const before = raw.slice(from, start);
  if (/\p{L}{3,}/u.test(before.replace(/\b(?:et|puis|on|le|la|les|en|au|pour)\b/gi, ''))) return before;
  // "En janvier 2026, démarrage de …": the label follows the date.
  const after = raw.slice(end);
  const stop = /[,;:.!?()]|\s(?:et|puis|mais)\s/.exec(after);
  return stop ? after.slice(0, stop.index) : after;
}

/** A milestone with the message its date was read in and that message's day. */
export type DraftMilestone = FicheMilestone & { source: string; ref: string };

/**
 * Each date is read against the day of the message that writes it (« fin février »
 * on 13 January 2026 is 2026-02-28); a date before that day is history, not a milestone.
 */
export function milestoneStatements(segments: Segment[]): Statement<DraftMilestone>[] {
  const out: Statement<DraftMilestone>[] = [];
  for (const seg of segments) {
    if (seg.noise || seg.flags.rejection) continue;
    let calendar = seg.section === 'milestones' || seg.msg.topic === 'milestones';
    const isAction = (norm: string): boolean => MILESTONE_ACTION_RE.test(norm) || CUES.milestoneTargets.test(norm);
    if (!calendar && !isAction(seg.norm)) continue;
    if (seg.section && !['milestones', 'steps', 'objectives'].includes(seg.section) && !calendar) continue;
    let found: ReturnType<typeof findDateExpressions>;
    try {
      found = findDateExpressions(seg.raw, seg.msg.day);
    } catch {
      continue; // an unreadable date never sinks the draft
    }
    const items: Item<DraftMilestone>[] = [];
    // "Dossier déposé d'ici mars, ouverture courant 2026": several dates with an action = a calendar.
    if (found.filter((d) => d.parsed.end).length >= 2) calendar = true;
    let prevEnd = seg.bodyStart;
    for (const d of found) {
      const start = d.index;
      const end = d.index + d.text.length;
      const due = d.parsed.end;
      // "dans les 24 h", "en moins de 15 jours" are delays, not dates.
      const duration = DURATION_RE.test(foldSameLength(d.text)) || /moins de\s*$/.test(seg.norm.slice(Math.max(0, start - 12), start));
      if (!due || due < seg.msg.day || duration || isNotADeadline(d.text) || NEGATED_DATE_RE.test(seg.norm.slice(Math.max(0, start - 20), start))) {
        prevEnd = end;
        continue;
      }
      const clause = clauseAround(seg.raw, seg.norm, start, end, prevEnd);
      prevEnd = end;
      if (!calendar && !isAction(foldSameLength(clause))) continue;
      const label = labelFrom(clause);
      if (!label || label.length < 3) continue;
      items.push({
        value: { label, dueText: d.text, due, start: d.parsed.start, precision: d.parsed.precision, source: seg.msg.id, ref: seg.msg.day },
        key: milestoneKey(label),
      });
    }
    if (items.length) out.push({ seg, items, removals: [] });
  }
  return out;
}

/** Same first two content words = same milestone ("Lancement en semaine", "Lancement"). */
export function milestoneKey(label: string): string {
  const words = keyOf(label).split(' ').filter((w) => !['du', 'de', 'des', 'la', 'le', 'les', 'l', 'd', 'en', 'au', 'a'].includes(w));
  return words.slice(0, 1).join(' ') + (words[0] && /^(?:premier|premiere|bilan|formation|session)$/.test(words[0]) ? ` ${words[1] ?? ''}` : '');
}
