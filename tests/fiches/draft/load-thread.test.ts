import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PtsmError } from '../../../src/core/errors.js';
import { draftFicheOffline, loadThreadFile } from '../../../src/fiches/draft/index.js';
import { tempDir, write } from '../../helpers/files.js';

let dir: string;
let cleanup: () => void;
beforeEach(() => ({ dir, cleanup } = tempDir('ptsm-thread-')));
afterEach(() => cleanup());

const message = { id: 'm1', author: { id: 'U1', name: 'Marie Dupont' }, ts: '1710000000.0001', text: 'Partenaires : CMP, GEM.' };

function thrown(fn: () => unknown): PtsmError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(PtsmError);
    return e as PtsmError;
  }
  throw new Error('expected a PtsmError');
}

describe('loadThreadFile', () => {
  it('reads a thread JSON, a {thread} wrapper (eval files) and a bare array of messages', () => {
    const a = write(dir, 'a.json', JSON.stringify({ channel: 'gt', messages: [message] }));
    const b = write(dir, 'b.json', JSON.stringify({ thread: { messages: [message] }, ref: '2025-01-01', expected: {} }));
    const c = write(dir, 'c.json', '\uFEFF' + JSON.stringify([message]));
    expect(loadThreadFile(a)).toEqual({ channel: 'gt', messages: [message] });
    expect(loadThreadFile(b).messages).toEqual([message]);
    expect(loadThreadFile(c).messages).toEqual([message]);
  });

  it('reads plain text "Nom : message" lines, continuation lines included', () => {
    const file = write(dir, 'fil.txt', [
      'Marie Dupont : on pourrait faire une fiche sur les aidants',
      '[10:32] Paul Girard: je propose :',
      '- Objectif : soutenir les aidants',
      'Étapes : former les équipes',
      '',
      'Marie Dupont : ok pour moi 👍',
    ].join('\n'));
    const t = loadThreadFile(file);
    expect(t.messages.map((m) => [m.id, m.author.name, m.text])).toEqual([
      ['m1', 'Marie Dupont', 'on pourrait faire une fiche sur les aidants'],
      ['m2', 'Paul Girard', 'je propose :\n- Objectif : soutenir les aidants\nÉtapes : former les équipes'],
      ['m3', 'Marie Dupont', 'ok pour moi 👍'],
    ]);
    expect(t.messages[0]!.author.id).toBe(t.messages[2]!.author.id);
    const d = draftFicheOffline(t, { now: '2025-01-01T00:00:00Z' });
    expect(d.fiche.steps).toEqual(['Former les équipes']);
  });

  it('malformed JSON: THREAD_INVALID naming the file', () => {
    const file = write(dir, 'broken.json', '{"messages": [ {"id": "m1", ');
    const e = thrown(() => loadThreadFile(file));
    expect(e.code).toBe('THREAD_INVALID');
    expect(e.input).toBe(file);
    expect(e.message).toContain(file);
    expect(e.message).toMatch(/n'est pas un JSON valide/);
  });

  it('wrong shape: THREAD_INVALID saying which message and which field', () => {
    const file = write(dir, 'shape.json', JSON.stringify({ messages: [message, { id: 'm2', author: { id: 'U2' }, ts: '2', text: 'x' }] }));
    const e = thrown(() => loadThreadFile(file));
    expect(e.code).toBe('THREAD_INVALID');
    expect(e.message).toContain(file);
    expect(e.message).toMatch(/message n°2/);
    expect(e.message).toMatch(/name/);
  });

  it('empty file: THREAD_INVALID "est vide"', () => {
    const file = write(dir, 'vide.json', '  \n');
    const e = thrown(() => loadThreadFile(file));
    expect(e.code).toBe('THREAD_INVALID');
    expect(e.message).toBe(`Le fichier de fil de discussion « ${file} » est vide.`);
  });

  it('text with no "Nom : message" line: THREAD_INVALID', () => {
    const file = write(dir, 'prose.txt', 'Ceci est un compte rendu sans auteurs.\nDeuxième ligne.');
    const e = thrown(() => loadThreadFile(file));
    expect(e.code).toBe('THREAD_INVALID');
    expect(e.message).toMatch(/Nom : message/);
  });

  it('missing file: INPUT_NOT_FOUND naming it', () => {
    const e = thrown(() => loadThreadFile(`${dir}/absent.json`));
    expect(e.code).toBe('INPUT_NOT_FOUND');
    expect(e.message).toContain('absent.json');
  });
});
