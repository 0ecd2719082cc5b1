import type { AppConfig } from '../config.js';
import type { Logger } from '../core/logger.js';
import type { KnowledgeBase } from '../search/knowledge-base.js';
import { AnswerService, type GenerativeAnswerer, type StructuredAnswerer } from './answer-service.js';
import type { LlmAnswerer } from './llm-answerer.js';

export { AnswerService, type AskOptions, type StructuredAnswerer, type GenerativeAnswerer } from './answer-service.js';

/** Builds the answering service from configuration: offline, plus the LLM when one is configured. */
export function createAnswerService(config: AppConfig, kb: KnowledgeBase, logger: Logger, structured: StructuredAnswerer | null = null, decisions: StructuredAnswerer | null = null): AnswerService {
  const llm = config.llm ? lazyLlmAnswerer(config.llm, logger) : null;
  return new AnswerService({ kb, logger, structured, decisions, llm });
}

/**
 * The LLM answerer, with LangChain imported on the first question rather than
 * at startup (~0.4 s): `ptsm ask` without an LLM never loads it.
 */
function lazyLlmAnswerer(cfg: NonNullable<AppConfig['llm']>, logger: Logger): GenerativeAnswerer {
  let answerer: Promise<LlmAnswerer> | undefined;
  const get = (): Promise<LlmAnswerer> => (answerer ??= import('./llm-answerer.js').then((m) => new m.LlmAnswerer(cfg, logger)));
  return {
    answer: async (input) => (await get()).answer(input),
    condense: async (question, history) => (await get()).condense(question, history),
  };
}
