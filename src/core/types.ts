import { z } from 'zod';

/** What a document is, for filtering and for the fiche registry. */
export const DocumentKind = z.enum(['ptsm', 'fiche', 'compte-rendu', 'autre']);
export type DocumentKind = z.infer<typeof DocumentKind>;

/**
 * A structural block of a parsed document. Loaders of every format produce
 * these, so the chunker and the fiche parser see one shape whatever the file was.
 */
export interface Block {
  type: 'heading' | 'paragraph' | 'list' | 'table';
  /** Heading level (1 = title); absent on other blocks. */
  level?: number;
  /** Text of the block; list items joined by "\n", table rows as "cell | cell". */
  text: string;
  /** List items, for `list` blocks. */
  items?: string[];
  /**
   * On a numbered list ("4. Créer au CHU…", "b) …"): each item's number as printed, '' for an unnumbered one.
   * Passages and quotes keep it (« l'action 4 »); fiches read the items without it.
   */
  markers?: string[];
  /** Table rows of cells, for `table` blocks. */
  rows?: string[][];
  /** 1-based page, when the format has pages (PDF). */
  page: number | null;
  /** On a heading: it titles one document of a file that gathers several (a collected PDF); passages and name checks stop at it. */
  part?: boolean;
}

export interface ParsedDocument {
  title: string;
  blocks: Block[];
  /** Number of pages when known. */
  pageCount: number | null;
}

/** A document as the knowledge base remembers it. */
export interface DocumentRecord {
  id: string;
  /** Path as given to the indexer, relative to the working directory when possible. */
  source: string;
  title: string;
  kind: DocumentKind;
  /** sha256 of the file content: unchanged files are skipped on re-index. */
  hash: string;
  /** ISO date (YYYY-MM-DD) found in the document, if any. */
  date: string | null;
  pageCount: number | null;
  chunkCount: number;
  indexedAt: string;
  /** Version of the loader that read it (Loader.reader); absent in indexes built before versions existed, read as 1. */
  reader?: number;
  /** Sentences that look like they concern a patient, counted once at indexing (absent in indexes built before the count existed). */
  patientData?: number;
}

/** A retrievable passage with everything needed to cite it. */
export interface Chunk {
  id: string;
  docId: string;
  source: string;
  title: string;
  kind: DocumentKind;
  page: number | null;
  /** Nearest heading above the passage. */
  section: string | null;
  /** Headings from the document title down to the passage. */
  headingPath: string[];
  date: string | null;
  text: string;
  /** Order of the chunk within its document. */
  ord: number;
}

/** `ptsm search --json` item: a stable interface, keep these names. */
export interface SearchHit {
  source: string;
  title: string;
  kind: DocumentKind;
  page: number | null;
  section: string | null;
  text: string;
  score: number;
}

export const Citation = z.object({
  source: z.string(),
  title: z.string(),
  page: z.number().int().nullable(),
  section: z.string().nullable(),
  quote: z.string(),
});
export type Citation = z.infer<typeof Citation>;

/** `ptsm ask --json`: a stable interface, keep these names. */
export const Answer = z.object({
  answer: z.string(),
  abstained: z.boolean(),
  citations: z.array(Citation),
});
export type Answer = z.infer<typeof Answer>;

export const ConversationTurn = z.object({
  role: z.enum(['user', 'assistant']),
  content: z.string(),
});
export type ConversationTurn = z.infer<typeof ConversationTurn>;
