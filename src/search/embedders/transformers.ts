import fs from 'node:fs';
import { PtsmError } from '../../core/errors.js';
import { type Embedder, l2normalize } from './embedder.js';

/**
 * A sentence-embedding model run locally by transformers.js, read from a
 * folder the operator provides (no hub download: allowRemoteModels=false).
 * The package is optional (its onnxruntime install needs
 * ONNXRUNTIME_NODE_INSTALL=skip): it is loaded only when this embedder is chosen.
 */
export class TransformersEmbedder implements Embedder {
  readonly id: string;
  private dims = 0;
  private extractor: ((texts: string[], opts: object) => Promise<{ tolist(): number[][] }>) | null = null;

  constructor(private readonly modelDir: string) {
    this.id = `transformers:${modelDir}`;
  }

  get dimensions(): number {
    if (!this.dims) throw new PtsmError('EMBEDDER_FAILED', 'Dimension des vecteurs inconnue : le modèle local n’a pas encore été chargé.');
    return this.dims;
  }

  private async load(): Promise<NonNullable<TransformersEmbedder['extractor']>> {
    if (this.extractor) return this.extractor;
    if (!fs.existsSync(this.modelDir)) {
      throw new PtsmError('CONFIG_INVALID', `Dossier du modèle introuvable : ${this.modelDir} (PTSM_TRANSFORMERS_MODEL_DIR)`, { input: this.modelDir });
    }
    const moduleName = '@huggingface/transformers';
    let tf: { env: Record<string, unknown>; pipeline: (task: string, model: string, opts?: object) => Promise<unknown> };
    try {
      tf = (await import(moduleName)) as typeof tf;
    } catch (cause) {
      throw new PtsmError('CONFIG_INVALID', "Le paquet @huggingface/transformers n'est pas installé. Installez-le avec : ONNXRUNTIME_NODE_INSTALL=skip npm install @huggingface/transformers", { input: moduleName, cause });
    }
    tf.env['allowRemoteModels'] = false;
    tf.env['allowLocalModels'] = true;
    tf.env['localModelPath'] = '';
    const pipe = (await tf.pipeline('feature-extraction', this.modelDir)) as (texts: string[], opts: object) => Promise<{ tolist(): number[][] }>;
    this.extractor = pipe;
    return pipe;
  }

  async embedDocuments(texts: string[]): Promise<number[][]> {
    const extract = await this.load();
    try {
      const out = (await extract(texts, { pooling: 'mean', normalize: true })).tolist().map((v) => l2normalize(v));
      if (out[0]) this.dims = out[0].length;
      return out;
    } catch (cause) {
      throw new PtsmError('EMBEDDER_FAILED', `Le modèle local ${this.modelDir} a échoué : ${(cause as Error).message}`, { input: this.modelDir, cause });
    }
  }

  async embedQuery(text: string): Promise<number[]> {
    const [v] = await this.embedDocuments([text]);
    return v!;
  }
}
