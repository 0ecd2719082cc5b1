import type { Logger } from '../core/logger.js';
import type { Answer, ConversationTurn } from '../core/types.js';
import { protectAnswer } from '../privacy/index.js';
import type { KnowledgeBase, ScoredChunk } from '../search/knowledge-base.js';
import { resolveFollowUp } from './follow-up.js';
import { Glossary } from './glossary.js';
import { DocumentView } from './document-view.js';
import { SHIPPED_ANSWER_MODEL, type AnswerModel } from './model/answer-model.js';
import { DEFAULT_TUNING, abstain, answerOffline, type OfflineTrace, type OfflineTuning } from './offline-answerer.js';
import { analyze } from '../text/french.js';
import { topicTerms, type QueryTerm } from './passages.js';
import { analyzeQuestion, type AnalyzedQuestion } from './question.js';

export interface AskOptions {
  history?: readonly ConversationTurn[];
  /** Channel scope: only these documents may be searched and quoted. */
  allowSource?: (source: string) => boolean;
  /** LLM mode: receives the partial answer as it streams. */
  onToken?: (partial: string) => void;
}

/** A structured source of answers (the fiche registry), consulted before loose passages. */
export interface StructuredAnswerer {
  answer(q: AnalyzedQuestion, searchText: string, opts: AskOptions): Answer | null;
}

/** An LLM that writes the final answer from the retrieved excerpts (see llm-answerer.ts). */
export interface GenerativeAnswerer {
  answer(input: { question: string; history: readonly ConversationTurn[]; excerpts: readonly ScoredChunk[]; offline: Answer; onToken?: (partial: string) => void }): Promise<Answer>;
  condense(question: string, history: readonly ConversationTurn[]): Promise<string>;
}

export interface AnswerServiceDeps {
  kb: KnowledgeBase;
  logger: Logger;
  glossary?: Glossary;
  structured?: StructuredAnswerer | null;
  /** The decisions register (src/decisions), consulted before the fiche registry. */
  decisions?: StructuredAnswerer | null;
  llm?: GenerativeAnswerer | null;
  tuning?: OfflineTuning;
  /** The fitted decisions of the offline answerer; the shipped model by default (eval passes fold models). */
  model?: AnswerModel;
}

/** Candidates read by the answerer: more than shown, fewer than slow. */
const RETRIEVE_K = 12;

/**
 * The one answering service every channel uses: question (+ history) →
 * retrieval → `{answer, abstained, citations}`. Offline by default; with an
 * LLM, the LLM writes from the same excerpts and the offline answer is the
 * fallback.
 */
export class AnswerService {
  readonly glossary: Glossary;
  private readonly tuning: OfflineTuning;
  private readonly model: AnswerModel;
  private readonly docs: DocumentView;
  /** The offline pipeline's stages for the last question asked (eval and diagnostics only: concurrent questions overwrite it). */
  lastTrace: OfflineTrace | null = null;

  constructor(private readonly deps: AnswerServiceDeps) {
    this.glossary = deps.glossary ?? Glossary.fromChunks(deps.kb.glossaryChunks());
    this.tuning = deps.tuning ?? DEFAULT_TUNING;
    this.model = deps.model ?? SHIPPED_ANSWER_MODEL;
    this.docs = new DocumentView(deps.kb.snapshot);
  }

  /** Whichever way it was built, the answer never quotes what looks like patient data (src/privacy). */
  async ask(question: string, opts: AskOptions = {}): Promise<Answer> {
    return protectAnswer(await this.compose(question, opts));
  }

  private async compose(question: string, opts: AskOptions): Promise<Answer> {
    const text = question.trim();
    if (!text) return { answer: 'Posez une question sur le PTSM, par exemple : « Qui pilote la fiche pair-aidance ? »', abstained: true, citations: [] };
    const history = opts.history ?? [];
    const followUp = resolveFollowUp(text, history);
    let searchText = followUp.text;
    if (this.deps.llm && history.length) {
      searchText = await this.deps.llm.condense(text, history).catch((e: unknown) => {
        this.deps.logger.warn('LLM condense failed, using offline follow-up resolution', { error: String(e) });
        return searchText;
      });
    }
    let q = analyzeQuestion(text, this.glossary.known());
    if (followUp.carried && q.type === 'generic') {
      // "et en 2025 ?" asks the same kind of fact as the question before it.
      const previous = analyzeQuestion(followUp.carried, this.glossary.known());
      q = { ...q, type: previous.type, meetings: q.meetings.length ? q.meetings : previous.meetings };
    }
    const { offline, hits, trace } = await this.answerWithoutLlm(q, searchText, opts, followUp.carried ? text : null);
    this.lastTrace = trace;
    if (!this.deps.llm || !hits.length) return offline;
    try {
      return await this.deps.llm.answer({ question: text, history, excerpts: byBestUnit(hits, trace), offline, ...(opts.onToken ? { onToken: opts.onToken } : {}) });
    } catch (e) {
      this.deps.logger.warn('LLM answer failed, falling back to the offline answer', { error: String(e) });
      return offline;
    }
  }

  private async answerWithoutLlm(q: AnalyzedQuestion, searchText: string, opts: AskOptions, ownQuestion: string | null = null): Promise<{ offline: Answer; hits: ScoredChunk[]; trace: OfflineTrace | null }> {
    if (q.type === 'acronym' && q.acronym) {
      const entry = this.glossary.lookup(q.acronym);
      if (entry?.citation && (!opts.allowSource || opts.allowSource(entry.citation.source))) {
        return {
          offline: { answer: `${q.acronym} : ${entry.expansion}. D'après ${entry.citation.title} : « ${entry.definition} » [1]`, abstained: false, citations: [entry.citation] },
          hits: [],
          trace: null,
        };
      }
    }
    const terms = this.queryTerms(searchText, ownQuestion);
    // Abbreviations ("télépsy", "périnat") are searched under the corpus words they stand for.
    const abbreviations = terms.filter((t) => t.alts[0] !== t.term).flatMap((t) => t.alts);
    const structuredText = [searchText, ...abbreviations].join(' ');
    const structured = this.deps.decisions?.answer(q, structuredText, opts) ?? this.deps.structured?.answer(q, structuredText, opts) ?? null;
    const corpusHas = (acronym: string): boolean => analyze(acronym).some((t) => this.deps.kb.idf(t) > 0);
    const expansion = [this.glossary.expandQuery(searchText, corpusHas), ...abbreviations].filter(Boolean).join(' ; ');
    const hits = await this.deps.kb.search(searchText, { k: RETRIEVE_K, expansion, ...(opts.allowSource ? { allowSource: opts.allowSource } : {}) });
    if (structured) return { offline: structured, hits, trace: null };
    if (!hits.length) return { offline: abstain(hits), hits, trace: null };
    const { answer, trace } = answerOffline(q, hits, terms, this.model, this.tuning, this.docs);
    return { offline: answer, hits, trace };
  }

  /**
   * Topic terms weighted by rarity. A word the corpus never uses either is an
   * abbreviation of one it uses ("télépsy") or weighs as much as the rarest
   * word: it names what the documents may not hold.
   */
  private queryTerms(searchText: string, ownQuestion: string | null): QueryTerm[] {
    const kb = this.deps.kb;
    const maxIdf = Math.log(1 + kb.size);
    // In a follow-up ("et son budget ?"), the topic carried from the previous turn finds the passage; the unit
    // that answers is the one holding what this turn asks, which need not repeat that topic.
    const own = ownQuestion === null ? null : new Set(topicTerms(ownQuestion));
    return topicTerms(searchText).map((term) => {
      const carried = own !== null && !own.has(term) ? { carried: true } : {};
      const idf = kb.idf(term);
      if (idf > 0) return { term, alts: [term], weight: idf, ...carried };
      const expansions = term.length >= 4 ? kb.termsWithPrefix(term) : [];
      if (expansions.length) return { term, alts: expansions, weight: Math.max(...expansions.map((e) => kb.idf(e))), ...carried };
      return { term, alts: [term], weight: maxIdf, unknown: true, ...carried };
    });
  }

}

/**
 * The LLM reads the same passages, in the order of the units the offline
 * ranker found best in them: the excerpt holding the fact comes first.
 */
function byBestUnit(hits: ScoredChunk[], trace: OfflineTrace | null): ScoredChunk[] {
  if (!trace?.ranked.length) return hits;
  const order = new Map<string, number>();
  trace.ranked.forEach((u, i) => { if (!order.has(u.chunk.id)) order.set(u.chunk.id, i); });
  return [...hits].sort((a, b) => (order.get(a.chunk.id) ?? Infinity) - (order.get(b.chunk.id) ?? Infinity));
}
