import fs from 'node:fs';
import path from 'node:path';
import type { Citation, DocumentKind } from '../../core/types.js';
import { currentGeneration, readSnapshot, type IndexError, type SnapshotView } from '../../search/snapshot.js';
import { uploadsDir } from './uploads.js';

/**
 * What the console knows about indexed documents, read from the live
 * snapshot (re-read only when the generation changes). Documents are only
 * ever reached by their index id: a file that is not in the manifest cannot
 * be served, whatever the URL says.
 */
export interface DocumentSummary {
  id: string;
  title: string;
  source: string;
  fileName: string;
  kind: DocumentKind;
  date: string | null;
  pageCount: number | null;
  chunkCount: number;
  indexedAt: string;
  /** Added through the console (stored under <dataDir>/uploads). */
  uploaded: boolean;
}

export interface Passage { page: number | null; section: string | null; text: string; ord: number }

export type WebCitation = Citation & { documentId: string | null; url: string | null };

/** Which documents (by source) the asker may see: always given by the Assistant's access policy. */
export type DocumentFilter = (source: string) => boolean;

/** Index ids are 16 hex characters (sha1 prefix of the absolute path). */
const DOC_ID = /^[0-9a-f]{16}$/;

export class DocumentCatalog {
  private cached: { gen: string; data: SnapshotView } | null = null;

  constructor(private readonly dataDir: string) {}

  private snapshot(): SnapshotView | null {
    const gen = currentGeneration(this.dataDir);
    if (!gen) return null;
    if (this.cached?.gen !== gen) {
      this.cached?.data.close();
      this.cached = { gen, data: readSnapshot(this.dataDir)! };
    }
    return this.cached.data;
  }

  list(visible: DocumentFilter): { documents: DocumentSummary[]; errors: IndexError[]; indexedAt: string | null } {
    const snap = this.snapshot();
    if (!snap) return { documents: [], errors: [], indexedAt: null };
    const uploads = path.resolve(uploadsDir(this.dataDir)) + path.sep;
    const documents = snap.manifest.documents.filter((d) => visible(d.source)).map((d) => ({
      id: d.id, title: d.title, source: d.source, fileName: path.basename(d.absPath), kind: d.kind, date: d.date,
      pageCount: d.pageCount, chunkCount: d.chunkCount, indexedAt: d.indexedAt, uploaded: path.resolve(d.absPath).startsWith(uploads),
    }));
    // Errors name paths as given to the indexer; the page needs only the file name.
    const errors = snap.manifest.errors.filter((e) => visible(e.source)).map((e) => ({ ...e, source: path.basename(e.source) }));
    return { documents, errors, indexedAt: snap.manifest.createdAt };
  }

  /** The indexed file behind an id, or null (unknown id, malformed id, file gone). */
  file(id: string, visible: DocumentFilter): { absPath: string; title: string; fileName: string; kind: DocumentKind } | null {
    if (!DOC_ID.test(id)) return null;
    const doc = this.snapshot()?.manifest.documents.find((d) => d.id === id);
    if (!doc || !visible(doc.source)) return null;
    try {
      if (!fs.statSync(doc.absPath).isFile()) return null;
    } catch {
      return null;
    }
    return { absPath: doc.absPath, title: doc.title, fileName: path.basename(doc.absPath), kind: doc.kind };
  }

  /** Passages of a document, on one page when given (the excerpt view of a citation). */
  passages(id: string, page: number | null, visible: DocumentFilter): { document: DocumentSummary; passages: Passage[] } | null {
    if (!DOC_ID.test(id)) return null;
    const document = this.list(visible).documents.find((d) => d.id === id);
    const snap = this.snapshot();
    if (!document || !snap) return null;
    const passages = snap.chunksOf(id)
      .filter((c) => page === null || c.page === page)
      .map((c) => ({ page: c.page, section: c.section, text: c.text, ord: c.ord }));
    return { document, passages };
  }

  /** Adds the document id and link to each citation of an answer. */
  linkCitations(citations: readonly Citation[]): WebCitation[] {
    const docs = this.snapshot()?.manifest.documents ?? [];
    return citations.map((c) => {
      const doc = docs.find((d) => d.source === c.source) ?? docs.find((d) => d.title === c.title);
      if (!doc) return { ...c, documentId: null, url: null };
      return { ...c, documentId: doc.id, url: `/api/documents/${doc.id}/raw${c.page ? `#page=${c.page}` : ''}` };
    });
  }
}
