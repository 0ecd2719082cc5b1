import crypto from 'node:crypto';
import type express from 'express';
import type { ChannelUser } from '../../app/assistant.js';
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

/** The user the auth middleware let in (set on `res.locals`). */
export function webUser(res: express.Response): ChannelUser {
  return (res.locals['webUser'] as ChannelUser | undefined) ?? { platform: 'web', id: 'web' };
}

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

export type Denial = { status: 401 | 403; message: string; login: boolean };

export class WebAuth {
  private readonly failures = new Map<string, { count: number; since: number }>();

  constructor(private readonly settings: AuthSettings, private readonly logger: Logger) {}

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
      const ok = (bearer !== undefined && sameSecret(bearer, token)) || (cookie !== null && sameSecret(cookie, sessionValue(token)));
      if (!ok) return { status: 401, login: true, message: "Authentification requise : connectez-vous avec le jeton d'accès de la console." };
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
      res.status(r.status).json({ error: { code: r.status === 401 ? 'UNAUTHENTICATED' : 'FORBIDDEN', message: r.message } });
    };
  }

  /** Middleware for pages: to the login form when a token is expected, else a plain refusal page. */
  page(renderRefusal: (message: string) => string): express.RequestHandler {
    return (req, res, next) => {
      const r = this.check(req);
      if ('user' in r) { res.locals['webUser'] = r.user; next(); return; }
      if (r.login && !(this.settings.authHeader && !req.get(this.settings.authHeader))) {
        res.redirect(303, `/connexion?suite=${encodeURIComponent(req.originalUrl)}`);
        return;
      }
      res.status(r.status).type('html').send(renderRefusal(r.message));
    };
  }

  /** Checks a submitted token, with a small brake on guessing. */
  login(req: express.Request, submitted: unknown): { ok: true; cookie: string } | { ok: false; status: 401 | 429; message: string } {
    const ip = req.socket.remoteAddress ?? '?';
    const now = Date.now();
    const f = this.failures.get(ip);
    if (f && now - f.since < LOGIN_WINDOW_MS && f.count >= LOGIN_MAX_FAILURES) {
      return { ok: false, status: 429, message: 'Trop de tentatives : patientez une minute avant de réessayer.' };
    }
    const token = this.settings.token;
    if (token && typeof submitted === 'string' && sameSecret(submitted.trim(), token)) {
      this.failures.delete(ip);
      const secure = req.secure || req.get('x-forwarded-proto') === 'https';
      const cookie = `${SESSION_COOKIE}=${encodeURIComponent(sessionValue(token))}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${SESSION_DAYS * 86400}${secure ? '; Secure' : ''}`;
      return { ok: true, cookie };
    }
    const entry = f && now - f.since < LOGIN_WINDOW_MS ? f : { count: 0, since: now };
    entry.count++;
    this.failures.set(ip, entry);
    this.logger.warn('web console: wrong token', { ip, failures: entry.count });
    return { ok: false, status: 401, message: "Jeton d'accès incorrect." };
  }

  logoutCookie(): string {
    return `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0`;
  }
}
