/**
 * Who is in the thread. Chat threads name people loosely ("Karim", "Dr Vasseur",
 * "@marie", "<@U04DDD>"); a fiche wants the full name the chat shows. The
 * directory is built from message authors only: we never guess people who did
 * not write in the thread, we keep their name as written instead.
 */
import type { Thread } from '../../core/fiche.js';
import { foldLoose } from './text.js';

export interface Person {
  id: string;
  name: string;
}

const TITLE_RE = /^(?:dr|docteur|docteure|pr|professeur|professeure|mme|madame|m|mr|monsieur|mlle)\.?\s+/i;

export class Directory {
  private readonly byId = new Map<string, Person>();
  private readonly byFull = new Map<string, Person>();
  /** token (first or last name) → people carrying it; a name is resolved only when unique. */
  private readonly byToken = new Map<string, Person[]>();
  private forms: Array<{ form: string; person: Person }> | null = null;

  constructor(people: Iterable<Person>) {
    for (const p of people) {
      if (!p.name.trim() || this.byId.has(p.id)) continue;
      this.byId.set(p.id, p);
      this.byFull.set(foldLoose(p.name), p);
      for (const tok of foldLoose(p.name).split(/[\s]+/)) {
        if (tok.length < 2) continue;
        const list = this.byToken.get(tok) ?? [];
        if (!list.some((q) => q.id === p.id)) list.push(p);
        this.byToken.set(tok, list);
      }
    }
  }

  static fromThread(thread: Thread): Directory {
    return new Directory(thread.messages.map((m) => ({ id: m.author.id, name: m.author.name })));
  }

  get people(): Person[] {
    return [...this.byId.values()];
  }

  byChatId(id: string): Person | undefined {
    return this.byId.get(id);
  }

  /**
   * "Karim" → Karim Benali, "Dr Vasseur" → Hélène Vasseur, "marie dupont" → Marie Dupont.
   * Undefined when nobody, or more than one person, fits.
   */
  resolve(written: string): Person | undefined {
    const cleaned = foldLoose(written.replace(TITLE_RE, '')).replace(/[^a-z' ]+/g, ' ').trim();
    if (!cleaned) return undefined;
    const full = this.byFull.get(cleaned);
    if (full) return full;
    const tokens = cleaned.split(' ').filter((t) => t.length >= 2);
    let found: Person | undefined;
    for (const tok of tokens) {
      const list = this.byToken.get(tok);
      if (!list || list.length !== 1) continue;
      if (found && found.id !== list[0]!.id) return undefined;
      found = list[0];
    }
    return found;
  }

  /** Author names and their distinctive tokens, longest first, for scanning free text. */
  nameForms(): Array<{ form: string; person: Person }> {
    if (this.forms) return this.forms;
    const forms: Array<{ form: string; person: Person }> = [];
    for (const p of this.byId.values()) {
      forms.push({ form: foldLoose(p.name), person: p });
    }
    for (const [tok, list] of this.byToken) {
      if (list.length === 1 && tok.length >= 3) forms.push({ form: tok, person: list[0]! });
    }
    this.forms = forms.sort((a, b) => b.form.length - a.form.length);
    return this.forms;
  }
}
