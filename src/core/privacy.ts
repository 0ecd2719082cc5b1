/**
 * Chat threads may mention people in care; the assistant never needs
 * personal health data. The detector lives in src/privacy (cue tables and
 * one weighted score per sentence); channels use this predicate to warn.
 */
export { looksLikePatientData } from '../privacy/detector.js';
