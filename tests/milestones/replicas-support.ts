/**
 * Parts of the replica test and bench: scheduler replicas in real child
 * processes (fixtures/replica-worker.ts, run with tsx), and a fake channel on
 * 127.0.0.1 that records every message it receives, answers after a delay,
 * and can hold a request forever (to kill its sender while the send is in
 * flight).
 */
import { fork, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { Fiche } from '../../src/core/fiche.js';
import { fiche, ms, pilot } from './support.js';

const WORKER = fileURLToPath(new URL('./fixtures/replica-worker.ts', import.meta.url));

export interface Received {
  type: 'nudge' | 'alert' | 'digest';
  replica: string;
  pid: number;
  key?: string;
  recipient?: string;
  resumed?: boolean;
  attempt?: number;
  weekOf?: string;
}

/** What the fake channel does with a nudge once recorded: answer (after the delay) or never answer. */
export type Verdict = 'answer' | 'hold';

export class FakeChannel {
  readonly received: Received[] = [];
  private server!: http.Server;
  private held: http.ServerResponse[] = [];
  url = '';

  constructor(private readonly delayMs: number, private readonly onNudge: (r: Received, index: number) => Verdict = () => 'answer') {}

  async start(): Promise<void> {
    let nudges = 0;
    this.server = http.createServer((req, res) => {
      const parts: Buffer[] = [];
      req.on('data', (b: Buffer) => parts.push(b));
      req.on('end', () => {
        const body = JSON.parse(Buffer.concat(parts).toString('utf8')) as Omit<Received, 'type'>;
        const r: Received = { type: (req.url ?? '/').slice(1) as Received['type'], ...body };
        // Recorded on arrival: from here on, the recipient has the message, whatever happens to the sender.
        this.received.push(r);
        if (r.type === 'nudge' && this.onNudge(r, nudges++) === 'hold') {
          this.held.push(res);
          return;
        }
        setTimeout(() => res.writeHead(204).end(), this.delayMs);
      });
    });
    this.server.keepAliveTimeout = 60_000;
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    for (const res of this.held) res.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

export interface TickReport { sent: number; skipped: number; failed: number }

/** One scheduler replica in its own OS process. */
export class Replica {
  private constructor(readonly child: ChildProcess, readonly name: string) {}

  static start(dbFile: string, pgUrl: string, channelUrl: string, name: string): Promise<Replica> {
    const child = fork(WORKER, [dbFile, pgUrl, channelUrl, name], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    return new Promise((resolve, reject) => {
      const onExit = (code: number | null): void => reject(new Error(`la réplique ${name} s'est arrêtée au démarrage (code ${code})`));
      child.once('message', () => { child.off('exit', onExit); resolve(new Replica(child, name)); });
      child.once('error', reject);
      child.once('exit', onExit);
    });
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** The tick's counts, or 'killed' when the process died during it. */
  tick(at: number): Promise<TickReport | 'killed'> {
    return new Promise((resolve, reject) => {
      const onMessage = (m: { done?: number; error?: string } & Partial<TickReport>): void => {
        if (m.done !== at) return;
        off();
        if (m.error) reject(new Error(`${this.name} : ${m.error}`));
        else resolve({ sent: m.sent ?? 0, skipped: m.skipped ?? 0, failed: m.failed ?? 0 });
      };
      const onExit = (): void => { off(); resolve('killed'); };
      const off = (): void => { this.child.off('message', onMessage); this.child.off('exit', onExit); };
      this.child.on('message', onMessage);
      this.child.once('exit', onExit);
      this.child.send({ tick: at });
    });
  }

  kill(): void {
    this.child.kill('SIGKILL');
  }

  stop(): Promise<void> {
    return new Promise((resolve) => {
      if (this.child.exitCode !== null || this.child.signalCode !== null) return resolve();
      this.child.once('exit', () => resolve());
      this.child.send({ stop: true });
    });
  }
}

/** The directory's people (support.ts ANNUAIRE) and the ledger id each resolves to. */
const PILOTS: { name: string; recipient: string }[] = [
  { name: 'Dr Paul Martin', recipient: 'martin paul' },
  { name: 'Hélène Dupont', recipient: 'dupont helene' },
  { name: 'K. Benali', recipient: 'benali karim' },
  { name: 'Mme Leroy', recipient: 'leroy sophie' },
];
const OFFSETS = [14, 7, 1];

function plusDays(date: string, n: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/**
 * `fiches` fiches of `perFiche` milestones, two pilots each (or one), every milestone
 * due exactly 14, 7 or 1 days after `today`: each has one nudge due today
 * (J-14, J-7 or J-1), to both pilots. Plus one fiche whose only pilot is not in
 * the directory (one coordinator alert). The expected deliveries are derived
 * here, independently of src/: `${milestoneId}:J-${n}:${due}|${recipient}`.
 */
export function replicaFiches(today: string, fiches: number, perFiche: number, pilotsPerFiche: 1 | 2 = 2): { fiches: Fiche[]; expected: Set<string> } {
  const out: Fiche[] = [];
  const expected = new Set<string>();
  for (let i = 0; i < fiches; i++) {
    const a = PILOTS[i % PILOTS.length]!;
    const people = pilotsPerFiche === 2 ? [a, PILOTS[(i + 1) % PILOTS.length]!] : [a];
    const milestones = Array.from({ length: perFiche }, (_, j) => {
      const offset = OFFSETS[(i + j) % OFFSETS.length]!;
      const due = plusDays(today, offset);
      for (const p of people) expected.add(`fa-${i + 1}#etape-${j + 1}:J-${offset}:${due}|${p.recipient}`);
      return ms(`Étape ${j + 1}`, due);
    });
    out.push(fiche(`fa-${i + 1}`, i + 1, milestones, people.map((p) => pilot(p.name))));
  }
  out.push(fiche(`fa-${fiches + 1}`, fiches + 1, [ms('Lancement', plusDays(today, 7))], [pilot('Dr Jeanne Morel')]));
  return { fiches: out, expected };
}
