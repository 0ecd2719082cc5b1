/**
 * How much a single document may cost to read. A DOCX is a zip: a small file
 * can inflate to gigabytes (a "decompression bomb"), and a PDF can declare
 * tens of thousands of pages. These bounds are checked before the expensive
 * work starts; `src/config.ts` lets the operator change them.
 */
export interface IngestionLimits {
  /** Sum of the uncompressed sizes of a zip-based file's entries, in bytes. */
  maxArchiveBytes: number;
  /** Number of entries in a zip-based file. */
  maxArchiveEntries: number;
  /** Uncompressed / compressed size of one entry (checked on entries of 1 MiB or more: small XML parts compress well). */
  maxCompressionRatio: number;
  /** Size of a PDF file, in bytes. */
  maxPdfBytes: number;
  /** Pages of a PDF. */
  maxPdfPages: number;
}

export const DEFAULT_INGESTION_LIMITS: IngestionLimits = {
  maxArchiveBytes: 50 * 1024 * 1024,
  maxArchiveEntries: 2000,
  maxCompressionRatio: 100,
  maxPdfBytes: 50 * 1024 * 1024,
  maxPdfPages: 2000,
};

/** Entries smaller than this are never refused for their ratio alone. */
export const RATIO_FLOOR_BYTES = 1024 * 1024;

/** "52,4 Mo": sizes as French users read them. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} o`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(0)} Ko`;
  return `${(n / (1024 * 1024)).toFixed(1).replace('.', ',').replace(/,0$/, '')} Mo`;
}
