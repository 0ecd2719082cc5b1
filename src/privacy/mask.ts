import { DECISION_THRESHOLD } from './cues.js';
import { detectPatientData, identifyingSpans, scoreSentence } from './detector.js';

export const MASK = '[donnée patient masquée]';

export interface Masked { text: string; masked: number }

/**
 * Masks each sentence that looks like it concerns a patient. What singles
 * the person out (name, initials, age, address, identifiers) is masked
 * first, so « Mme Durand, 45 ans, bipolaire, peut-elle aller au GEM ? »
 * stays a usable question; when what is left would still be flagged, the
 * whole sentence is masked. Either way, nothing masked is flagged any more.
 */
export function maskPatientData(text: string): Masked {
  const spans = detectPatientData(text);
  if (!spans.length) return { text, masked: 0 };
  let out = '';
  let at = 0;
  for (const s of spans) {
    out += text.slice(at, s.start) + maskSentence(text.slice(s.start, s.end));
    at = s.end;
  }
  return { text: out + text.slice(at), masked: spans.length };
}

function maskSentence(sentence: string): string {
  let out = '';
  let at = 0;
  for (const s of identifyingSpans(sentence)) {
    out += sentence.slice(at, s.start) + MASK;
    at = s.end;
  }
  out += sentence.slice(at);
  return scoreSentence(out).score >= DECISION_THRESHOLD ? MASK : out;
}
