/**
 * Chat threads may mention people in care; the assistant never needs
 * personal health data. This detector flags text that looks like it names a
 * patient, so channels can warn and nothing of it goes to an external model
 * without the operator's explicit setting.
 */
const PATTERNS: RegExp[] = [
  /\b(patient|patiente|usager|usagère|résident|résidente)\s+(M\.|Mme|Mr|Monsieur|Madame)?\s*\p{Lu}[\p{Ll}-]+/u,
  /\b(M\.|Mme|Monsieur|Madame)\s+\p{Lu}[\p{Ll}-]+\s+(est|a été|était)\s+(hospitalisée?|suivie?|sous traitement|en (soins|crise|HDT|SDT|SDRE))/u,
  /\bné(e)?\s+le\s+\d{1,2}[/.]\d{1,2}[/.]\d{2,4}/u,
  /\b[12]\s?\d{2}\s?(0[1-9]|1[0-2])\s?\d{2}\s?\d{3}\s?\d{3}(\s?\d{2})?\b/u,
  /\b(IPP|NIR|n° de sécu(rité sociale)?)\s*:?\s*\d/iu,
];

export function looksLikePatientData(text: string): boolean {
  return PATTERNS.some((re) => re.test(text));
}
