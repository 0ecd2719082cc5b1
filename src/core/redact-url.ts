/** postgres://user:secret@host/db → postgres://user:***@host/db: a URL safe in messages and logs (unparsable ones are not echoed). */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(URL illisible)';
  }
}
