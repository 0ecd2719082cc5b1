import { HumanMessage, SystemMessage } from '@langchain/core/messages';
import { ChatOpenAI } from '@langchain/openai';
import { z } from 'zod';
import { PtsmError } from '../../core/errors.js';
import { FICHE_FIELDS, Fiche, type FicheDraft, type Thread } from '../../core/fiche.js';
import { loadPrompt } from '../../core/prompts.js';
import { parseFrenchDate } from '../../milestones/french-dates.js';
import { OutboundGuard, maskThread } from '../../privacy/index.js';

/**
 * What the LLM fills: the fiche fields plus, per field, the ids of the
 * messages it came from. Provenance is a list (not a map) because strict
 * structured-output modes of several providers refuse free-form objects.
 */
export const LlmDraftSchema = z.object({
  title: z.string().describe('Intitulé court de la fiche action'),
  axis: z.string().nullable().describe('Axe du PTSM, si la discussion le dit'),
  context: z.string().nullable().describe('Constat / contexte'),
  objectives: z.object({ general: z.array(z.string()), operational: z.array(z.string()) }),
  steps: z.array(z.string()),
  targetPublic: z.array(z.string()),
  pilots: z.array(z.object({ name: z.string(), organisation: z.string().nullable() })),
  partners: z.array(z.string()),
  milestones: z.array(z.object({ label: z.string(), dueText: z.string() })),
  indicators: z.array(z.object({ label: z.string(), type: z.enum(['processus', 'resultat', 'autre']), target: z.string().nullable() })),
  funding: z.string().nullable(),
  provenance: z.array(z.object({ field: z.enum(FICHE_FIELDS), messageIds: z.array(z.string()) })),
});
export type LlmDraft = z.infer<typeof LlmDraftSchema>;

export interface LlmDrafterConfig { baseURL: string; model: string; apiKey: string | undefined; timeoutMs: number; allowPersonalData?: boolean }

/** Drafts with any OpenAI-compatible chat model through structured output (function calling). */
export class LlmDrafter {
  private readonly chat: ChatOpenAI;

  constructor(private readonly cfg: LlmDrafterConfig) {
    this.chat = new ChatOpenAI({ model: cfg.model, apiKey: cfg.apiKey ?? 'not-needed', configuration: { baseURL: cfg.baseURL }, timeout: cfg.timeoutMs, maxRetries: 1, temperature: 0 });
  }

  /** Throws LLM_FAILED on transport errors and THREAD_INVALID when the output does not hold up; callers fall back to the offline draft. */
  async draft(thread: Thread, opts: { now: string; ref?: string; id: string }): Promise<FicheDraft> {
    const structured = this.chat.withStructuredOutput(LlmDraftSchema, { name: 'fiche_action', method: 'functionCalling' });
    // The thread leaves for the LLM with what looks like patient data masked, unless the operator allows it.
    const guard = new OutboundGuard(this.cfg.allowPersonalData ?? false);
    const transcript = maskThread(thread, (t) => guard.text(t)).messages.map((m) => `[${m.id}] ${m.author.name} : ${m.text.replace(/<\/?fil>/g, '')}`).join('\n');
    let raw: unknown;
    try {
      raw = await structured.invoke([new SystemMessage(loadPrompt('draft-system')), new HumanMessage(`<fil>\n${transcript}\n</fil>`)]);
    } catch (cause) {
      throw new PtsmError('LLM_FAILED', `Le LLM n'a pas pu rédiger la fiche : ${(cause as Error).message}`, { input: this.cfg.baseURL, cause });
    }
    return toDraft(LlmDraftSchema.parse(raw), thread, opts);
  }
}

/** Validates the LLM's output against the thread and turns it into a FicheDraft. */
export function toDraft(out: LlmDraft, thread: Thread, opts: { now: string; ref?: string; id: string }): FicheDraft {
  const ids = new Set(thread.messages.map((m) => m.id));
  const provenance: Record<string, string[]> = {};
  for (const p of out.provenance) {
    const unknown = p.messageIds.filter((id) => !ids.has(id));
    if (unknown.length) {
      throw new PtsmError('THREAD_INVALID', `Le LLM cite des messages absents du fil : ${unknown.join(', ')}`, { input: unknown.join(',') });
    }
    provenance[p.field] = [...new Set([...(provenance[p.field] ?? []), ...p.messageIds])];
  }
  const ref = opts.ref ?? opts.now.slice(0, 10);
  const fiche = Fiche.parse({
    id: opts.id,
    title: out.title,
    axis: out.axis,
    context: out.context,
    objectives: out.objectives,
    steps: out.steps,
    targetPublic: out.targetPublic,
    pilots: out.pilots.map((p) => ({ name: p.name, organisation: p.organisation })),
    partners: out.partners,
    milestones: out.milestones.map((m) => {
      const d = parseFrenchDate(m.dueText, ref);
      return { label: m.label, dueText: m.dueText, due: d.end, start: d.start, precision: d.precision };
    }),
    indicators: out.indicators,
    funding: out.funding,
    status: 'brouillon',
    updatedAt: opts.now,
  });
  const filled = (f: (typeof FICHE_FIELDS)[number]): boolean => {
    const v = fiche[f];
    if (v === null || v === '') return false;
    if (Array.isArray(v)) return v.length > 0;
    if (typeof v === 'object') return (v as { general: string[]; operational: string[] }).general.length + (v as { general: string[]; operational: string[] }).operational.length > 0;
    return true;
  };
  // A filled field must say where it came from; otherwise the draft is not traceable.
  for (const f of FICHE_FIELDS) {
    if (filled(f) && f !== 'title' && !provenance[f]?.length) {
      throw new PtsmError('THREAD_INVALID', `Le LLM n'indique pas la source du champ « ${f} »`, { input: f });
    }
  }
  return { fiche, missing: FICHE_FIELDS.filter((f) => !filled(f)), provenance };
}
