import { AIMessage, HumanMessage, SystemMessage, type BaseMessage } from '@langchain/core/messages';
import { ChatOpenAI } from '@langchain/openai';
import { PtsmError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { fillPrompt, loadPrompt } from '../core/prompts.js';
import type { Answer, ConversationTurn } from '../core/types.js';
import { OutboundGuard, protectAnswer } from '../privacy/index.js';
import type { ScoredChunk } from '../search/knowledge-base.js';
import type { GenerativeAnswerer } from './answer-service.js';
import { citationOf } from './offline-answerer.js';
import { clip } from './quote.js';

export interface LlmConfig { baseURL: string; model: string; apiKey: string | undefined; timeoutMs: number; allowPersonalData: boolean }

const ABSTAIN_RE = /je n'ai pas trouvé|je n’ai pas trouvé|ne (contiennent|permettent) pas|aucun extrait|pas d'information/i;

/**
 * Any OpenAI-compatible chat endpoint writes the answer from the same
 * excerpts the offline answerer used. Its citation numbers are checked
 * against the excerpts actually given; an answer citing nothing, leaking the
 * prompt or failing falls back to the offline answer.
 */
export class LlmAnswerer implements GenerativeAnswerer {
  private readonly chat: ChatOpenAI;

  constructor(private readonly cfg: LlmConfig, private readonly logger: Logger) {
    this.chat = new ChatOpenAI({
      model: cfg.model,
      apiKey: cfg.apiKey ?? 'not-needed',
      configuration: { baseURL: cfg.baseURL },
      timeout: cfg.timeoutMs,
      maxRetries: 1,
      temperature: 0,
    });
  }

  async answer(input: { question: string; history: readonly ConversationTurn[]; excerpts: readonly ScoredChunk[]; offline: Answer; onToken?: (partial: string) => void }): Promise<Answer> {
    const excerpts = input.excerpts.slice(0, 6);
    if (!excerpts.length) return input.offline;
    // Question, history and excerpts: whatever looks like it concerns a patient is masked before it leaves.
    const guard = new OutboundGuard(this.cfg.allowPersonalData);
    const system = loadPrompt('answer-system');
    const numbered = excerpts.map((e, i) => {
      const c = e.chunk;
      const where = [c.title, c.page ? `p. ${c.page}` : null, c.section].filter(Boolean).join(' — ');
      return `[${i + 1}] (${where})\n${neutralise(guard.text(c.text))}`;
    }).join('\n\n');
    const messages: BaseMessage[] = [new SystemMessage(system)];
    for (const turn of input.history.slice(-6)) messages.push(turn.role === 'user' ? new HumanMessage(guard.text(turn.content)) : new AIMessage(guard.text(turn.content)));
    messages.push(new HumanMessage(fillPrompt(loadPrompt('answer-user'), { excerpts: numbered, question: guard.text(input.question) })));

    const answer = await this.write(messages, excerpts, system, input);
    return answer === input.offline ? answer : protectAnswer(answer, guard.masked);
  }

  private async write(messages: BaseMessage[], excerpts: readonly ScoredChunk[], system: string, input: { offline: Answer; onToken?: (partial: string) => void }): Promise<Answer> {
    const text = (await this.generate(messages, input.onToken)).trim();
    if (!text) return input.offline;
    if (leaksPrompt(text, system)) {
      this.logger.warn('LLM answer repeated the system prompt: replaced by the offline answer');
      return input.offline;
    }
    if (ABSTAIN_RE.test(text) && !/\[\d+\]/.test(text)) {
      return { answer: "Je n'ai pas trouvé la réponse dans les documents du PTSM.", abstained: true, citations: [] };
    }
    const cited = [...new Set([...text.matchAll(/\[(\d+)\]/g)].map((m) => Number(m[1])))];
    const valid = cited.filter((n) => n >= 1 && n <= excerpts.length);
    if (!valid.length) {
      this.logger.warn('LLM answer cites no given excerpt: replaced by the offline answer', { cited });
      return input.offline;
    }
    // Renumber so citations[0] is [1]; drop numbers that point to no excerpt.
    const renumber = new Map(valid.map((n, i) => [n, i + 1]));
    const answer = text.replace(/\[(\d+)\]/g, (_all, n: string) => (renumber.has(Number(n)) ? `[${renumber.get(Number(n))}]` : ''));
    const citations = valid.map((n) => citationOf(excerpts[n - 1]!.chunk, bestQuote(excerpts[n - 1]!.chunk.text, text)));
    return { answer, abstained: false, citations };
  }

  async condense(question: string, history: readonly ConversationTurn[]): Promise<string> {
    const guard = new OutboundGuard(this.cfg.allowPersonalData);
    const transcript = history.slice(-6).map((t) => `${t.role === 'user' ? 'Utilisateur' : 'Assistant'} : ${guard.text(t.content)}`).join('\n');
    const prompt = fillPrompt(loadPrompt('condense'), { history: transcript, question: guard.text(question) });
    const out = (await this.invoke([new HumanMessage(prompt)])).trim().split('\n')[0] ?? '';
    return out.length > 3 ? out : question;
  }

  /** With `onToken`, the answer streams token by token (Slack/Teams message updates). */
  private async generate(messages: BaseMessage[], onToken?: (partial: string) => void): Promise<string> {
    if (!onToken) return this.invoke(messages);
    let acc = '';
    try {
      for await (const chunk of await this.chat.stream(messages)) {
        acc += contentText(chunk.content);
        onToken(acc);
      }
    } catch (cause) {
      throw new PtsmError('LLM_FAILED', `Le LLM ${this.cfg.baseURL} (${this.cfg.model}) a échoué : ${(cause as Error).message}`, { input: this.cfg.baseURL, cause });
    }
    return acc;
  }

  private async invoke(messages: BaseMessage[]): Promise<string> {
    try {
      const res = await this.chat.invoke(messages);
      return contentText(res.content);
    } catch (cause) {
      throw new PtsmError('LLM_FAILED', `Le LLM ${this.cfg.baseURL} (${this.cfg.model}) a échoué : ${(cause as Error).message}`, { input: this.cfg.baseURL, cause });
    }
  }
}

function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.map((p) => (typeof p === 'string' ? p : (p as { text?: string }).text ?? '')).join('');
  return '';
}

/** Documents cannot close the excerpts block or pose as the system. */
function neutralise(text: string): string {
  return text.replace(/<\/?extraits>/gi, '').replace(/^\s*(system|système|assistant)\s*:/gim, '$1 -');
}

/** True when the answer quotes a long run of the system prompt. */
export function leaksPrompt(answer: string, system: string): boolean {
  const norm = (s: string) => s.toLowerCase().replace(/\s+/g, ' ');
  const a = norm(answer);
  // Sentences the prompt asks the model to say verbatim (between « ») are not a leak.
  const words = norm(system.replace(/«[^»]*»/g, ' ')).split(' ');
  for (let i = 0; i + 8 <= words.length; i += 4) if (a.includes(words.slice(i, i + 8).join(' '))) return true;
  return false;
}

/** The sentence of the excerpt that shares most words with the answer. */
function bestQuote(chunkText: string, answer: string): string {
  const words = new Set(answer.toLowerCase().match(/\p{L}{4,}/gu) ?? []);
  const lines = chunkText.split(/\n|(?<=[.!?])\s+/).filter((l) => l.trim().length > 10);
  let best = lines[0] ?? chunkText;
  let bestScore = -1;
  for (const l of lines) {
    const s = (l.toLowerCase().match(/\p{L}{4,}/gu) ?? []).filter((w) => words.has(w)).length;
    if (s > bestScore) { bestScore = s; best = l; }
  }
  return clip(best, 300);
}
