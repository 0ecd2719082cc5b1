import type { SnapshotData } from '../search/snapshot.js';
import { foldForMatch } from '../text/fold.js';

/**
 * What the answerer needs to know of a document beyond its passages: its
 * headings (to tell which section a quoted line sits in) and, for paged
 * formats, the page each line was printed on — a passage may run over a page
 * break, a quote must cite the page that holds it.
 */
export class DocumentView {
  private readonly headings = new Map<string, ReadonlySet<string>>();
  private readonly pages = new Map<string, Array<{ page: number; text: string }>>();
  private readonly texts = new Map<string, string>();

  constructor(private readonly snapshot: Pick<SnapshotData, 'blocks'>) {}

  headingsOf(docId: string): ReadonlySet<string> {
    let set = this.headings.get(docId);
    if (!set) {
      set = new Set((this.snapshot.blocks.get(docId) ?? []).filter((b) => b.type === 'heading').map((b) => b.text));
      this.headings.set(docId, set);
    }
    return set;
  }

  /** Does the document, anywhere (title and all its blocks), name this? "le PTSM de Gironde" is answered by a document about Gironde. */
  mentions(docId: string, name: string): boolean {
    let text = this.texts.get(docId);
    if (text === undefined) {
      text = foldForMatch((this.snapshot.blocks.get(docId) ?? []).map((b) => b.text).join('\n'));
      this.texts.set(docId, text);
    }
    return text.includes(foldForMatch(name));
  }

  /** Page of the block that holds the start of `text`, or null for unpaged documents. */
  pageOf(docId: string, text: string): number | null {
    let blocks = this.pages.get(docId);
    if (!blocks) {
      blocks = (this.snapshot.blocks.get(docId) ?? []).filter((b) => b.page !== null).map((b) => ({ page: b.page!, text: squash(b.text) }));
      this.pages.set(docId, blocks);
    }
    if (!blocks.length) return null;
    const probe = squash(text.replace(/^[-•*]\s*/, '')).slice(0, 60);
    if (!probe) return null;
    const hit = blocks.find((b) => b.text.includes(probe));
    return hit ? hit.page : null;
  }
}

const squash = (s: string): string => foldForMatch(s).replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
