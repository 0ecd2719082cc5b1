import { serve } from '../../server/serve.js';
import type { CommandRun } from '../context.js';

export const runServe: CommandRun = async (ctx) => {
  const server = await serve({ config: ctx.config, logger: ctx.logger });
  ctx.stderr(`ptsm-assistant en service sur ${server.url} (canaux : ${server.channels.join(', ')}). Ctrl+C pour arrêter.\n`);
  await new Promise<void>((resolve) => {
    const stop = (): void => { void server.close().finally(resolve); };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  return 0;
};
