import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SqliteDb } from '../../src/storage/sqlite.js';
import { escapeText, foldLine, renderIcs } from '../../src/milestones/ics.js';
import { listMilestones, syncMilestones } from '../../src/milestones/store.js';
import { fiche, ms, pilot, tempDb } from './support.js';

/** Minimal RFC 5545 reader: unfold, split properties, unescape TEXT. */
function parseIcs(text: string): { events: Record<string, string>[]; props: Record<string, string> } {
  const unfolded = text.replace(/\r\n[ \t]/g, '');
  const lines = unfolded.split('\r\n').filter((l) => l !== '');
  const events: Record<string, string>[] = [];
  const props: Record<string, string> = {};
  let current: Record<string, string> | null = null;
  for (const line of lines) {
    if (line === 'BEGIN:VEVENT') { current = {}; continue; }
    if (line === 'END:VEVENT') { events.push(current!); current = null; continue; }
    const i = line.indexOf(':');
    const name = line.slice(0, i);
    const value = line.slice(i + 1).replace(/\\([\\;,nN])/g, (_m, c: string) => (c === 'n' || c === 'N' ? '\n' : c));
    (current ?? props)[name] = value;
  }
  return { events, props };
}

describe('ICS export', () => {
  let db: SqliteDb;
  let cleanup: () => void;
  beforeEach(() => {
    ({ db, cleanup } = tempDb());
    syncMilestones(db, [
      fiche('fa-4', 4, [
        ms('Lancement', '2026-06-30', 'T2 2026'),
        ms('Comité de suivi; bilan, étape 2 \\ partenaires : CMP, GEM, UNAFAM, MDPH et représentants des usagers du territoire', '2026-12-31', 'fin 2026'),
        ms('Évaluation', null, 'à définir'),
      ], [pilot('Dr Paul Martin', { organisation: 'CH de Vaubrun' }), pilot('Hélène Dupont')], { title: 'Repérage précoce des troubles psychiques chez les jeunes' }),
      fiche('fa-9', 9, [ms('Ouverture', '2026-09-01')], [pilot('Mme Sophie Leroy')], { status: 'abandonnée' }),
    ], '2026-05-01T08:00:00Z');
  });
  afterEach(() => cleanup());

  it('renders one all-day VEVENT per dated milestone, CRLF, folded at 75 octets, and parses back', () => {
    const ics = renderIcs(listMilestones(db, { now: '2026-05-01T08:00:00Z' }), { now: '2026-05-02T10:11:12Z' });
    expect(ics.endsWith('\r\n')).toBe(true);
    expect(ics.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/); // no bare LF or CR
    for (const line of ics.split('\r\n')) expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(75);
    expect(ics).toMatch(/\r\n /); // long lines were folded

    const { events, props } = parseIcs(ics);
    expect(props['BEGIN']).toBe('VCALENDAR');
    expect(props['VERSION']).toBe('2.0');
    expect(events).toHaveLength(2); // undated and abandoned milestones left out
    const [lancement, comite] = events;
    expect(lancement).toMatchObject({
      SUMMARY: 'FA 4 — Lancement',
      'DTSTART;VALUE=DATE': '20260630',
      'DTEND;VALUE=DATE': '20260701',
      DTSTAMP: '20260502T101112Z',
    });
    expect(lancement!['DESCRIPTION']).toBe([
      'Pilotes : Dr Paul Martin (CH de Vaubrun), Hélène Dupont',
      'Fiche : FA 4 — Repérage précoce des troubles psychiques chez les jeunes',
      'Échéance écrite : T2 2026',
      'Statut : à venir',
    ].join('\n'));
    expect(comite!['SUMMARY']).toBe('FA 4 — Comité de suivi; bilan, étape 2 \\ partenaires : CMP, GEM, UNAFAM, MDPH et représentants des usagers du territoire');
    expect(new Set(events.map((e) => e['UID'])).size).toBe(2);
  });

  it('keeps UIDs stable across exports', () => {
    const a = parseIcs(renderIcs(listMilestones(db), { now: '2026-05-02T10:00:00Z' })).events.map((e) => e['UID']);
    const b = parseIcs(renderIcs(listMilestones(db), { now: '2026-06-02T10:00:00Z' })).events.map((e) => e['UID']);
    expect(a).toEqual(b);
  });

  it('can include cancelled milestones as STATUS:CANCELLED', () => {
    const { events } = parseIcs(renderIcs(listMilestones(db), { now: '2026-05-02T10:00:00Z', includeCancelled: true }));
    expect(events.find((e) => e['SUMMARY'] === 'FA 9 — Ouverture')!['STATUS']).toBe('CANCELLED');
  });

  it('escapes TEXT and never folds inside a UTF-8 character', () => {
    expect(escapeText('a,b;c\\d\ne')).toBe('a\\,b\\;c\\\\d\\ne');
    // 'é' is 2 octets: a line stops at 74 rather than cutting the 38th character in half.
    const folded = foldLine(`SUMMARY:${'é'.repeat(100)}`);
    const parts = folded.split('\r\n');
    expect(parts.map((p) => Buffer.byteLength(p, 'utf8'))).toEqual([74, 75, 61]);
    expect(parts.map((p, i) => (i === 0 ? p : p.slice(1))).join('')).toBe(`SUMMARY:${'é'.repeat(100)}`);
  });
});
