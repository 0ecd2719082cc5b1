import { maskPatientData } from './mask.js';

/**
 * The patient-data guard at the LLM port: everything sent to an external
 * model (chat or embeddings) goes through one of these. Unless the operator
 * set PTSM_LLM_ALLOW_PERSONAL_DATA=true, each sentence that looks like it
 * concerns a patient is masked before it leaves; `masked` counts them so the
 * answer can say so.
 */
export class OutboundGuard {
  private count = 0;

  constructor(private readonly allowPersonalData: boolean) {}

  get masked(): number { return this.count; }

  text(s: string): string {
    if (this.allowPersonalData) return s;
    const m = maskPatientData(s);
    this.count += m.masked;
    return m.text;
  }

  texts(list: readonly string[]): string[] {
    return list.map((s) => this.text(s));
  }
}
