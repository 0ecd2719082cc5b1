import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/storage/sqlite.js';
import { listNudges } from '../../src/milestones/ledger.js';
import type { Notifier } from '../../src/milestones/notifier.js';
import { tick } from '../../src/milestones/scheduler.js';
import { recordAnswer, syncMilestones } from '../../src/milestones/store.js';
import { deps, directory, tempDir } from './support.js';
import { DONE, expectedDeliveries, expectedDigestWeeks, isParisWorkingSlot, isUp, simFiches, simTicks, SYNC_AT } from './sim-fixture.js';

const WORKER = fileURLToPath(new URL('./fixtures/tick-worker.ts', import.meta.url));

interface LogLine { type: string; instance: string; pid: number; at: number; key?: string; recipient?: string; resumed?: boolean; weekOf?: string }

/** A scheduler in another OS process, ticking on the same SQLite file. */
class Worker {
  private constructor(readonly child: ChildProcess, readonly name: string) {}

  static start(dbFile: string, logFile: string, crashAt: string, name: string): Promise<Worker> {
    const child = fork(WORKER, [dbFile, logFile, crashAt, name], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    return new Promise((resolve, reject) => {
      child.once('message', () => resolve(new Worker(child, name)));
      child.once('error', reject);
      child.once('exit', (code) => reject(new Error(`le processus de test s'est arrêté au démarrage (code ${code})`)));
    });
  }

  /** Resolves 'ok' when the tick is done, 'crashed' if the process died during it. */
  tick(at: number): Promise<'ok' | 'crashed'> {
    return new Promise((resolve, reject) => {
      const onMessage = (m: { done?: number; error?: string }): void => {
        if (m.done !== at) return;
        off();
        if (m.error) reject(new Error(m.error));
        else resolve('ok');
      };
      const onExit = (): void => { off(); resolve('crashed'); };
      const off = (): void => { this.child.off('message', onMessage); this.child.off('exit', onExit); };
      this.child.on('message', onMessage);
      this.child.once('exit', onExit);
      this.child.send({ tick: at });
    });
  }

  stop(): Promise<void> {
    return new Promise((resolve) => {
      if (this.child.exitCode !== null) return resolve();
      this.child.once('exit', () => resolve());
      this.child.send({ stop: true });
    });
  }
}

describe('exactly-once delivery with a second OS process on the same database file', () => {
  let cleanup: () => void;
  let dbFile: string;
  let lines: LogLine[] = [];
  let crashes = 0;
  const ticks = simTicks();

  beforeAll(async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    dbFile = path.join(t.dir, 'ptsm.sqlite');
    const logFile = path.join(t.dir, 'deliveries.jsonl');
    const db = openDatabase(dbFile);
    syncMilestones(db, simFiches(), SYNC_AT);

    let now = ticks[0]!;
    const record = (line: Record<string, unknown>): void => fs.appendFileSync(logFile, JSON.stringify({ instance: 'P', pid: process.pid, at: now, ...line }) + '\n');
    const notifier: Notifier = {
      async sendNudge(nudge, recipient) {
        await new Promise<void>((r) => setImmediate(r));
        record({ type: 'nudge', key: nudge.key, recipient: recipient.id, resumed: nudge.delivery.resumed });
      },
      async sendDigest(digest) { record({ type: 'digest', weekOf: digest.weekOf }); },
      async sendCoordinatorAlert(alert) { record({ type: 'alert', key: alert.key }); },
    };
    const parent = deps(db, notifier, () => new Date(now), { directory: directory(db) });

    // The worker process dies on its first nudge send from Monday 16 March 9:00 (Paris).
    let worker = await Worker.start(dbFile, logFile, '2026-03-16T08:00:00Z', 'W1');
    let doneRecorded = false;
    try {
      for (const t0 of ticks) {
        now = t0;
        if (!isUp(t0)) continue;
        if (!doneRecorded && t0 >= Date.parse(DONE.at)) {
          recordAnswer(db, DONE.id, { kind: 'fait', by: 'Dr Paul Martin', at: DONE.at });
          doneRecorded = true;
        }
        const [child] = await Promise.all([worker.tick(t0), tick(parent)]);
        if (child === 'crashed') {
          crashes++;
          worker = await Worker.start(dbFile, logFile, '-', `W${crashes + 1}`);
        }
      }
    } finally {
      await worker.stop();
      db.close();
    }
    lines = fs.readFileSync(logFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as LogLine);
  }, 300_000);
  afterAll(() => cleanup());

  it('delivers every expected nudge exactly once across processes, crash and restart included', () => {
    const nudges = lines.filter((l) => l.type === 'nudge');
    const counts = new Map<string, number>();
    for (const n of nudges) counts.set(`${n.key}|${n.recipient}`, (counts.get(`${n.key}|${n.recipient}`) ?? 0) + 1);
    const expected = expectedDeliveries(ticks);
    expect([...counts.entries()].filter(([, n]) => n > 1)).toEqual([]);
    expect([...expected].filter((k) => !counts.has(k))).toEqual([]);
    expect([...counts.keys()].filter((k) => !expected.has(k))).toEqual([]);
    expect(nudges.filter((n) => !isParisWorkingSlot(n.at))).toEqual([]);
  });

  it('the worker really crashed mid-send once, and its nudge was resumed by someone else', () => {
    expect(crashes).toBe(1);
    const crash = lines.find((l) => l.type === 'crash')!;
    const resumed = lines.filter((l) => l.type === 'nudge' && l.key === crash.key && l.recipient === crash.recipient);
    expect(resumed).toHaveLength(1);
    expect(resumed[0]!.resumed).toBe(true);
    expect(resumed[0]!.pid).not.toBe(crash.pid);
  });

  it('both processes delivered nudges, and one digest went out per week', () => {
    const byInstance = new Set(lines.filter((l) => l.type === 'nudge').map((l) => l.instance[0]));
    expect(byInstance).toEqual(new Set(['P', 'W']));
    expect(lines.filter((l) => l.type === 'digest').map((l) => l.weekOf).sort()).toEqual(expectedDigestWeeks(ticks));
    const alerts = lines.filter((l) => l.type === 'alert').map((l) => l.key);
    expect(new Set(alerts).size).toBe(alerts.length);
  });

  it('left every ledger row sent', () => {
    const db = openDatabase(dbFile);
    try {
      expect(listNudges(db).filter((r) => r.status !== 'sent')).toEqual([]);
    } finally {
      db.close();
    }
  });
});
