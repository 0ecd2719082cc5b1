import { describe, expect, it } from 'vitest';
import { folds } from '../../eval/realdev/cv.js';

describe('cross-validation folds', () => {
  const items = Array.from({ length: 30 }, (_, i) => `q${i}`).flatMap((id) => [
    { q: { id, set: 'realdev' } },
    { q: { id, set: 'realdev-pdf' } },
  ]);

  it('puts a question asked on the text files and on the PDF in one fold, so no model is fitted on its twin', () => {
    const parts = folds(items, 5);
    const foldOf = new Map<string, Set<number>>();
    parts.forEach((part, i) => part.forEach(({ q }) => foldOf.set(q.id, (foldOf.get(q.id) ?? new Set()).add(i))));
    expect(foldOf.size).toBe(30);
    expect([...foldOf.values()].every((s) => s.size === 1)).toBe(true);
  });

  it('keeps every item once and the folds balanced', () => {
    const parts = folds(items, 5);
    expect(parts.flat()).toHaveLength(items.length);
    expect(parts.map((p) => p.length)).toEqual([12, 12, 12, 12, 12]);
  });
});
