import crypto from 'node:crypto';
import type express from 'express';
import type { Audience, ChannelUser } from '../../app/assistant.js';
import type { Logger } from '../../core/logger.js';

/**
 * Who may use the console. Three modes, combinable:
 * - nothing configured: only requests from this machine (loopback) are served;
 * - a token (`PTSM_WEB_TOKEN`): `Authorization: Bearer <token>`, or the login
 *   form, which sets an HttpOnly, SameSite=Strict cookie derived from the token;
 * - a reverse proxy header (`PTSM_WEB_AUTH_HEADER`, e.g. X-Forwarded-User):
 *   requests without it are refused, its value names the user.
 * When both are configured, both are required.
 */
export interface AuthSettings {
  token: string | undefined;
  authHeader: string | undefined;
}

export const SESSION_COOKIE = 'ptsm_web';
const SESSION_DAYS = 30;
const LOGIN_WINDOW_MS = 60_000;
const LOGIN_MAX_FAILURES = 5;
/** Beyond this many clients tracked, expired entries are dropped (a flood of addresses cannot grow memory without bound). */
const MAX_TRACKED_CLIENTS = 10_000;

/** The user the auth middleware let in (set on `res.locals`). */
export function webUser(res: express.Response): ChannelUser {
  return (res.locals['webUser'] as ChannelUser | undefined) ?? { platform: 'web', id: 'web' };
}

/**
 * Who the console is showing results to, for the Assistant's access policy:
 * the proxy's login, or "web" for the token holder (and the local user).
 * scopes.json decides what that login may see (`users` of a web scope, `coordinators`).
 */
export function webAudience(res: express.Response): Audience {
  return { platform: 'web', user: webUser(res).id };
}

/**
 * Wrong secrets counted per client address over a sliding minute. A client
 * past the limit is refused every attempt until its window ends — a right
 * guess must not be told apart from a wrong one — while other clients, and
 * the ones that never failed, are untouched.
 */
export class FailureThrottle {
  private readonly failures = new Map<string, { count: number; since: number }>();

  constructor(private readonly now: () => number = Date.now, private readonly windowMs = LOGIN_WINDOW_MS, private readonly max = LOGIN_MAX_FAILURES) {}

  /** Seconds until the client may try again, or 0 when it may try now. */
  retryAfter(client: string): number {
    const f = this.failures.get(client);
    if (!f) return 0;
    const left = f.since + this.windowMs - this.now();
    if (left <= 0) { this.failures.delete(client); return 0; }
    return f.count >= this.max ? Math.ceil(left / 1000) : 0;
  }

  fail(client: string): number {
    const now = this.now();
    const f = this.failures.get(client);
    const entry = f && now - f.since < this.windowMs ? f : { count: 0, since: now };
    entry.count++;
    this.failures.set(client, entry);
    if (this.failures.size > MAX_TRACKED_CLIENTS) this.prune(now);
    return entry.count;
  }

  succeed(client: string): void {
    this.failures.delete(client);
  }

  private prune(now: number): void {
    for (const [k, f] of this.failures) if (now - f.since >= this.windowMs) this.failures.delete(k);
  }
}

const TOO_MANY = (seconds: number): string => `Trop de tentatives avec un mauvais jeton : patientez ${seconds} s avant de réessayer.`;

function sameSecret(a: string, b: string): boolean {
  const ha = crypto.createHash('sha256').update(a).digest();
  const hb = crypto.createHash('sha256').update(b).digest();
  return crypto.timingSafeEqual(ha, hb);
}

/** The cookie holds a value derived from the token, never the token itself; changing the token ends every session. */
export function sessionValue(token: string): string {
  return crypto.createHmac('sha256', token).update('ptsm-web-session-v1').digest('base64url');
}

export function readCookie(req: express.Request, name: string): string | null {
  const header = req.headers.cookie;
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) {
      try { return decodeURIComponent(part.slice(eq + 1).trim()); } catch { return null; }
    }
  }
  return null;
}

export function isLoopback(address: string | undefined): boolean {
  return address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1' || (address?.startsWith('127.') ?? false);
}

/** Only local paths after login ("/documents"), never "//evil.example" or "https://…". */
export function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/(?![/\\])[^\s]*$/.test(next) ? next : '/';
}

export type Denial = { status: 401 | 403 | 429; message: string; login: boolean; retryAfter?: number };

export class WebAuth {
  private readonly throttle: FailureThrottle;

  constructor(private readonly settings: AuthSettings, private readonly logger: Logger, clock: () => number = Date.now) {
    this.throttle = new FailureThrottle(clock);
  }

  get usesToken(): boolean {
    return Boolean(this.settings.token);
  }

  /** The user of an allowed request, or why it is refused. */
  check(req: express.Request): { user: ChannelUser } | Denial {
    const { token, authHeader } = this.settings;
    let id = 'web';
    let name: string | undefined;
    if (authHeader) {
      const value = req.get(authHeader)?.trim();
      if (!value) {
        return { status: 401, login: false, message: `Authentification requise : cette console n'est accessible qu'à travers le portail de connexion de votre organisation (en-tête ${authHeader} absent).` };
      }
      id = value;
      name = value;
    }
    if (token) {
      const bearer = /^Bearer\s+(.+)$/i.exec(req.get('authorization') ?? '')?.[1]?.trim();
      const cookie = readCookie(req, SESSION_COOKIE);
      const client = clientOf(req);
      // A session cookie is an HMAC nobody can guess: it is never throttled, so a logged-in browser keeps working.
      const session = cookie !== null && sameSecret(cookie, sessionValue(token));
      if (!session) {
        if (bearer === undefined) return { status: 401, login: true, message: "Authentification requise : connectez-vous avec le jeton d'accès de la console." };
        // A client past its quota of wrong tokens is refused every try, the right one included: a right guess must not stand out.
        const wait = this.throttle.retryAfter(client);
        if (wait) return { status: 429, login: false, retryAfter: wait, message: TOO_MANY(wait) };
        if (!sameSecret(bearer, token)) {
          const failures = this.throttle.fail(client);
          this.logger.warn('web console: wrong token', { ip: client, failures, via: 'bearer' });
          return { status: 401, login: true, message: "Authentification requise : connectez-vous avec le jeton d'accès de la console." };
        }
        this.throttle.succeed(client);
      }
    }
    if (!token && !authHeader && !isLoopback(req.socket.remoteAddress)) {
      return { status: 403, login: false, message: "Accès refusé : sans jeton configuré (PTSM_WEB_TOKEN) ni en-tête d'authentification (PTSM_WEB_AUTH_HEADER), la console n'accepte que les connexions depuis ce poste." };
    }
    return { user: { platform: 'web', id, ...(name ? { name } : {}) } };
  }

  /** Middleware for JSON endpoints: 401/403 with a French message. */
  api(): express.RequestHandler {
    return (req, res, next) => {
      const r = this.check(req);
      if ('user' in r) { res.locals['webUser'] = r.user; next(); return; }
      if (r.login) res.set('WWW-Authenticate', 'Bearer realm="ptsm"');
      if (r.retryAfter) res.set('Retry-After', String(r.retryAfter));
      res.status(r.status).json({ error: { code: DENIAL_CODE[r.status], message: r.message } });
    };
  }

  /** Middleware for pages: to the login form when a token is expected, else a plain refusal page. */
  page(renderRefusal: (message: string) => string): express.RequestHandler {
    return (req, res, next) => {
      const r = this.check(req);
      if ('user' in r) { res.locals['webUser'] = r.user; next(); return; }
      if (r.retryAfter) res.set('Retry-After', String(r.retryAfter));
      if (r.login && !(this.settings.authHeader && !req.get(this.settings.authHeader))) {
        res.redirect(303, `/connexion?suite=${encodeURIComponent(req.originalUrl)}`);
        return;
      }
      res.status(r.status).type('html').send(renderRefusal(r.message));
    };
  }

  /** Checks a submitted token, with a small brake on guessing. */
  login(req: express.Request, submitted: unknown): { ok: true; cookie: string } | { ok: false; status: 401 | 429; message: string } {
    const ip = clientOf(req);
    const wait = this.throttle.retryAfter(ip);
    if (wait) return { ok: false, status: 429, message: TOO_MANY(wait) };
    const token = this.settings.token;
    if (token && typeof submitted === 'string' && sameSecret(submitted.trim(), token)) {
      this.throttle.succeed(ip);
      const secure = req.secure || req.get('x-forwarded-proto') === 'https';
      const cookie = `${SESSION_COOKIE}=${encodeURIComponent(sessionValue(token))}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${SESSION_DAYS * 86400}${secure ? '; Secure' : ''}`;
      return { ok: true, cookie };
    }
    const failures = this.throttle.fail(ip);
    this.logger.warn('web console: wrong token', { ip, failures, via: 'form' });
    return { ok: false, status: 401, message: "Jeton d'accès incorrect." };
  }

  logoutCookie(): string {
    return `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0`;
  }
}

const DENIAL_CODE = { 401: 'UNAUTHENTICATED', 403: 'FORBIDDEN', 429: 'TOO_MANY_ATTEMPTS' } as const;

/** The client a failure is counted against: the connection's address (behind a proxy, the proxy's header auth applies instead). */
function clientOf(req: express.Request): string {
  return req.socket.remoteAddress ?? '?';
}
