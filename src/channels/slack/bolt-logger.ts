import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import type { Logger } from '../../core/logger.js';

/**
 * Bolt and its WebClient log through this adapter, so their lines land in the
 * product's JSON log (stderr) with `component: "slack"`, at the product's level.
 */
export function toBoltLogger(logger: Logger, level: LogLevel = LogLevel.INFO): BoltLogger {
  let current = level;
  const text = (parts: unknown[]): string => parts.map((p) => (typeof p === 'string' ? p : p instanceof Error ? p.message : JSON.stringify(p))).join(' ');
  return {
    debug: (...msg: unknown[]) => logger.debug(text(msg), { component: 'slack' }),
    info: (...msg: unknown[]) => logger.info(text(msg), { component: 'slack' }),
    warn: (...msg: unknown[]) => logger.warn(text(msg), { component: 'slack' }),
    error: (...msg: unknown[]) => logger.error(text(msg), { component: 'slack' }),
    setLevel: (l: LogLevel) => { current = l; },
    getLevel: () => current,
    setName: () => undefined,
  };
}

/** The product's level in Bolt's terms ("silent" keeps Bolt quiet too). */
export function boltLevel(level: 'debug' | 'info' | 'warn' | 'error' | 'silent'): LogLevel {
  switch (level) {
    case 'debug': return LogLevel.DEBUG;
    case 'info': return LogLevel.INFO;
    case 'warn': return LogLevel.WARN;
    default: return LogLevel.ERROR;
  }
}
