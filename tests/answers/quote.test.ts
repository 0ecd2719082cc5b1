import { describe, expect, it } from 'vitest';
import { splitSentences } from '../../src/ingestion/chunker.js';
import { clip, focusedClip } from '../../src/answers/quote.js';
import { analyze } from '../../src/text/french.js';

const termsOf = (q: string) => analyze(q).map((t) => ({ term: t, alts: [t], weight: 1 }));

const LONG = 'Il a été finalisé au terme de 18 mois de travaux participatifs, qui ont réuni près de 120 acteurs venus de secteurs variés : '
  + 'préfecture, justice, éducation nationale, collectivités locales, forces de l’ordre, universités, service départemental d’incendie et de secours, '
  + 'représentants des usagers, des professionnels libéraux, établissements sociaux et médico-sociaux, associations, acteurs de l’emploi et du logement, '
  + 'puis le comité territorial l’a approuvé à l’unanimité en assemblée plénière le 28 juin 2019.';

describe('quotes', () => {
  it('keeps the part of a long unit that holds the question’s words, not its opening', () => {
    const quote = focusedClip(LONG, 200, termsOf('assemblée plénière 28 juin 2019'));
    expect(quote.length).toBeLessThanOrEqual(200);
    expect(quote).toContain('assemblée plénière le 28 juin 2019');
    expect(quote.startsWith('…')).toBe(true);
    expect(clip(LONG, 200)).not.toContain('28 juin 2019');
  });

  it('cuts as clip does when the opening holds the words, or when no words are given', () => {
    expect(focusedClip(LONG, 200, termsOf('travaux participatifs'))).toBe(clip(LONG, 200));
    expect(focusedClip(LONG, 200, [])).toBe(clip(LONG, 200));
    expect(focusedClip('Court.', 200, termsOf('court'))).toBe('Court.');
  });

  it('ends a sentence at « etc. » followed by a new one', () => {
    expect(splitSentences('Les acteurs du logement, etc. Réuni en assemblée plénière, le CTS a approuvé le projet.')).toEqual([
      'Les acteurs du logement, etc.', 'Réuni en assemblée plénière, le CTS a approuvé le projet.',
    ]);
    expect(splitSentences('Reçu par M. Dupont. Le Dr. Martin aussi.')).toEqual(['Reçu par M. Dupont.', 'Le Dr. Martin aussi.']);
  });
});
