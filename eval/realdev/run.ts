/**
 * Measures search and ask on ../shared/realdev (real documents, rewritten
 * public pages): the 40 text files, and the same documents printed into one
 * 77-page PDF (page recall). Used by `npm run eval`; also runnable alone:
 * `node bin/run-ts.js eval/realdev/run.ts [--verbose]`.
 */
import path from 'node:path';
import fs from 'node:fs';
import type { AnswerService } from '../../src/answers/answer-service.js';
import type { Answer } from '../../src/core/types.js';
import type { KnowledgeBase } from '../../src/search/knowledge-base.js';
import { NOT_IN_CORPUS, answerText, baseName, emptyTally, holds, record, summary, type RealQuestion, type Tally } from './metrics.js';
import { buildIndex, locateRealdev } from './sets.js';

/** What `measure` needs of an index: its search and its answering service (src/answers). */
export interface Indexed { kb: KnowledgeBase; service: AnswerService }

const base = baseName;

export interface RealdevResult { search: ReturnType<typeof summary>; ask: ReturnType<typeof summary>; failures: string[] }

/** Search top-3 passages vs ask, on one index, with one notion of "right citation". */
export async function measure(ix: Indexed, questions: RealQuestion[], rightCitation: (q: RealQuestion, c: { source: string; page: number | null }) => boolean, ask: (q: RealQuestion) => Promise<Answer> = (q) => ix.service.ask(q.question)): Promise<RealdevResult> {
  const s: Tally = emptyTally();
  const a: Tally = emptyTally();
  const failures: string[] = [];
  for (const q of questions) {
    const hits = await ix.kb.search(q.question, { k: 3 });
    record(s, q, { abstained: false, cited: hits.some((h) => rightCitation(q, h.chunk)), text: hits.map((h) => h.chunk.text).join('\n') });
    const ans = await ask(q);
    const r = record(a, q, { abstained: ans.abstained, cited: ans.citations.slice(0, 3).some((c) => rightCitation(q, c)), text: answerText(ans) });
    if (q.answer === NOT_IN_CORPUS ? !ans.abstained : ans.abstained || !r.evidence || !r.fact) {
      failures.push(`${q.id} ${q.question}\n      → ${ans.abstained ? '(abstention) ' : ''}${ans.answer.replace(/\s+/g, ' ').slice(0, 220)}${ans.citations.length ? `\n      cit: ${ans.citations.slice(0, 3).map((c) => `${base(c.source)}${c.page ? ` p.${c.page}` : ''}`).join(', ')}` : ''}\n      attendu: ${q.source ?? ''}${q.pages ? ` p.${q.pages.join(',')}` : ''} ${q.evidence?.slice(0, 120) ?? ''}`);
    }
  }
  return { search: summary(s), ask: summary(a), failures };
}

export const bySource = (q: RealQuestion, c: { source: string }): boolean => Boolean(q.source) && base(c.source) === q.source;
export const byPage = (q: RealQuestion, c: { page: number | null }): boolean => c.page !== null && (q.pages ?? []).includes(c.page);

const fmt = (x: number | null): string => (x === null ? '  —  ' : x.toFixed(3));
export function printRow(label: string, m: ReturnType<typeof summary>, log: (s: string) => void): void {
  log(`  ${label.padEnd(34)} ${fmt(m.citationRecallAt3)}   ${fmt(m.evidence)}   ${fmt(m.fact)}   ${fmt(m.abstentionPrecision)} / ${fmt(m.abstentionRecall)}`);
}

if (process.argv[1] && import.meta.url === `file://${path.resolve(process.argv[1])}`) {
  const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
  const set = locateRealdev(root);
  if (!set) { console.log('../shared/realdev absent : rien à mesurer.'); process.exit(0); }
  const verbose = process.argv.includes('--verbose');
  const log = (s: string): void => { process.stdout.write(s + '\n'); };
  const txt = await buildIndex('realdev', [set.corpusDir], root, false);
  const r = await measure(txt, set.questions, bySource);
  log(`realdev (${set.questions.length} questions)            cit@3   evid    fact    abst P / R`);
  printRow('search top 3', r.search, log);
  printRow('ask', r.ask, log);
  const pdf = await buildIndex('realdev-pdf', [set.pdf], root, false);
  const p = await measure(pdf, set.pdfQuestions, byPage);
  printRow('PDF: search top 3 (pages)', p.search, log);
  printRow('PDF: ask (pages)', p.ask, log);
  const fu = await measureFollowUps(txt, path.join(root, 'eval/realdev/followups.jsonl'));
  log(`  relances résolues : ${fu.resolved}/${fu.total}`);
  if (verbose) for (const f of fu.failures) log('  ' + f);
  if (verbose) { log('\nÉchecs (texte) :'); for (const f of r.failures) log('  ' + f); log('\nÉchecs (PDF) :'); for (const f of p.failures) log('  ' + f); }
  txt.close();
  pdf.close();
}

export interface RealFollowUp { id: string; history: Array<{ role: 'user' | 'assistant'; content: string }>; question: string; source: string; evidence: string; answer: string }

/** Two-turn follow-ups written on realdev's documents: right when the answer cites the document and holds the evidence. */
export async function measureFollowUps(ix: Indexed, file: string): Promise<{ total: number; resolved: number; failures: string[] }> {
  if (!fs.existsSync(file)) return { total: 0, resolved: 0, failures: [] };
  const list = fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as RealFollowUp);
  let resolved = 0;
  const failures: string[] = [];
  for (const f of list) {
    const a = await ix.service.ask(f.question, { history: f.history });
    const ok = !a.abstained && a.citations.slice(0, 3).some((c) => base(c.source) === f.source) && holds(f.evidence, answerText(a));
    if (ok) resolved++;
    else failures.push(`${f.id} relance « ${f.question} » (après « ${f.history[0]!.content} ») → ${a.answer.replace(/\s+/g, ' ').slice(0, 160)}`);
  }
  return { total: list.length, resolved, failures };
}
