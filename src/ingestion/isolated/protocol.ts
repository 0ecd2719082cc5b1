import type { AppConfig } from '../../config.js';
import type { LogLevel } from '../../core/logger.js';
import type { DocumentKind } from '../../core/types.js';
import type { IndexReport } from '../indexer.js';
import type { IngestionLimits } from '../limits.js';

/** What the parent sends the indexing child: plain data only (the child builds its own embedder). */
export interface IsolatedIndexRequest {
  inputs: string[];
  dataDir: string;
  cwd: string;
  embedder: AppConfig['embedder'];
  limits: IngestionLimits;
  logLevel: LogLevel;
  kind?: DocumentKind;
}

export type IsolatedIndexMessage = { id: number; request: IsolatedIndexRequest };

export type IsolatedIndexReply =
  | { id: number; type: 'done'; report: IndexReport }
  | { id: number; type: 'failed'; code: string; message: string; input: string | undefined };
