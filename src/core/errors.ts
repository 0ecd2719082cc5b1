/**
 * One error taxonomy for the whole product. Every error carries a stable code
 * (scripts and adapters switch on it) and the input that caused it, so a
 * message can always name the file, event or value at fault.
 */
export type ErrorCode =
  | 'CONFIG_INVALID'
  | 'USAGE'
  | 'INPUT_NOT_FOUND'
  | 'INPUT_EMPTY'
  | 'INPUT_UNSUPPORTED'
  | 'INPUT_CORRUPT'
  | 'INPUT_ENCODING'
  | 'INDEX_MISSING'
  | 'INDEX_CORRUPT'
  | 'EMBEDDER_FAILED'
  | 'LLM_FAILED'
  | 'THREAD_INVALID'
  | 'FICHE_NOT_FOUND'
  | 'DATE_UNREADABLE'
  | 'NOTIFIER_FAILED'
  | 'DATABASE_FAILED'
  | 'CHANNEL_EVENT_INVALID';

export class PtsmError extends Error {
  readonly code: ErrorCode;
  /** The input at fault: a path, a value, an event id. */
  readonly input: string | undefined;

  constructor(code: ErrorCode, message: string, options: { input?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'PtsmError';
    this.code = code;
    this.input = options.input;
  }
}

export function isPtsmError(e: unknown): e is PtsmError {
  return e instanceof PtsmError;
}

/** A French, user-facing message for any thrown value. */
export function describeError(e: unknown): string {
  if (e instanceof PtsmError) return e.message;
  if (e instanceof Error) return e.message;
  return String(e);
}
