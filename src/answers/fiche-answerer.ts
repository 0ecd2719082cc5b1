import type { Fiche } from '../core/fiche.js';
import type { Answer } from '../core/types.js';
import { answerFieldQuestion } from '../fiches/fields.js';
import { findFiches, listFiches } from '../fiches/registry.js';
import type { KnowledgeBase } from '../search/knowledge-base.js';
import type { SqliteDb } from '../storage/sqlite.js';
import type { AskOptions, StructuredAnswerer } from './answer-service.js';
import { clip } from './quote.js';
import type { AnalyzedQuestion, QuestionType } from './question.js';
import { topicTerms } from './passages.js';
import { analyze } from '../text/french.js';
import { foldForMatch } from '../text/fold.js';

type FicheField = Parameters<typeof answerFieldQuestion>[1];

const FIELD_OF: Partial<Record<QuestionType, FicheField>> = {
  pilot: 'pilots',
  indicators: 'indicators',
  partners: 'partners',
  public: 'targetPublic',
  objectives: 'objectives',
  steps: 'steps',
  deadline: 'milestones',
  budget: 'funding',
};

/**
 * "Qui pilote la fiche pair-aidance ?", "quels indicateurs pour la fiche 3 ?":
 * answered from the fiche registry's parsed fields, not from loose passages,
 * when the question clearly designates one fiche.
 */
export class FicheAnswerer implements StructuredAnswerer {
  constructor(private readonly db: SqliteDb, private readonly kb: KnowledgeBase) {}

  answer(q: AnalyzedQuestion, searchText: string, opts: AskOptions): Answer | null {
    const field = FIELD_OF[q.type];
    if (!field) return null;
    // Dated questions ("le budget 2026", "au COPIL de mars") are about meetings and years, not the fiche as written.
    // So are questions on what changed since ("reportée à quand ?"): the minutes know, not the fiche.
    if (q.years.length || q.days.length || q.months.length || q.meetings.length || q.wantsNext || q.asksUpdate) return null;
    const fiche = this.designatedFiche(q, searchText);
    if (!fiche) {
      // "Qui pilote la fiche sur les addictions ?" with no such fiche: say so rather than quote a fiche that mentions addictions.
      if (EXPLICIT_FICHE.test(foldForMatch(q.text)) && !q.ficheNumbers.length && listFiches(this.db).length) return noSuchFiche(this.db, searchText, opts.allowSource);
      return null;
    }
    if (!fiche.source) return null;
    // A place or body named in the question ("le PTSM de la Corrèze") must be the fiche's own.
    const ficheText = foldForMatch(JSON.stringify(fiche));
    if (q.names.some((n) => !ficheText.includes(foldForMatch(n)))) return null;
    if (opts.allowSource && !opts.allowSource(fiche.source.path)) return null;
    const text = answerFieldQuestion(fiche, field);
    if (!text) return null;
    const title = fiche.title;
    const body = text.items.length > 1 ? `\n${text.items.map((i) => `  - ${i}`).join('\n')}\n ` : ` ${text.text}`;
    return {
      answer: `D'après la fiche « ${title} »${fiche.source.page ? ` (p. ${fiche.source.page})` : ''} :${body} [1]`,
      abstained: false,
      citations: [{ source: fiche.source.path, title: fiche.source.title, page: fiche.source.page, section: sectionOf(this.kb, fiche, text.text), quote: clip(text.text, 300) }],
    };
  }

  /** The fiche the question names: by number ("fiche 3", "FA 12") or clearly by topic. */
  private designatedFiche(q: AnalyzedQuestion, searchText: string): Fiche | null {
    if (q.ficheNumbers.length) {
      const n = q.ficheNumbers[0]!;
      const numbered = new RegExp(`\\b(fiche(\\s+action)?|fa)\\s*(n°\\s*)?${n.replace('.', '\\.')}\\b`, 'i');
      return listFiches(this.db).find((f) => String(f.number) === n || f.id.endsWith(`-${n}`) || numbered.test(f.source?.title ?? '')) ?? null;
    }
    const [best, second] = findFiches(this.db, searchText);
    if (!best || best.score <= 0) return null;
    // Only when one fiche stands out: otherwise the passages (with their abstention checks) decide.
    if (second && second.score > best.score * 0.8) return null;
    // The fiche's own title must name the topic: "la fiche sur les addictions" is not the EMPP fiche that mentions addictions.
    const titleTerms = new Set(analyze(`${best.fiche.title} ${best.fiche.source?.title ?? ''}`));
    const topic = topicTerms(searchText).filter((t) => !GENERIC_TERMS.has(t));
    if (!topic.some((t) => titleTerms.has(t) || [...titleTerms].some((x) => x.length >= 5 && t.length >= 5 && (x.startsWith(t) || t.startsWith(x))))) return null;
    return best.fiche;
  }
}

const EXPLICIT_FICHE = /\b(fiche|action)\s+(sur|de|du|des|d'|concernant|relative|pour|consacree)\b|\bla fiche\s+(?!n°|no\b|numero|\d)[a-z]/;

/** The closest fiches are named only when the asker may see them (a private fiche's title is private too). */
function noSuchFiche(db: SqliteDb, searchText: string, allowSource: AskOptions['allowSource']): Answer {
  const visible = (f: Fiche): boolean => !allowSource || !f.source || allowSource(f.source.path);
  const close = findFiches(db, searchText).filter((f) => visible(f.fiche)).slice(0, 3).map((f) => `« ${f.fiche.title} »`);
  return {
    answer: `Je n'ai pas trouvé de fiche action sur ce sujet dans le PTSM.${close.length ? ` Fiches les plus proches : ${close.join(', ')}.` : ''}`,
    abstained: true,
    citations: [],
  };
}

const GENERIC_TERMS = new Set(analyze('santé mentale psychique psychiatrie ptsm projet territorial action fiche département personnes'));

/** The section heading of the fiche's document that holds the field, for the citation. */
function sectionOf(kb: KnowledgeBase, fiche: Fiche, fieldText: string): string | null {
  const probe = fieldText.replace(/^[^:]{1,60}:\s*/, '').split(/\n| ; /)[0]!.replace(/^\s*-\s*/, '').slice(0, 30);
  const doc = kb.manifest.documents.find((d) => d.source === fiche.source?.path);
  const chunk = doc ? kb.chunksOfDocument(doc.id).find((c) => c.text.includes(probe)) : undefined;
  return chunk?.section ?? null;
}
