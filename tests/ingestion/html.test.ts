import { describe, expect, it } from 'vitest';
import { htmlToBlocks } from '../../src/ingestion/blocks/html.js';
import { loaderFor } from '../../src/ingestion/loaders.js';

/** Real-world shapes of HTML that PTSM teams export (intranet pages, CMS, Word "save as web page"). */
describe('HTML → blocks through a real parser', () => {
  it('never leaks attribute text into the page: a ">" inside a quoted attribute', () => {
    const blocks = htmlToBlocks('<p title="Pilote > co-pilote" class="champ">Pilote : Mme Odile Ferrand (CCAS)</p>'
      + '<h2 data-rang="1>0">Objectifs</h2><p><a href="/fiches/4" title="Voir > détails">Fiche 4</a> en cours.</p>');
    expect(blocks).toEqual([
      { type: 'paragraph', text: 'Pilote : Mme Odile Ferrand (CCAS)', page: null },
      { type: 'heading', level: 2, text: 'Objectifs', page: null },
      { type: 'paragraph', text: 'Fiche 4 en cours.', page: null },
    ]);
  });

  it('decodes every named entity (&Ocirc; &sect; &copy; &thinsp; &Ecirc; &oelig; …), not a hand-picked few', () => {
    const [p] = htmlToBlocks('<p>CENTRE H&Ocirc;PITALIER &sect;&nbsp;3 &copy; ARS&thinsp;: &Ecirc;tre acteur, c&oelig;ur &amp; &laquo;&nbsp;r&eacute;seau&nbsp;&raquo; &ndash; 2&#8239;000&nbsp;&euro; &frac12;</p>');
    expect(p!.text).toBe('CENTRE HÔPITALIER § 3 © ARS : Être acteur, cœur & « réseau » – 2 000 € ½');
  });

  it('closes what HTML lets authors leave open (li, p, td) and ignores scripts with "<" in them', () => {
    const blocks = htmlToBlocks('<script>if (a < b && c > d) { document.write("<p>piège</p>") }</script>'
      + '<p>Constat<p>Les délais sont longs.<ul><li>CMP adultes<li>CMP enfants</ul>'
      + '<table><tr><td>Pilote<td>GEM La Boussole<tr><td>Échéance<td>T2 2026</table>');
    expect(blocks).toEqual([
      { type: 'paragraph', text: 'Constat', page: null },
      { type: 'paragraph', text: 'Les délais sont longs.', page: null },
      { type: 'list', items: ['CMP adultes', 'CMP enfants'], text: 'CMP adultes\nCMP enfants', page: null },
      { type: 'table', rows: [['Pilote', 'GEM La Boussole'], ['Échéance', 'T2 2026']], text: 'Pilote | GEM La Boussole\nÉchéance | T2 2026', page: null },
    ]);
  });

  it('keeps headings, lists and tables (header row first) as blocks, and the <title> when there is no heading', async () => {
    const html = '<!DOCTYPE html><html><head><title>Fiche action 8 &ndash; Crise</title><style>p > b { color: red }</style></head><body>'
      + '<nav><a href="/">Accueil</a></nav><table><thead><tr><th>Champ</th><th>Contenu</th></tr></thead>'
      + '<tbody><tr><td>Pilote</td><td><p>EPSM des Deux-Rives</p><ul><li>Dr Martin</li><li>Mme Roux</li></ul></td></tr></tbody></table>'
      + '<p>Texte<br>sur deux lignes</p></body></html>';
    const doc = await loaderFor('fa08.html')!.load(Buffer.from(html), 'fa08.html');
    expect(doc.title).toBe('Fiche action 8 – Crise');
    expect(doc.blocks).toEqual([
      { type: 'heading', level: 1, text: 'Fiche action 8 – Crise', page: null },
      { type: 'table', rows: [['Champ', 'Contenu'], ['Pilote', 'EPSM des Deux-Rives\nDr Martin\nMme Roux']], text: 'Champ | Contenu\nPilote | EPSM des Deux-Rives\nDr Martin\nMme Roux', page: null },
      { type: 'paragraph', text: 'Texte', page: null },
      { type: 'paragraph', text: 'sur deux lignes', page: null },
    ]);
  });
});

describe('numbered lists in HTML and Word', () => {
  it('keeps the numbers of a top-level <ol>, one per item even when an item holds paragraphs, none for bullets', () => {
    const blocks = htmlToBlocks('<h2>Actions retenues</h2><ol><li><p>Développer le centre</p></li><li>Créer un service de liaison<ul><li>pour adultes</li></ul></li><li>Étendre l’accès</li></ol><ul><li>Former</li><li>Ouvrir</li></ul>');
    const [numbered, bulleted] = blocks.filter((b) => b.type === 'list');
    expect(numbered!.items).toEqual(['Développer le centre', 'Créer un service de liaison', 'pour adultes', 'Étendre l’accès']);
    expect(numbered!.markers).toEqual(['1.', '2.', '', '3.']);
    expect(bulleted!.markers).toBeUndefined();
  });
});

describe('numbered lists in Word', () => {
  it('reads a Word numbered list (through mammoth) with its numbers', async () => {
    const { AlignmentType, Document, HeadingLevel, LevelFormat, Packer, Paragraph } = await import('docx');
    const doc = new Document({
      numbering: { config: [{ reference: 'actions', levels: [{ level: 0, format: LevelFormat.DECIMAL, text: '%1.', alignment: AlignmentType.START }] }] },
      sections: [{ children: [
        new Paragraph({ text: 'Actions retenues', heading: HeadingLevel.HEADING_2 }),
        ...['Développer le centre', 'Créer un service de liaison', 'Étendre l’accès'].map((text) => new Paragraph({ text, numbering: { reference: 'actions', level: 0 } })),
      ] }],
    });
    const parsed = await loaderFor('actions.docx')!.load(await Packer.toBuffer(doc), 'actions.docx');
    const list = parsed.blocks.find((b) => b.type === 'list');
    expect(list?.items).toEqual(['Développer le centre', 'Créer un service de liaison', 'Étendre l’accès']);
    expect(list?.markers).toEqual(['1.', '2.', '3.']);
  });
});
