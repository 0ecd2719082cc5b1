/** Patient-data detection and masking: nothing that concerns a patient leaves for an external model, nor is quoted back. */
export { detectPatientData, looksLikePatientData, scoreSentence, sentenceSpans, type PatientDataSpan } from './detector.js';
export { MASK, maskPatientData, type Masked } from './mask.js';
