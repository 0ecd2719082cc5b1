import { LruMap } from '../core/lru.js';
import type { Block } from '../core/types.js';
import type { SnapshotView } from '../search/snapshot.js';
import { foldWords } from '../text/fold.js';
import { splitSentences } from '../ingestion/chunker.js';
import { listLines, stripBullet } from '../ingestion/blocks/normalize.js';

/**
 * What the answerer needs to know of a document beyond its passages: its
 * headings (to tell which section a quoted line sits in) and, for paged
 * formats, the page each line was printed on — a passage may run over a page
 * break, a quote must cite the page that holds it.
 */
export class DocumentView {
  // Bounded: a server answering for months touches every document of a large index.
  private readonly headings = new LruMap<string, ReadonlySet<string>>(CACHE_DOCUMENTS);
  private readonly pages = new LruMap<string, Array<{ page: number; text: string }>>(CACHE_DOCUMENTS);
  private readonly texts = new LruMap<string, string>(CACHE_DOCUMENTS * 4);
  private readonly pageCounts = new LruMap<string, number>(CACHE_DOCUMENTS);
  private readonly folded = new LruMap<string, Array<{ block: Block; text: string }>>(CACHE_DOCUMENTS);

  constructor(private readonly snapshot: Pick<SnapshotView, 'blocks'>) {}

  headingsOf(docId: string): ReadonlySet<string> {
    let set = this.headings.get(docId);
    if (!set) {
      set = new Set((this.snapshot.blocks.get(docId) ?? []).filter((b) => b.type === 'heading').map((b) => b.text));
      this.headings.set(docId, set);
    }
    return set;
  }

  /**
   * Does the document name this? "le PTSM de Gironde" is answered by a
   * document about Gironde. In a long paged file (a collected PDF, a 100-page
   * PTSM) the part around the page counts — the page and its neighbours —
   * not the whole file, which names every territory somewhere. The title and
   * the file name count too ("…-deux-sevres.txt" is about the Deux-Sèvres even
   * when its text names them once), and names match word for word, whatever
   * the hyphens and apostrophes.
   */
  mentions(doc: { docId: string; title: string; source: string }, name: string, page: number | null = null): boolean {
    const docId = doc.docId;
    const blocks = this.snapshot.blocks.get(docId) ?? [];
    let pages = this.pageCounts.get(docId);
    if (pages === undefined) {
      pages = new Set(blocks.map((b) => b.page).filter((p) => p !== null)).size;
      this.pageCounts.set(docId, pages);
    }
    const windowed = page !== null && pages > PAGE_WINDOW * 2 + 1;
    const key = windowed ? `${docId}#${page}` : docId;
    let text = this.texts.get(key);
    if (text === undefined) {
      const window = windowed ? partsAround(blocks, page!) ?? blocks.filter((b) => b.page !== null && Math.abs(b.page - page!) <= PAGE_WINDOW) : blocks;
      const label = `${doc.title} ${doc.source.split('/').pop() ?? ''}`;
      text = ` ${foldWords([label, ...window.map((b) => b.text)].join('\n'))} `;
      this.texts.set(key, text);
    }
    return text.includes(` ${foldWords(name)} `);
  }

  /**
   * The line that follows `text` in its document, when `text` ends a block:
   * the first sentence or list item of the next block, unless that block is a
   * heading (another topic). A passage's last sentence often names the topic
   * whose fact opens the next passage (« … du poste de coordinateur. » /
   * « Son engagement … 33 000 euros par an. »).
   */
  lineAfter(docId: string, text: string): string {
    let blocks = this.folded.get(docId);
    if (!blocks) {
      blocks = (this.snapshot.blocks.get(docId) ?? []).map((b) => ({ block: b, text: foldWords(b.text) }));
      this.folded.set(docId, blocks);
    }
    const probe = foldWords(stripBullet(text)).slice(-60);
    if (!probe) return '';
    const at = blocks.findIndex((b) => b.text.endsWith(probe));
    const next = at >= 0 ? blocks[at + 1]?.block : undefined;
    if (!next || next.type === 'heading' || next.type === 'table') return '';
    if (next.type === 'list') return listLines(next)[0] ?? '';
    return splitSentences(next.text)[0] ?? '';
  }

  /** Page of the block that holds the start of `text`, or null for unpaged documents. */
  pageOf(docId: string, text: string): number | null {
    let blocks = this.pages.get(docId);
    if (!blocks) {
      blocks = (this.snapshot.blocks.get(docId) ?? []).filter((b) => b.page !== null).map((b) => ({ page: b.page!, text: foldWords(b.text) }));
      this.pages.set(docId, blocks);
    }
    if (!blocks.length) return null;
    const probe = foldWords(text.replace(/^[-•*]\s*/, '')).slice(0, 60);
    if (!probe) return null;
    const hit = blocks.find((b) => b.text.includes(probe));
    return hit ? hit.page : null;
  }
}

/**
 * In a file that gathers several documents, the blocks of the documents
 * printed on this page (a page may end one and start the next); null when the
 * file has no parts.
 */
function partsAround(blocks: readonly Block[], page: number): Block[] | null {
  const starts = blocks.flatMap((b, i) => (b.part ? [i] : []));
  if (!starts.length) return null;
  const out: Block[] = [];
  starts.forEach((start, k) => {
    const end = starts[k + 1] ?? blocks.length;
    const part = blocks.slice(k === 0 ? 0 : start, end);
    const paged = part.filter((b) => b.page !== null);
    if (paged.length && paged[0]!.page! <= page && page <= paged[paged.length - 1]!.page!) out.push(...part);
  });
  return out;
}

/** Documents whose derived views are kept in memory. */
const CACHE_DOCUMENTS = 512;

/** Pages either side of a passage's page that count as its context in a long paged file. */
const PAGE_WINDOW = 1;

