import type { Thread } from '../core/fiche.js';
import { maskPatientData } from './mask.js';

/** The thread with every sentence that looks like it concerns a patient masked; message ids are kept, so provenance still holds. */
export function maskThread(thread: Thread, mask: (text: string) => string = (t) => maskPatientData(t).text): Thread {
  return { ...thread, messages: thread.messages.map((m) => ({ ...m, text: mask(m.text) })) };
}
