import { PtsmError, describeError } from '../../core/errors.js';
import { createLogger } from '../../core/logger.js';
import { createEmbedder, type Embedder } from '../../search/embedders/index.js';
import { indexPaths } from '../indexer.js';
import type { IsolatedIndexMessage, IsolatedIndexReply } from './protocol.js';

/**
 * Entry point of the indexing child process (see ./run.ts): requests come in
 * one at a time, each gets one reply. Whatever a hostile file costs (CPU,
 * memory, a crash), it costs this process, never the server that answers users.
 */
const embedders = new Map<string, Embedder>();

process.on('message', (msg: IsolatedIndexMessage) => {
  void (async () => {
    const { id, request } = msg;
    let reply: IsolatedIndexReply;
    try {
      const key = JSON.stringify(request.embedder);
      const embedder = embedders.get(key) ?? createEmbedder(request.embedder);
      embedders.set(key, embedder);
      const report = await indexPaths(request.inputs, {
        dataDir: request.dataDir, cwd: request.cwd, limits: request.limits, embedder,
        logger: createLogger(request.logLevel).child({ process: 'indexing-child' }),
        ...(request.kind ? { kind: request.kind } : {}),
      });
      reply = { id, type: 'done', report };
    } catch (e) {
      reply = { id, type: 'failed', code: e instanceof PtsmError ? e.code : 'INPUT_CORRUPT', message: describeError(e), input: e instanceof PtsmError ? e.input : undefined };
    }
    process.send!(reply);
  })();
});
// The parent going away (crash, kill) ends the child too.
process.on('disconnect', () => process.exit(0));
