import type { OpenAIEmbeddings } from '@langchain/openai';
import { PtsmError } from '../../core/errors.js';
import { OutboundGuard } from '../../privacy/index.js';
import type { Embedder } from './embedder.js';

/**
 * Any OpenAI-compatible embeddings endpoint (OpenAI, Mistral, Albert, Ollama,
 * vLLM…) through LangChain. Dimensions are learnt from the first call.
 * Passages and queries leave with what looks like patient data masked,
 * unless the operator allows it (PTSM_LLM_ALLOW_PERSONAL_DATA). LangChain is
 * imported on that first call (it weighs ~0.4 s at startup), so commands that
 * never embed with it do not pay for it.
 */
export class OpenAiCompatibleEmbedder implements Embedder {
  readonly id: string;
  private dims = 0;
  private client: Promise<OpenAIEmbeddings> | undefined;

  constructor(private readonly cfg: { baseURL: string; model: string; apiKey: string | undefined; timeoutMs?: number; allowPersonalData?: boolean }) {
    this.id = `openai:${cfg.baseURL}:${cfg.model}`;
  }

  private connect(): Promise<OpenAIEmbeddings> {
    const { cfg } = this;
    return (this.client ??= import('@langchain/openai').then(({ OpenAIEmbeddings }) => new OpenAIEmbeddings({
      model: cfg.model,
      apiKey: cfg.apiKey ?? 'not-needed',
      configuration: { baseURL: cfg.baseURL },
      batchSize: 64,
      maxRetries: 2,
      timeout: cfg.timeoutMs ?? 60_000,
    })));
  }

  get dimensions(): number {
    if (!this.dims) throw new PtsmError('EMBEDDER_FAILED', "Dimension des vecteurs inconnue : aucun appel n'a encore été fait au service d'embeddings.");
    return this.dims;
  }

  async embedDocuments(texts: string[]): Promise<number[][]> {
    try {
      const out = await (await this.connect()).embedDocuments(new OutboundGuard(this.cfg.allowPersonalData ?? false).texts(texts));
      if (out[0]) this.dims = out[0].length;
      return out;
    } catch (cause) {
      throw new PtsmError('EMBEDDER_FAILED', `Le service d'embeddings ${this.cfg.baseURL} (modèle ${this.cfg.model}) a échoué : ${(cause as Error).message}`, { input: this.cfg.baseURL, cause });
    }
  }

  async embedQuery(text: string): Promise<number[]> {
    const [v] = await this.embedDocuments([text]);
    return v!;
  }
}
