import type { AppConfig } from '../config.js';
import { describeError } from '../core/errors.js';
import { currentGeneration } from '../search/snapshot.js';
import type { SqliteDb } from '../storage/sqlite.js';

/**
 * What `/readyz` asks before saying the server can take traffic: each check
 * resolves when its part is usable and throws (with a French reason) when it
 * is not. `/healthz` only says the process answers; `/readyz` says it can do
 * its job. The probe is public, like `/healthz`: reasons name the part at
 * fault, never a path or an address.
 */
export interface ReadinessCheck {
  name: string;
  check(): Promise<void> | void;
}

export interface ReadinessReport {
  ready: boolean;
  checks: Record<string, 'ok' | string>;
}

/** How long one check may take before it counts as failed: a probe must answer. */
const CHECK_TIMEOUT_MS = 3_000;

export async function runReadiness(checks: readonly ReadinessCheck[], timeoutMs = CHECK_TIMEOUT_MS): Promise<ReadinessReport> {
  const results = await Promise.all(checks.map(async (c) => {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        Promise.resolve().then(() => c.check()),
        new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`pas de réponse en ${timeoutMs} ms`)), timeoutMs); }),
      ]);
      return [c.name, 'ok'] as const;
    } catch (e) {
      return [c.name, describeError(e)] as const;
    } finally {
      clearTimeout(timer);
    }
  }));
  return { ready: results.every(([, r]) => r === 'ok'), checks: Object.fromEntries(results) };
}

/**
 * The index the server answers from is still the one on disk: CURRENT names a
 * generation that exists, and the one loaded in memory has passages.
 */
export function indexCheck(dataDir: string, loadedChunks: () => number): ReadinessCheck {
  return {
    name: 'index',
    check() {
      if (!currentGeneration(dataDir)) throw new Error('index introuvable (kb/CURRENT absent ou invalide dans le dossier des données) : lancez « ptsm index »');
      if (!loadedChunks()) throw new Error('index vide : aucun passage chargé');
    },
  };
}

/** The SQLite file (registry, milestones, reminders ledger) answers a query. */
export function databaseCheck(db: () => SqliteDb): ReadinessCheck {
  return {
    name: 'database',
    check() {
      try {
        db().prepare('SELECT count(*) AS n FROM sqlite_master').get();
      } catch (e) {
        throw new Error(`base SQLite inutilisable : ${describeError(e)}`);
      }
    },
  };
}

/** PostgreSQL (the shared delivery ledger) answers a query. The reason never names the URL: the probe is public. */
export function postgresCheck(ping: () => Promise<unknown>): ReadinessCheck {
  return {
    name: 'postgres',
    async check() {
      try {
        await ping();
      } catch {
        throw new Error('base PostgreSQL (registre des relances) injoignable');
      }
    },
  };
}

/** Slack accepts the bot token (`auth.test`): a revoked token or an unreachable API fails the probe. */
export function slackCheck(slack: AppConfig['slack'], fetchImpl: typeof fetch = fetch): ReadinessCheck {
  const base = slack.apiUrl ? (slack.apiUrl.endsWith('/') ? slack.apiUrl : `${slack.apiUrl}/`) : 'https://slack.com/api/';
  return {
    name: 'slack',
    async check() {
      let body: { ok?: boolean; error?: string };
      try {
        const res = await fetchImpl(`${base}auth.test`, { method: 'POST', headers: { authorization: `Bearer ${slack.botToken ?? ''}` } });
        body = (await res.json()) as { ok?: boolean; error?: string };
      } catch (e) {
        throw new Error(`API Slack injoignable : ${describeError(e)}`);
      }
      if (!body.ok) throw new Error(`Slack refuse le jeton SLACK_BOT_TOKEN (${body.error ?? 'réponse inattendue'})`);
    },
  };
}
