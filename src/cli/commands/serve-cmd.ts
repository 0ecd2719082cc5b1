import { serve } from '../../server/serve.js';
import type { Command } from '../context.js';

export const serveCommand: Command = {
  name: 'serve',
  summary: 'Démarre le serveur : console web, et Slack / Teams quand ils sont configurés ; relances automatiques',
  usage: 'ptsm serve [--data DIR]   (PORT, HOST, SLACK_*, MICROSOFT_APP_* dans l’environnement)',
  options: {},
  async run(ctx) {
    const server = await serve({ config: ctx.config, logger: ctx.logger });
    ctx.stderr(`ptsm-assistant en service sur ${server.url} (canaux : ${server.channels.join(', ')}). Ctrl+C pour arrêter.\n`);
    await new Promise<void>((resolve) => {
      const stop = (): void => { void server.close().finally(resolve); };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    return 0;
  },
};
