import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { AppConfig } from '../../config.js';
import { describeError } from '../../core/errors.js';
import type { Logger, LogLevel } from '../../core/logger.js';
import { IsolatedIndexer } from '../../ingestion/isolated/run.js';
import type { IngestionLimits } from '../../ingestion/limits.js';
import { patientDataNotice } from '../../privacy/index.js';

/**
 * Indexing of uploaded documents, one at a time (the indexer locks the data
 * directory), reported through a job the browser polls. A file the indexer
 * cannot read is removed again, so a failed upload leaves nothing behind.
 * The indexing itself runs in a child process: a hostile upload costs that
 * process, while the server keeps answering.
 */
export type JobState = 'queued' | 'indexing' | 'reloading' | 'done' | 'failed';

export interface IndexJob {
  id: string;
  name: string;
  state: JobState;
  /** French, for the page. */
  message: string;
  documentId: string | null;
  chunks: number;
  createdAt: string;
  updatedAt: string;
}

export interface JobRunnerOptions {
  dataDir: string;
  /** The embedder the child process builds (configuration, not an instance: it crosses a process boundary). */
  embedder: AppConfig['embedder'];
  limits: IngestionLimits;
  logger: Logger;
  /** Level of the child's own logs (written to the server's stderr). */
  logLevel?: LogLevel;
  cwd?: string;
  /** Makes the assistant see the new index (the composition root reloads the runtime). */
  onIndexed?: () => void | Promise<void>;
}

const KEEP_JOBS = 200;

export class JobRunner {
  private readonly jobs = new Map<string, IndexJob>();
  private queue: Promise<void> = Promise.resolve();
  private readonly indexer = new IsolatedIndexer();

  constructor(private readonly opts: JobRunnerOptions) {}

  get(id: string): IndexJob | null {
    return this.jobs.get(id) ?? null;
  }

  /** Queues the indexing of a file already saved under the uploads folder. */
  submit(file: { name: string; path: string }): IndexJob {
    const now = new Date().toISOString();
    const job: IndexJob = {
      id: crypto.randomBytes(9).toString('base64url'), name: file.name, state: 'queued',
      message: `« ${file.name} » reçu, en attente d'indexation…`, documentId: null, chunks: 0, createdAt: now, updatedAt: now,
    };
    this.jobs.set(job.id, job);
    this.trim();
    this.queue = this.queue.then(() => this.run(job, file.path));
    return job;
  }

  /** Resolves when every queued job has finished (server shutdown, tests). */
  idle(): Promise<void> {
    return this.queue;
  }

  /** Lets queued jobs finish, then stops the indexing process. */
  async close(): Promise<void> {
    await this.queue;
    await this.indexer.close();
  }

  private update(job: IndexJob, state: JobState, message: string): void {
    job.state = state;
    job.message = message;
    job.updatedAt = new Date().toISOString();
  }

  private async run(job: IndexJob, file: string): Promise<void> {
    const { logger } = this.opts;
    this.update(job, 'indexing', `Indexation de « ${job.name} » en cours…`);
    try {
      const report = await this.indexer.index({
        inputs: [file], dataDir: this.opts.dataDir, embedder: this.opts.embedder, limits: this.opts.limits,
        logLevel: this.opts.logLevel ?? 'warn', cwd: this.opts.cwd ?? process.cwd(),
      });
      const result = report.files.find((f) => f.status !== 'removed');
      if (!result || (result.status !== 'indexed' && result.status !== 'unchanged')) {
        fs.rmSync(file, { force: true });
        const why = result?.message ? this.readable(result.message, file, job.name) : 'format non reconnu';
        this.update(job, 'failed', `« ${job.name} » n'a pas pu être indexé : ${why}. Le fichier n'a pas été conservé.`);
        logger.warn('upload not indexed', { file: job.name, code: result?.code, message: result?.message });
        return;
      }
      job.chunks = result.chunks;
      job.documentId = report.changedDocIds[0] ?? null;
      this.update(job, 'reloading', `« ${job.name} » indexé (${plural(result.chunks, 'passage')}) ; mise à jour de l'assistant…`);
      try {
        await this.opts.onIndexed?.();
      } catch (e) {
        logger.error('reload after upload failed', { file: job.name, error: describeError(e) });
        this.update(job, 'failed', `« ${job.name} » est indexé, mais l'assistant n'a pas pu recharger la base : redémarrez le service (${describeError(e)}).`);
        return;
      }
      this.update(job, 'done', `« ${job.name} » est indexé (${plural(result.chunks, 'passage')}) : l'assistant peut maintenant s'en servir.${patientDataNotice(result.patientData)}`);
      logger.info('upload indexed', { file: job.name, chunks: result.chunks });
    } catch (e) {
      fs.rmSync(file, { force: true });
      logger.error('upload indexing failed', { file: job.name, error: describeError(e) });
      this.update(job, 'failed', `L'indexation de « ${job.name} » a échoué : ${this.readable(describeError(e), file, job.name)}. Le fichier n'a pas été conservé.`);
    }
  }

  /** Indexer messages name the absolute path: the page shows the file name only. */
  private readable(message: string, file: string, name: string): string {
    const rel = path.relative(this.opts.cwd ?? process.cwd(), file).split(path.sep).join('/');
    return message.split(file).join(name).split(rel).join(name).replace(/[.\s]+$/, '');
  }

  private trim(): void {
    if (this.jobs.size <= KEEP_JOBS) return;
    for (const [id, j] of this.jobs) {
      if (this.jobs.size <= KEEP_JOBS) break;
      if (j.state === 'done' || j.state === 'failed') this.jobs.delete(id);
    }
  }
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n > 1 ? 's' : ''}`;
}
