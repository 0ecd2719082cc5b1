import type { Answer } from '../core/types.js';
import { maskPatientData } from './mask.js';

export const MASKED_NOTICE = 'Des passages qui semblent concerner un patient ont été masqués : l’assistant n’a pas besoin de données personnelles de santé.';

/**
 * The answer every channel shows never quotes what looks like patient data:
 * its text and its quotes are masked, and it says so. `maskedUpstream` counts
 * what was masked before the question, history or excerpts went to an LLM.
 */
export function protectAnswer(answer: Answer, maskedUpstream = 0): Answer {
  const text = maskPatientData(answer.answer);
  let masked = maskedUpstream + text.masked;
  const citations = answer.citations.map((c) => {
    const q = maskPatientData(c.quote);
    masked += q.masked;
    return q.masked ? { ...c, quote: q.text } : c;
  });
  if (!masked) return answer;
  const body = text.text.endsWith(MASKED_NOTICE) ? text.text : `${text.text}\n\n${MASKED_NOTICE}`;
  return { ...answer, answer: body, citations };
}
