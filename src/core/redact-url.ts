/**
 * postgres://user:secret@host/db → postgres://user:***@host/db (and a
 * `password=` query parameter masked too): a URL safe in messages and logs.
 * Textual, not `new URL()`: socket URLs such as `postgres://u@/db?host=/run/pg`
 * have no host and do not parse as WHATWG URLs.
 */
export function redactUrl(url: string): string {
  return url
    .replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/?#@]*):[^/?#]*@/i, '$1:***@')
    .replace(/([?&]password=)[^&#]*/gi, '$1***');
}
