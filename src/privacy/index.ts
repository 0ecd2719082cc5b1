/** Patient-data detection and masking: nothing that concerns a patient leaves for an external model, nor is quoted back. */
export { countPatientData, detectPatientData, looksLikePatientData, scoreSentence, sentenceSpans, type PatientDataSpan } from './detector.js';
export { MASK, maskPatientData, type Masked } from './mask.js';
export { OutboundGuard } from './outbound.js';
export { MASKED_NOTICE, QUESTION_WARNING, patientDataNotice, protectAnswer } from './answer.js';
export { maskThread } from './thread.js';
