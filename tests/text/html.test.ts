import { describe, expect, it } from 'vitest';
import { questionText } from '../../src/channels/teams/mention.js';
import { htmlToText as teamsHtmlToText } from '../../src/channels/teams/text.js';
import { decodeHtmlEntities, htmlToText } from '../../src/text/html.js';

describe('shared HTML text extraction (ingestion and Teams)', () => {
  it('decodes named entities with their case: É stays É', () => {
    expect(decodeHtmlEntities('&Eacute;valuation &eacute;t&eacute; &Agrave; &Ocirc; &sect; &copy; &thinsp;')).toBe('Évaluation été À Ô § © \u2009');
  });

  it('turns a Teams message body into lines, without attribute leaks', () => {
    const body = '<p title="a>b">&Eacute;valuation du CLSM&nbsp;: o&ugrave; en est-on&nbsp;?</p><ul><li>Bilan &sect;&nbsp;2</li><li>&copy; ARS</li></ul><div>Fin<br>du message</div>';
    const expected = 'Évaluation du CLSM : où en est-on ?\n\n- Bilan § 2\n- © ARS\nFin\ndu message';
    expect(htmlToText(body)).toBe(expected);
    expect(teamsHtmlToText(body)).toBe(expected);
  });

  it('keeps the capital of a question typed in Teams', () => {
    const text = questionText({ text: '<at>PTSM</at> <p>&Eacute;tat d&rsquo;avancement de la fiche &laquo;&nbsp;Logement&nbsp;&raquo;&nbsp;?</p>', recipient: { id: 'b', name: 'PTSM' } } as never);
    expect(text).toBe('État d’avancement de la fiche « Logement » ?');
  });
});
