import { detectPatientData } from './detector.js';

export const MASK = '[donnée patient masquée]';

export interface Masked { text: string; masked: number }

/** Replaces every sentence that looks like it concerns a patient by MASK. */
export function maskPatientData(text: string): Masked {
  const spans = detectPatientData(text);
  if (!spans.length) return { text, masked: 0 };
  let out = '';
  let at = 0;
  for (const s of spans) {
    out += text.slice(at, s.start) + MASK;
    at = s.end;
  }
  return { text: out + text.slice(at), masked: spans.length };
}
