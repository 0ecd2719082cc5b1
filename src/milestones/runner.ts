import { describeError } from '../core/errors.js';
import { tick, type SchedulerDeps, type TickResult } from './scheduler.js';

/**
 * Runs ticks for `ptsm serve`: one at start (catches up what was missed while
 * down), then every `intervalMs`. Never two ticks of this process at once; a
 * tick's error is logged, not fatal.
 */
export interface RunningScheduler {
  stop(): Promise<void>;
}

export function startScheduler(
  deps: SchedulerDeps,
  opts: { intervalMs?: number; onTick?: (r: TickResult) => void } = {},
): RunningScheduler {
  const intervalMs = opts.intervalMs ?? 5 * 60_000;
  let running: Promise<void> | null = null;
  const run = (): void => {
    if (running) return;
    running = tick(deps)
      .then((r) => opts.onTick?.(r))
      .catch((e: unknown) => deps.logger.error('Échec du passage du planificateur de relances', { error: describeError(e) }))
      .finally(() => { running = null; });
  };
  run();
  const timer = setInterval(run, intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
