/**
 * The labelled question sets the answerer is fitted and measured on, each
 * with the index it is asked on: realdev's 40 real documents (as text files
 * and as one PDF) and the sample corpus of the fictional Haute-Lironde.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AnswerService, type AnswerServiceDeps } from '../../src/answers/answer-service.js';
import { silentLogger } from '../../src/core/logger.js';
import { openStructuredAnswerer } from '../../src/cli/structured.js';
import { syncDecisions } from '../../src/decisions/index.js';
import { syncRegistry } from '../../src/fiches/registry.js';
import { indexPaths } from '../../src/ingestion/indexer.js';
import { LocalHashingEmbedder } from '../../src/search/embedders/local-hashing.js';
import { KnowledgeBase } from '../../src/search/knowledge-base.js';
import { databasePath, openDatabase } from '../../src/storage/sqlite.js';
import type { LabelledQuestion } from './cv.js';
import { NOT_IN_CORPUS, type RealQuestion } from './metrics.js';

export interface RealdevSet { questions: RealQuestion[]; pdfQuestions: RealQuestion[]; corpusDir: string; pdf: string }

/** ../shared/realdev beside the repository (CI lays a copy there), or null. */
export function locateRealdev(root: string): RealdevSet | null {
  const dir = [path.join(root, '..', 'shared', 'realdev'), process.env.PTSM_REALDEV_DIR ?? ''].find((d) => d && fs.existsSync(path.join(d, 'questions.jsonl')));
  if (!dir) return null;
  const read = (f: string): RealQuestion[] => fs.readFileSync(path.join(dir, f), 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as RealQuestion);
  return { questions: read('questions.jsonl'), pdfQuestions: read('recueil-questions.jsonl'), corpusDir: path.join(dir, 'corpus'), pdf: path.join(dir, 'recueil.pdf') };
}

export interface EvalIndex { name: string; kb: KnowledgeBase; deps: AnswerServiceDeps; service: AnswerService; dataDir: string; close: () => void }

export async function buildIndex(name: string, inputs: string[], cwd: string, withRegistry: boolean): Promise<EvalIndex> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `ptsm-eval-${name}-`));
  const embedder = new LocalHashingEmbedder();
  await indexPaths(inputs, { dataDir, embedder, logger: silentLogger, cwd });
  const kb = KnowledgeBase.open(dataDir, embedder);
  let structured: ReturnType<typeof openStructuredAnswerer> = null;
  if (withRegistry) {
    const db = openDatabase(databasePath(dataDir));
    syncRegistry(db, kb.snapshot, new Date().toISOString());
    syncDecisions(db, kb.snapshot, new Date().toISOString());
    db.close();
    structured = openStructuredAnswerer(dataDir, kb);
  }
  const deps: AnswerServiceDeps = { kb, logger: silentLogger, structured: structured?.answerer ?? null, decisions: structured?.decisions ?? null };
  return { name, kb, deps, service: new AnswerService(deps), dataDir, close: () => { structured?.close(); fs.rmSync(dataDir, { recursive: true, force: true }); } };
}

interface SampleQuestion { id: string; question: string; expectedSources: string[]; expectedFacts: string[] }

export interface EvalSets {
  indexes: Record<string, EvalIndex>;
  questions: LabelledQuestion[];
  realdev: { txt: RealQuestion[]; pdf: RealQuestion[] } | null;
  close(): void;
}

const fromReal = (set: string) => (q: RealQuestion): LabelledQuestion => ({
  id: q.id, set, question: q.question, answerable: q.answer !== NOT_IN_CORPUS,
  ...(q.evidence ? { evidence: q.evidence } : {}), answer: q.answer,
  ...(q.source ? { sourceFile: q.source } : {}), ...(q.pages ? { pages: q.pages } : {}),
});
const fromSample = (set: string) => (q: SampleQuestion): LabelledQuestion => ({
  id: q.id, set, question: q.question, answerable: q.expectedSources.length > 0, facts: q.expectedFacts, sources: q.expectedSources,
});

export async function loadEvalSets(root: string): Promise<EvalSets> {
  const indexes: Record<string, EvalIndex> = {};
  const questions: LabelledQuestion[] = [];
  const read = (f: string): SampleQuestion[] => (fs.existsSync(path.join(root, f)) ? JSON.parse(fs.readFileSync(path.join(root, f), 'utf8')) as SampleQuestion[] : []);
  indexes['sample'] = await buildIndex('sample', ['corpus'], root, true);
  questions.push(...read('eval/questions.json').map(fromSample('sample')), ...read('eval/questions-holdout.json').map((q) => fromSample('sample')({ ...q, id: `h-${q.id}` })));
  const real = locateRealdev(root);
  if (real) {
    indexes['realdev'] = await buildIndex('realdev', [real.corpusDir], root, false);
    indexes['realdev-pdf'] = await buildIndex('realdev-pdf', [real.pdf], root, false);
    questions.push(...real.questions.map(fromReal('realdev')), ...real.pdfQuestions.map(fromReal('realdev-pdf')));
    // Near misses we wrote on the same documents (a fact they do not hold about an entity they name): realdev has
    // only five unanswerable questions, too few to fit the decision to abstain. Fitted on with the others, in the
    // same folds, and reported on their own (out-of-fold).
    const extra = path.join(root, 'eval/realdev/unanswerable.jsonl');
    if (fs.existsSync(extra)) {
      indexes['realdev-extra'] = indexes['realdev'];
      questions.push(...fs.readFileSync(extra, 'utf8').split('\n').filter((l) => l.trim()).map((l) => fromReal('realdev-extra')(JSON.parse(l) as RealQuestion)));
    }
  }
  return {
    indexes, questions, realdev: real ? { txt: real.questions, pdf: real.pdfQuestions } : null,
    close: () => { for (const ix of new Set(Object.values(indexes))) ix.close(); },
  };
}
