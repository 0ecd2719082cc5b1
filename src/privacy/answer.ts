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

/** Shown next to an answer when the question itself looks like it names a patient (web console; Slack and Teams have their own wording). */
export const QUESTION_WARNING = 'Votre question semble contenir des données personnelles de santé (patient nommé, âge, diagnostic, date de naissance…). L’assistant n’en a pas besoin : elles ne sont pas envoyées au LLM, évitez de les écrire ici.';

/** The sentence added to an indexing report when a document seems to hold patient data. */
export function patientDataNotice(count: number | undefined): string {
  if (!count) return '';
  return ` Attention : ${count} passage${count > 1 ? 's semblent' : ' semble'} concerner un patient ; ${count > 1 ? 'ils sont masqués' : 'il est masqué'} dans les réponses, mais retirez-${count > 1 ? 'les' : 'le'} du document.`;
}
