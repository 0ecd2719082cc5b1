import { describe, expect, it } from 'vitest';
import { safeNext, sessionValue } from '../../../src/channels/web/auth.js';
import { filterRows, milestoneRows, renderMilestonesCsv } from '../../../src/channels/web/milestone-rows.js';
import { checkContent, sanitizeFileName, UploadError } from '../../../src/channels/web/uploads.js';
import type { MilestoneView } from '../../../src/milestones/index.js';
import type { Fiche } from '../../../src/core/fiche.js';

describe('sanitizeFileName', () => {
  it.each([
    ['Compte rendu COPIL 12-03-2026.pdf', 'Compte rendu COPIL 12-03-2026.pdf'],
    ['../../etc/passwd.pdf', 'passwd.pdf'],
    ['..%2F..%2Fx.md', 'x.md'],
    ['..%252F..%252Fdouble.md', 'double.md'],
    ['C:\\Users\\coord\\Bureau\\fiche 4.docx', 'fiche 4.docx'],
    ['/etc/absolu.txt', 'absolu.txt'],
    ['nul\u0000.pdf', 'nul.pdf'],
    ['.cache.md', 'cache.md'],
    ['Fiche n°3 « Logement » (v2).DOCX', 'Fiche n_3 _ Logement _ (v2).docx'],
    ['Réunion du CLSM – été 2026.html', 'Réunion du CLSM _ été 2026.html'],
  ])('%j → %j', (raw, expected) => {
    expect(sanitizeFileName(raw)).toBe(expected);
  });

  it('refuses extensions the knowledge base does not read, in French', () => {
    expect(() => sanitizeFileName('virus.exe')).toThrow(/Format non pris en charge \(\.exe\)/);
    expect(() => sanitizeFileName('ancien.doc')).toThrow(UploadError);
    expect(() => sanitizeFileName('sans-extension')).toThrow(/Format non pris en charge pour/);
    expect(() => sanitizeFileName('x.pdf.exe')).toThrow(UploadError);
    expect(() => sanitizeFileName('..pdf')).toThrow(UploadError); // only dots and an extension: no name left
  });
});

describe('checkContent', () => {
  it('accepts content matching its extension', () => {
    expect(() => checkContent(Buffer.from('%PDF-1.7\n…'), 'a.pdf')).not.toThrow();
    expect(() => checkContent(Buffer.from('PK\u0003\u0004rest'), 'a.docx')).not.toThrow();
    expect(() => checkContent(Buffer.from('# Titre\n\nTexte accentué'), 'a.md')).not.toThrow();
    expect(() => checkContent(Buffer.from([0x52, 0xe9, 0x75, 0x6e, 0x69, 0x6f, 0x6e]), 'latin1.txt')).not.toThrow(); // "Réunion" in Windows-1252
  });

  it('refuses a renamed or broken file with the reason', () => {
    expect(() => checkContent(Buffer.from('hello'), 'a.pdf')).toThrow(/en-tête %PDF absent/);
    expect(() => checkContent(Buffer.from('%PDF-1.4'), 'a.docx')).toThrow(/pas un document Word/);
    expect(() => checkContent(Buffer.from('%PDF-1.4 …'), 'a.txt')).toThrow(/contient un PDF/);
    expect(() => checkContent(Buffer.from([0, 1, 2, 3, 0, 0, 0]), 'a.md')).toThrow(/pas du texte lisible/);
    expect(() => checkContent(Buffer.alloc(0), 'a.md')).toThrow(/est vide/);
  });
});

describe('login helpers', () => {
  it('only redirects to local paths after login', () => {
    expect(safeNext('/tableau-de-bord?axe=2')).toBe('/tableau-de-bord?axe=2');
    expect(safeNext('//evil.example')).toBe('/');
    expect(safeNext('/\\evil.example')).toBe('/');
    expect(safeNext('https://evil.example')).toBe('/');
    expect(safeNext(undefined)).toBe('/');
  });

  it('derives the session cookie from the token without containing it', () => {
    expect(sessionValue('abc')).not.toContain('abc');
    expect(sessionValue('abc')).toBe(sessionValue('abc'));
    expect(sessionValue('abc')).not.toBe(sessionValue('abd'));
  });
});

function view(over: Partial<MilestoneView>): MilestoneView {
  return {
    id: 'fa-1#bilan', ficheId: 'fa-1', ficheNumber: 1, ficheTitle: 'Prévention du suicide', key: 'bilan', position: 0,
    label: 'Bilan', dueText: 'fin 2026', due: '2026-12-31', start: '2026-10-01', precision: 'quarter', ficheDue: '2026-12-31',
    remindFrom: '2026-10-01', status: 'à venir', storedStatus: 'à venir', statusReason: null, flag: null,
    pilots: [{ name: 'Dr Léa Morin', organisation: 'CH de Val-Orme', email: null, chatIds: {} }], doneAt: null,
    createdAt: '2026-01-01T00:00:00Z', updatedAt: '2026-01-01T00:00:00Z', ...over,
  };
}

describe('milestone rows and CSV', () => {
  const fiches = [{ id: 'fa-1', axis: 'Axe 1 — Prévention' }, { id: 'fa-2', axis: null }] as Fiche[];
  const rows = milestoneRows(
    [view({}), view({ id: 'fa-2#x', ficheId: 'fa-2', ficheNumber: 2, ficheTitle: 'Formule =SOMME(A1)', label: '=HYPERLINK("x")', status: 'en retard', pilots: [] })],
    fiches,
    [{ pilot: null, reason: 'aucun pilote', candidates: [], milestones: [{ milestoneId: 'fa-2#x', ficheId: 'fa-2', milestone: 'x' }] }],
  );

  it('joins the axis and the unreachable pilots, and filters like the page', () => {
    expect(rows.map((r) => r.axis)).toEqual(['Axe 1 — Prévention', null]);
    expect(rows[1]!.unlinked).toEqual([{ pilot: null, reason: 'aucun pilote' }]);
    expect(filterRows(rows, { axis: '' }).map((r) => r.id)).toEqual(['fa-2#x']);
    expect(filterRows(rows, { pilot: 'dr lea morin' }).map((r) => r.id)).toEqual(['fa-1#bilan']);
    expect(filterRows(rows, { status: 'en retard' }).map((r) => r.id)).toEqual(['fa-2#x']);
    expect(filterRows(rows, {})).toHaveLength(2);
  });

  it('writes French CSV: BOM, semicolons, JJ/MM/AAAA, quoted cells, no formula injection', () => {
    const csv = renderMilestonesCsv(rows);
    expect(csv.startsWith('\uFEFFFiche n°;')).toBe(true);
    const lines = csv.slice(1).trimEnd().split('\r\n');
    expect(lines[1]).toBe('1;Prévention du suicide;Axe 1 — Prévention;Bilan;fin 2026;31/12/2026;01/10/2026;à venir;Dr Léa Morin (CH de Val-Orme);;');
    expect(lines[2]).toBe(`2;Formule =SOMME(A1);;"'=HYPERLINK(""x"")";fin 2026;31/12/2026;01/10/2026;en retard;;aucun pilote;`);
  });
});
