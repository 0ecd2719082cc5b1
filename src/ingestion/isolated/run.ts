import { fork, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { PtsmError } from '../../core/errors.js';
import type { IndexReport } from '../indexer.js';
import type { IsolatedIndexReply, IsolatedIndexRequest } from './protocol.js';

/**
 * Runs `indexPaths` in a child Node process, so that a file that is slow or
 * costly to read (a decompression bomb that slipped past the archive limits,
 * a huge PDF) never blocks the event loop of the server: the web console,
 * Slack and Teams keep answering while it works. The child is started on the
 * first request and kept (starting Node and the TypeScript sources takes
 * seconds); it has its own memory ceiling and a time limit per request. If it
 * dies, the request it was serving fails naming its files, and the next
 * request starts a fresh child.
 */
export interface IsolatedIndexerOptions {
  /** Old-space ceiling of the child, in MB. */
  maxMemoryMb?: number;
  /** A request still running after this long is abandoned and its child killed. */
  timeoutMs?: number;
}

// Compiled (dist/, what `ptsm serve` runs) the child is plain JavaScript; from the sources (tests, tsx) it is
// TypeScript and loads the same tsx loader, found from here (not from the cwd). tsx is a development dependency.
const COMPILED = import.meta.url.endsWith('.js');
const CHILD = fileURLToPath(new URL(COMPILED ? './child.js' : './child.ts', import.meta.url));
const LOADER = COMPILED ? [] : ['--import', pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href];

interface Pending { names: string; resolve: (r: IndexReport) => void; reject: (e: PtsmError) => void; timer: NodeJS.Timeout }

export class IsolatedIndexer {
  private child: ChildProcess | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;

  constructor(private readonly opts: IsolatedIndexerOptions = {}) {}

  index(request: IsolatedIndexRequest): Promise<IndexReport> {
    const child = this.child ?? this.start();
    const id = this.nextId++;
    const names = request.inputs.join(', ');
    const timeoutMs = this.opts.timeoutMs ?? 10 * 60_000;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.fail(id, new PtsmError('INPUT_UNSUPPORTED', `Indexation abandonnée : ${names} (plus de ${Math.round(timeoutMs / 1000)} s de lecture)`, { input: names }));
        child.kill('SIGKILL');
      }, timeoutMs);
      this.pending.set(id, { names, resolve, reject, timer });
      this.hold(child);
      child.send({ id, request });
    });
  }

  /** Stops the child (server shutdown); requests still running fail. */
  async close(): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.child = null;
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill();
    await exited;
  }

  private start(): ChildProcess {
    const child = fork(CHILD, [], {
      execArgv: [...LOADER, `--max-old-space-size=${this.opts.maxMemoryMb ?? 1536}`],
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
      serialization: 'advanced',
    });
    child.on('message', (reply: IsolatedIndexReply) => {
      const p = this.pending.get(reply.id);
      if (!p) return;
      this.settle(reply.id);
      if (reply.type === 'done') p.resolve(reply.report);
      else p.reject(new PtsmError(reply.code as PtsmError['code'], reply.message, reply.input === undefined ? {} : { input: reply.input }));
      this.hold(child);
    });
    child.once('exit', (code, signal) => {
      if (this.child === child) this.child = null;
      for (const [id, p] of [...this.pending]) {
        this.fail(id, new PtsmError('INPUT_UNSUPPORTED',
          `Indexation interrompue : ${p.names} (la lecture a ${signal ? `été arrêtée (${signal})` : `échoué (code ${code})`}, sans doute faute de mémoire : fichier trop lourd ou piégé)`, { input: p.names }));
      }
    });
    child.once('error', () => { /* reported by 'exit' */ });
    this.child = child;
    return child;
  }

  /** An idle child must not keep the server process alive on its own. */
  private hold(child: ChildProcess): void {
    if (this.pending.size) { child.ref(); child.channel?.ref(); } else { child.unref(); child.channel?.unref(); }
  }

  private settle(id: number): Pending | undefined {
    const p = this.pending.get(id);
    if (p) { clearTimeout(p.timer); this.pending.delete(id); }
    return p;
  }

  private fail(id: number, e: PtsmError): void {
    this.settle(id)?.reject(e);
  }
}
