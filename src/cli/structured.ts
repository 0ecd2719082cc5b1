import type { StructuredAnswerer } from '../answers/answer-service.js';
import type { KnowledgeBase } from '../search/knowledge-base.js';

/**
 * Opens the fiche registry as a structured answerer when it exists.
 * (Wired to the registry by the fiches capability.)
 */
export function openStructuredAnswerer(_dataDir: string, _kb: KnowledgeBase): { answerer: StructuredAnswerer; close: () => void } | null {
  return null;
}
