import type { AppConfig } from '../../config.js';
import type { Embedder } from './embedder.js';
import { LocalHashingEmbedder } from './local-hashing.js';
import { OpenAiCompatibleEmbedder } from './openai.js';
import { TransformersEmbedder } from './transformers.js';

export type { Embedder } from './embedder.js';

export function createEmbedder(cfg: AppConfig['embedder']): Embedder {
  switch (cfg.kind) {
    case 'local': return new LocalHashingEmbedder();
    case 'openai': return new OpenAiCompatibleEmbedder(cfg);
    case 'transformers': return new TransformersEmbedder(cfg.modelDir);
  }
}
