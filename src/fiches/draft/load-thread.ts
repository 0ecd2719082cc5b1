/**
 * Reads a thread from a file: the JSON the Slack/Teams channels produce
 * (`{channel?, messages:[…]}`, also accepted wrapped as `{thread: …}` or as a
 * bare array of messages), or plain text pasted from a chat, one
 * "Nom : message" per line.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { Thread } from '../../core/fiche.js';
import { PtsmError } from '../../core/errors.js';

/** Words that start a line like a name would ("Objectif : …") but are fiche headings. */
const NOT_A_NAME = /^(?:objectifs?|pilotes?|pilotage|partenaires?|etapes?|budget|financement|indicateurs?|titre|calendrier|decision|axe|public|cible|contexte|constat|note|nb|ps|recap|rappel|echeances?|date|lien|url|https?|re|objet|sujet|important|attention|question|reponse|action|actions|moyens)$/i;

const LINE_RE = /^\s*(?:\[[^\]]{1,25}\]\s*)?(?:\d{1,2}[:h]\d{2}\s*[-–]?\s*)?([\p{L}][\p{L}'’. -]{0,48}?)\s*:\s+(.+)$/u;

function fold(s: string): string {
  return s.normalize('NFD').replace(/\p{M}+/gu, '').toLowerCase();
}

function slug(s: string): string {
  return fold(s).replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'inconnu';
}

/** "Marie Dupont : on pourrait…" lines; a line without a name continues the message above. */
export function parsePlainThread(text: string, input: string): Thread {
  const messages: Thread['messages'] = [];
  for (const line of text.split(/\r?\n/)) {
    if (!line.trim()) continue;
    const m = LINE_RE.exec(line);
    const name = m?.[1]?.trim();
    const looksLikeName = !!name && name.split(/\s+/).length <= 4 && !NOT_A_NAME.test(fold(name)) && !/\d/.test(name);
    if (m && looksLikeName) {
      messages.push({ id: `m${messages.length + 1}`, author: { id: slug(name!), name: name! }, ts: String(messages.length + 1), text: m[2]!.trim() });
    } else if (messages.length > 0) {
      const last = messages[messages.length - 1]!;
      last.text += `\n${line.trim()}`;
    } else {
      throw new PtsmError(
        'THREAD_INVALID',
        `Le fichier « ${input} » n'est ni un JSON de fil de discussion ni du texte au format « Nom : message » (première ligne sans auteur : « ${line.trim().slice(0, 60)} »).`,
        { input },
      );
    }
  }
  return { messages };
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const path = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '');
  const where = path.replace(/^messages\[(\d+)\]/, (_all, n: string) => `message n°${Number(n) + 1}`);
  return where ? `${where} : ${issue.message}` : issue.message;
}

/** Validates parsed JSON as a thread; throws THREAD_INVALID naming the file and the first problem. */
export function threadFromJson(data: unknown, input: string): Thread {
  let candidate: unknown = data;
  if (Array.isArray(data)) candidate = { messages: data };
  else if (data && typeof data === 'object' && 'thread' in data && !('messages' in data)) candidate = (data as { thread: unknown }).thread;
  const parsed = Thread.safeParse(candidate);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new PtsmError(
      'THREAD_INVALID',
      `Le fichier « ${input} » n'a pas la forme d'un fil de discussion attendu ({ messages: [{ id, author: { id, name }, ts, text }] })${first ? ` — ${describeIssue(first)}` : ''}.`,
      { input },
    );
  }
  return parsed.data;
}

export function loadThreadFile(path: string): Thread {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    throw new PtsmError(
      code === 'ENOENT' ? 'INPUT_NOT_FOUND' : 'THREAD_INVALID',
      code === 'ENOENT' ? `Fichier de fil de discussion introuvable : « ${path} ».` : `Impossible de lire le fichier « ${path} » (${code ?? 'erreur inconnue'}).`,
      { input: path, cause },
    );
  }
  text = text.replace(/^\uFEFF/, '');
  if (!text.trim()) {
    throw new PtsmError('THREAD_INVALID', `Le fichier de fil de discussion « ${path} » est vide.`, { input: path });
  }
  return threadFromText(text, path, (detail) => `Le fichier « ${path} » n'est pas un JSON valide : ${detail}.`);
}

/**
 * A thread written as text: JSON (a thread, a `{thread}` wrapper or an array
 * of messages) when it starts like JSON, else "Nom : message" lines. Shared by
 * the CLI (files) and the web console (pasted text).
 */
export function threadFromText(text: string, input: string, badJson: (detail: string) => string): Thread {
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (cause) {
      const detail = cause instanceof Error ? cause.message : String(cause);
      throw new PtsmError('THREAD_INVALID', badJson(detail), { input, cause });
    }
    return threadFromJson(data, input);
  }
  return parsePlainThread(text, input);
}
