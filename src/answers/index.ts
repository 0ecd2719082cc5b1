import type { AppConfig } from '../config.js';
import type { Logger } from '../core/logger.js';
import type { KnowledgeBase } from '../search/knowledge-base.js';
import { AnswerService, type StructuredAnswerer } from './answer-service.js';
import { LlmAnswerer } from './llm-answerer.js';

export { AnswerService, type AskOptions, type StructuredAnswerer, type GenerativeAnswerer } from './answer-service.js';
export { LlmAnswerer } from './llm-answerer.js';

/** Builds the answering service from configuration: offline, plus the LLM when one is configured. */
export function createAnswerService(config: AppConfig, kb: KnowledgeBase, logger: Logger, structured: StructuredAnswerer | null = null, decisions: StructuredAnswerer | null = null): AnswerService {
  const llm = config.llm ? new LlmAnswerer(config.llm, logger) : null;
  return new AnswerService({ kb, logger, structured, decisions, llm });
}
