import type { AskOptions, StructuredAnswerer } from '../answers/answer-service.js';
import { clip } from '../answers/quote.js';
import { topicTerms } from '../answers/passages.js';
import type { AnalyzedQuestion } from '../answers/question.js';
import type { Answer, Citation } from '../core/types.js';
import type { SqliteDb } from '../storage/sqlite.js';
import { analyze } from '../text/french.js';
import { foldForMatch } from '../text/fold.js';
import { listDecisions } from './store.js';
import type { DecisionEntry } from './types.js';

/**
 * What a question about decisions sounds like, as data: a decision verb, a
 * "who was to" form, or a question on when something was validated.
 */
const ASKS = {
  decision: /\b(decid\w*|decision\w*|acte(e|es|s)?|arbitr\w*|arrete(e|es|s)?|retenu|retenir|conclu|ressorti|releve de decision\w*)\b/,
  who: /\bqui (devait|doit|doivent|devaient|etait charge|est charge|s'est engage|s'etait engage|va|allait|avait en charge)\b/,
  validation: /\b(valid\w*|adopt\w*|approuv\w*|entérin\w*|enterin\w*|vote\w*)\b/,
  postponement: /\b(report\w*|decal\w*|repouss\w*)\b/,
} as const;

/** Words that say a question is about decisions, not what it is about: left out of its topic. */
const NOT_TOPIC = new Set(analyze(
  'décider décidé décidée décision décisions acter acté actée valider validé validée validation adopter adopté approuver approuvé '
  + 'arbitrer arbitrage retenu conclu reporter reporté devait doit devaient chargé engagé relevé compte rendu réunion séance '
  + 'copil cotech plénière groupe travail comité pilotage technique cts clsm bureau quand qui quoi quel quelle quels '
  + 'janvier février mars avril mai juin juillet août septembre octobre novembre décembre dernier dernière fiche action '
  + 'ptsm projet territorial santé mentale',
));

const MONTHS = ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'];
const FOLDED_MONTHS = MONTHS.map((m) => foldForMatch(m));

/**
 * « Qu'a-t-on décidé au COPIL de mars ? », « quand a-t-on validé la fiche 12 ? »,
 * « qui devait relancer la MDPH ? »: answered from the decisions register,
 * with the meeting's date and the minutes quoted. A meeting asked about that
 * no minutes report gets an honest « je n'ai pas trouvé », with the meetings
 * that are reported.
 */
export class DecisionAnswerer implements StructuredAnswerer {
  constructor(private readonly db: SqliteDb) {}

  answer(q: AnalyzedQuestion, searchText: string, opts: AskOptions): Answer | null {
    const folded = foldForMatch(q.text).replace(/[’]/g, "'");
    const asksWho = ASKS.who.test(folded);
    const asksValidation = ASKS.validation.test(folded);
    const aboutMeeting = q.meetings.length > 0;
    const asksDecision = q.type === 'decision' || ASKS.decision.test(folded) || asksWho
      || (asksValidation && (q.ficheNumbers.length > 0 || /\bquand\b/.test(folded) || aboutMeeting))
      || (aboutMeeting && ASKS.postponement.test(folded));
    if (!asksDecision) return null;
    const entries = listDecisions(this.db).filter((e) => !opts.allowSource || opts.allowSource(e.source));
    if (!entries.length) return null;
    const topic = topicTerms(searchText).filter((t) => !NOT_TOPIC.has(t) && !/^\d+$/.test(t));
    // Only a question on what was decided may be answered "not reported": "le CTS a validé le diagnostic quand ?" is for the documents.
    const explicit = q.type === 'decision' || ASKS.decision.test(folded);

    if (aboutMeeting || q.days.length || (q.months.length && !q.ficheNumbers.length)) return this.byMeeting(q, entries, topic, explicit);
    if (q.ficheNumbers.length) {
      const n = Number(q.ficheNumbers[0]);
      // "Qui devait signer la convention de la fiche 4 ?" is about one entry; "qui doit être contacté pour la fiche 4 ?" is for the fiche.
      return asksValidation || explicit ? this.byFiche(n, entries, asksValidation, topic) : this.byTopic(entries.filter((e) => e.fiches.includes(n)), topic, asksWho);
    }
    // "Le PTSM a été adopté quand ?" is for the documents; "qui devait…", "qu'a-t-on décidé sur…" are for the register.
    return asksWho || explicit ? this.byTopic(entries, topic, asksWho) : null;
  }

  /** The decisions of the meeting asked about, or the list of meetings reported when it is not. */
  private byMeeting(q: AnalyzedQuestion, entries: DecisionEntry[], topic: string[], explicit: boolean): Answer | null {
    const wantedBodies = q.meetings.map((m) => foldForMatch(m));
    const ofBody = entries.filter((e) => !wantedBodies.length || wantedBodies.includes(foldForMatch(e.meeting)));
    const meetings = groupByMeeting(ofBody).filter((m) => {
      const date = m.date ?? '';
      if (q.days.some((d) => d.iso) && !q.days.some((d) => d.iso === date)) return false;
      if (q.years.length && !q.years.includes(date.slice(0, 4))) return false;
      if (q.months.length && !q.months.some((mo) => FOLDED_MONTHS.indexOf(mo) + 1 === Number(date.slice(5, 7)))) return false;
      return true;
    });
    if (!meetings.length) return explicit ? notReported(q, groupByMeeting(ofBody.length ? ofBody : entries)) : null;
    // "Le GT crise d'octobre": the meeting whose title names the topic; else the latest ("le COPIL de mars" of two years).
    const titleScore = (m: Meeting): number => { const t = new Set(analyze(`${m.entries[0]!.meetingTitle} ${m.source}`)); return topic.filter((x) => t.has(x)).length; };
    const best = Math.max(...meetings.map(titleScore));
    const chosen = meetings.filter((m) => titleScore(m) === best).pop()!;
    const titleTerms = new Set(analyze(`${chosen.entries[0]!.meetingTitle} ${chosen.source}`));
    const rest = topic.filter((t) => !titleTerms.has(t));
    let items = chosen.entries;
    if (rest.length) {
      // A topic the meeting's decisions do not cover ("la répartition du budget", in a table): the passages answer better.
      items = items.filter((e) => coverage(e, rest) >= 0.5);
      if (!items.length) return null;
    }
    const decisions = items.filter((e) => e.kind === 'décision');
    const actions = items.filter((e) => e.kind === 'action');
    const ordered = [...decisions, ...actions].slice(0, 10);
    const citations = ordered.map(citationOf);
    const room = ordered.length <= 3 ? 700 : 260;
    const lines = ordered.map((e, i) => `  - ${e.kind === 'action' ? `À faire : ${actionText(e)}` : clip(e.decision, room)} [${i + 1}]`);
    const others = meetings.length > 1 ? ` (autre relevé correspondant : ${meetings.slice(0, -1).map((m) => labelOf(m.entries[0]!)).join(', ')})` : '';
    const head = decisions.length
      ? `${capitalize(withArticle('à', chosen.entries[0]!))}, ${decisions.length === 1 ? 'la décision relevée est' : `${decisions.length} décisions sont relevées`}${actions.length ? ` (et ${actions.length} suite${actions.length > 1 ? 's' : ''} à donner)` : ''}${others} :`
      : `Le compte rendu ${withArticle('de', chosen.entries[0]!)} ne relève pas de décision ; suites à donner${others} :`;
    return { answer: `${head}\n${lines.join('\n')}\n`, abstained: false, citations };
  }

  /** "Quand a-t-on validé la fiche 12 ?", "qu'a-t-on décidé pour la fiche 8 ?". */
  private byFiche(n: number, entries: DecisionEntry[], asksValidation: boolean, topic: string[]): Answer | null {
    let about = entries.filter((e) => e.fiches.includes(n));
    if (!about.length) return null;
    const onTopic = topic.length ? about.filter((e) => coverage(e, topic) >= 0.5) : [];
    if (onTopic.length) about = onTopic;
    if (asksValidation) {
      const validated = about.filter((e) => ASKS.validation.test(foldForMatch(e.decision)) || /\b(prioritaire|approuve|adopte|cree)\b/.test(foldForMatch(e.decision)));
      if (validated.length) {
        const lines = validated.slice(0, 5).map((e, i) => `  - ${labelOf(e)} : « ${clip(e.decision, 240)} » [${i + 1}]`);
        return { answer: `D'après les relevés de décisions, la fiche ${n} :\n${lines.join('\n')}\n`, abstained: false, citations: validated.slice(0, 5).map(citationOf) };
      }
    }
    const shown = about.slice(-6);
    const lines = shown.map((e, i) => `  - ${labelOf(e)} : ${e.kind === 'action' ? `à faire : ${actionText(e)}` : `« ${clip(e.decision, 240)} »`} [${i + 1}]`);
    const head = asksValidation
      ? `Je n'ai pas trouvé de décision validant la fiche ${n} dans les relevés de décisions. Ce que les relevés décident à son sujet :`
      : `Décisions relevées sur la fiche ${n} :`;
    return { answer: `${head}\n${lines.join('\n')}\n`, abstained: false, citations: shown.map(citationOf) };
  }

  /** "Qui devait relancer la MDPH ?": the entry that best covers the question's topic. */
  private byTopic(entries: DecisionEntry[], topic: string[], asksWho: boolean): Answer | null {
    if (!topic.length) return null;
    // Asked "qui devait…": an entry that names someone beats a closer wording that names no one.
    const named = (e: DecisionEntry): number => (asksWho && e.who.length ? 1 : 0);
    const scored = entries.map((e) => ({ e, s: coverage(e, topic) })).filter((x) => x.s >= 0.6)
      .sort((a, b) => named(b.e) - named(a.e) || b.s - a.s || (b.e.date ?? '').localeCompare(a.e.date ?? ''));
    if (!scored.length) return null;
    const best = scored[0]!.e;
    if (asksWho) {
      const who = best.who.length
        ? `${best.who.join(' et ')}${best.due ? `, pour le ${frDate(best.due)}${best.dueText ? ` (« ${best.dueText} »)` : ''}` : ''}`
        : 'le relevé ne nomme personne';
      return { answer: `D'après le relevé ${withArticle('de', best)} : ${who}. « ${clip(best.decision, 260)} » [1]`, abstained: false, citations: [citationOf(best)] };
    }
    const shown = scored.slice(0, 4).map((x) => x.e);
    const lines = shown.map((e, i) => `  - ${labelOf(e)} : « ${clip(e.decision, 240)} » [${i + 1}]`);
    return { answer: `D'après les relevés de décisions :\n${lines.join('\n')}\n`, abstained: false, citations: shown.map(citationOf) };
  }
}

interface Meeting { source: string; date: string | null; entries: DecisionEntry[] }

function groupByMeeting(entries: DecisionEntry[]): Meeting[] {
  const by = new Map<string, Meeting>();
  for (const e of entries) {
    const m = by.get(e.source) ?? { source: e.source, date: e.date, entries: [] };
    m.entries.push(e);
    by.set(e.source, m);
  }
  return [...by.values()].sort((a, b) => (a.date ?? '').localeCompare(b.date ?? ''));
}

/** Share of the question's topic terms (weighted equally) found in the entry. */
function coverage(e: DecisionEntry, topic: string[]): number {
  const terms = new Set(analyze(`${e.decision} ${e.who.join(' ')}`));
  return topic.filter((t) => terms.has(t)).length / topic.length;
}

function notReported(q: AnalyzedQuestion, reported: Meeting[]): Answer {
  const body = q.meetings[0] ? displayBody(q.meetings[0]) : 'la réunion';
  const when = q.days.find((d) => d.iso)
    ? ` du ${frDate(q.days.find((d) => d.iso)!.iso)}`
    : `${q.months.length ? ` de ${MONTHS[FOLDED_MONTHS.indexOf(q.months[0]!)] ?? q.months[0]}` : ''}${q.years.length ? ` ${q.months.length ? '' : 'de '}${q.years[0]}` : ''}`;
  const list = reported.slice(-8).map((m) => labelOf(m.entries[0]!));
  return {
    answer: `Je n'ai pas trouvé de relevé ${body.startsWith('la ') ? 'de ' : 'du '}${body}${when}.${list.length ? ` Réunions dont j'ai le relevé de décisions : ${list.join(', ')}.` : ''}`,
    abstained: true,
    citations: [],
  };
}

function displayBody(m: string): string {
  const table: Record<string, string> = { copil: 'COPIL', cotech: 'COTECH', pleniere: 'plénière', cts: 'CTS', clsm: 'CLSM', 'groupe de travail': 'groupe de travail' };
  return table[m] ?? m;
}

/** Bodies French makes feminine: "à la plénière", "de la plénière". */
const FEMININE = new Set(['plénière', 'réunion', 'commission']);

/** "au COPIL du 12 mars 2026", "à la plénière du 27 novembre 2025", "du COTECH…", "de la plénière…". */
function withArticle(prep: 'à' | 'de', e: Pick<DecisionEntry, 'meeting' | 'date'>): string {
  const fem = FEMININE.has(e.meeting);
  const article = prep === 'à' ? (fem ? 'à la' : 'au') : (fem ? 'de la' : 'du');
  return `${article} ${labelOf(e)}`;
}

const capitalize = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

/** "COPIL du 12 mars 2026", "groupe de travail du 21 avril 2026". */
export function labelOf(e: Pick<DecisionEntry, 'meeting' | 'date'>): string {
  return `${e.meeting}${e.date ? ` du ${frDate(e.date)}` : ''}`;
}

function actionText(e: DecisionEntry): string {
  const parts = [clip(e.decision, 200)];
  const who = e.who.length ? e.who.join(', ') : null;
  const when = e.due ? frDate(e.due) : e.dueText;
  if (who || when) parts.push(`(${[who, when ? `échéance ${when}` : null].filter(Boolean).join(', ')})`);
  return parts.join(' ');
}

/** 2026-03-12 → "12 mars 2026". */
export function frDate(iso: string): string {
  const [y, m, d] = iso.split('-').map(Number);
  if (!y || !m || !d) return iso;
  return `${d === 1 ? '1er' : d} ${MONTHS[m - 1]} ${y}`;
}

function citationOf(e: DecisionEntry): Citation {
  return { source: e.source, title: e.title, page: e.page, section: e.section, quote: clip(e.decision, 300) };
}
