import { describe, expect, it } from 'vitest';
import { cleanMessage } from '../../../src/fiches/draft/markup.js';
import { Directory } from '../../../src/fiches/draft/people.js';

const dir = new Directory([
  { id: 'U01MARIE', name: 'Marie Dupont' },
  { id: 'U02PAUL', name: 'Paul Girard' },
  { id: '29:abc', name: 'Céline Aubry' },
]);

describe('cleanMessage: Slack', () => {
  it('resolves user mentions to thread authors and keeps the Slack id', () => {
    const m = cleanMessage('Pour le pilotage je propose <@U02PAUL> ou <@U09NOBODY|jeanne>', dir);
    expect(m.text).toBe('Pour le pilotage je propose Paul Girard ou jeanne');
    expect(m.platform).toBe('slack');
    expect(m.mentions).toEqual([
      { name: 'Paul Girard', chatId: 'U02PAUL', platform: 'slack' },
      { name: 'jeanne', chatId: 'U09NOBODY', platform: 'slack' },
    ]);
  });

  it('turns links into their labels, drops emphasis and struck text', () => {
    const m = cleanMessage('Voici *la plaquette* : <https://example.org/p.pdf|lien>. Pilote : ~la MDA~ _le GEM_', dir);
    expect(m.text).toBe('Voici la plaquette : lien. Pilote : le GEM');
  });

  it('sets quoted replies apart and records agreement shortcodes', () => {
    const m = cleanMessage('> Je propose que le SIAO la porte\nOk pour moi :+1:', dir);
    expect(m.text).toBe('Ok pour moi');
    expect(m.quoted).toBe('Je propose que le SIAO la porte');
    expect(m.agreementEmoji).toBe(true);
  });

  it('decodes the entities Slack escapes', () => {
    expect(cleanMessage('CMP &amp; CATTP &gt; 3 mois', dir).text).toBe('CMP & CATTP > 3 mois');
  });
});

describe('cleanMessage: Teams', () => {
  it('reads <at> mentions, paragraphs and lists', () => {
    const m = cleanMessage('<p>Décision : référente <at>Céline Aubry</at>.</p><ul><li>Installer la cellule</li><li>Former les gardiens</li></ul>', dir);
    expect(m.platform).toBe('teams');
    expect(m.text.split('\n').filter(Boolean)).toEqual(['Décision : référente Céline Aubry.', '- Installer la cellule', '- Former les gardiens']);
    expect(m.mentions[0]).toEqual({ name: 'Céline Aubry', chatId: '29:abc', platform: 'teams' });
  });

  it('drops blockquotes into `quoted` and decodes &nbsp;', () => {
    const m = cleanMessage('<blockquote>Le SIAO porte</blockquote><p>Plutôt le CCAS, 5&nbsp;000 €</p>', dir);
    expect(m.quoted).toBe('Le SIAO porte');
    expect(m.text).toBe('Plutôt le CCAS, 5\u00a0000 €');
  });
});

describe('cleanMessage: plain text', () => {
  it('resolves @First Last and @first to authors', () => {
    expect(cleanMessage('@Marie Dupont tu pilotes ? sinon @paul', dir).text).toBe('Marie Dupont tu pilotes ? sinon Paul Girard');
  });

  it('removes emoji, and an emoji between sentences ends the first', () => {
    const m = cleanMessage("C'est un engagement du mandat 💪 Les élus sont démunis 🙏", dir);
    expect(m.text).toBe("C'est un engagement du mandat. Les élus sont démunis");
    expect(cleanMessage('👍', dir).agreementEmoji).toBe(true);
  });
});
