import { describe, expect, it } from 'vitest';
import { parseFicheDocument } from '../../../src/fiches/parse/fiche-parser.js';
import { loadFiche, NOW } from './fixtures.js';

// A fiche as PTSMs write it: one two-column table, labels with « (s) », several pilots in one cell,
// fields left « non précisé », an « Échéancier » without years, dated by the document itself.
const md = `# Fiche action n° 7 — Accès aux soins somatiques

Version du 12 mars 2019

| Rubrique | Contenu |
|---|---|
| Pilote(s) | Dr Hélène Barbier (CH de Vaubrun) / Marc Olivier (CPTS Montreval-Sud) |
| Copilotes | Lucie Germain, infirmière de coordination ; Thomas Nguyen |
| Partenaires | CMP adultes, médecins généralistes, UNAFAM |
| Public cible | Patients suivis au long cours en psychiatrie sans médecin traitant |
| Échéancier | Liste des patients : fin avril ; premières orientations : à la rentrée ; bilan : avant la fin de l'année |
| Indicateurs (processus / résultat) | Nombre de patients orientés ; part des patients ayant un médecin traitant à 6 mois |
| Financement | non précisé |
`;

describe('registry parsing of real fiche layouts', () => {
  it('reads pilots, co-pilots, partners, indicators; « non précisé » is missing; dates against the document date', async () => {
    const doc = await loadFiche('fiches/fiche-7-soins-somatiques.md', Buffer.from(md, 'utf8'));
    expect(doc.record.date).toBe('2019-03-12');
    const f = parseFicheDocument(doc, { now: NOW })!;
    expect(f).not.toBeNull();
    const names = f.pilots.map((p) => p.name);
    expect(names).toEqual(expect.arrayContaining(['Dr Hélène Barbier', 'Marc Olivier', 'Lucie Germain', 'Thomas Nguyen']));
    expect(f.pilots.find((p) => p.name === 'Marc Olivier')?.organisation).toContain('CPTS Montreval-Sud');
    expect(f.partners).toEqual(expect.arrayContaining(['CMP adultes', 'médecins généralistes', 'UNAFAM']));
    expect(f.indicators.map((i) => i.label.toLowerCase()).join(' | ')).toContain('nombre de patients orientés');
    expect(f.funding).toBeNull();
    const dues = f.milestones.map((m) => m.due);
    expect(dues).toEqual(expect.arrayContaining(['2019-04-30', '2019-09-30', '2019-12-31']));
    for (const d of dues) expect(d! < '2021-01-01').toBe(true);
  });

  it('« Porteur » and « Pilotes » cells with several people give one pilot each; « à définir » cells are missing', async () => {
    const doc = await loadFiche('fiches/fiche-3-logement.md', Buffer.from(`# Fiche action 3 : Maintien dans le logement

| Porteur | CCAS de Vaubrun |
|---|---|
| Pilotes | Karim Haddad et Pierre Lemaire |
| Partenaires | à définir |
| Public cible | Locataires du parc social en fragilité psychique |
| Financement | 3 000 € (budget prévention du CCAS) |
`, 'utf8'));
    const f = parseFicheDocument(doc, { now: NOW })!;
    expect(f.pilots.map((p) => p.name)).toEqual(expect.arrayContaining(['Karim Haddad', 'Pierre Lemaire']));
    expect(f.pilots.some((p) => /et Pierre/.test(p.name))).toBe(false);
    expect(f.partners).toEqual([]);
    expect(f.funding).toContain('3 000');
  });
});
