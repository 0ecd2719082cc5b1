/** Atoms that need the reference date: "la semaine prochaine", "jeudi", "dans 3 mois". */
import { Atoms, NEXT } from './atoms.js';
import { PhraseSet } from './cursor.js';
import { DURATION_UNITS, WEEKDAYS } from './lexicon.js';
import type { Match, RelUnit } from './nodes.js';

const RELATIVE = new PhraseSet<[RelUnit, number]>([
  ['la semaine prochaine', ['week', 1]], ['semaine prochaine', ['week', 1]], ['la prochaine semaine', ['week', 1]],
  ['la semaine suivante', ['week', 1]], ['cette semaine', ['week', 0]], ['la semaine derniere', ['week', -1]],
  ['le mois prochain', ['month', 1]], ['mois prochain', ['month', 1]], ['le mois suivant', ['month', 1]],
  ['ce mois-ci', ['month', 0]], ['ce mois', ['month', 0]], ['le mois en cours', ['month', 0]],
  ['le mois dernier', ['month', -1]],
  ["l'an prochain", ['year', 1]], ["l'annee prochaine", ['year', 1]], ['annee prochaine', ['year', 1]],
  ["l'annee suivante", ['year', 1]], ['cette annee', ['year', 0]], ["l'annee en cours", ['year', 0]],
  ["l'an dernier", ['year', -1]], ["l'annee derniere", ['year', -1]],
  ['le trimestre prochain', ['quarter', 1]], ['le prochain trimestre', ['quarter', 1]],
  ['trimestre prochain', ['quarter', 1]], ['prochain trimestre', ['quarter', 1]], ['prochaine semaine', ['week', 1]],
  ['semestre prochain', ['semester', 1]], ['prochain semestre', ['semester', 1]], ['prochain mois', ['month', 1]], ['ce trimestre', ['quarter', 0]],
  ['le trimestre en cours', ['quarter', 0]],
  ['le semestre prochain', ['semester', 1]], ['le prochain semestre', ['semester', 1]], ['ce semestre', ['semester', 0]],
  ['le semestre en cours', ['semester', 0]],
  ['demain', ['day', 1]], ["aujourd'hui", ['day', 0]], ['apres-demain', ['day', 2]], ['apres demain', ['day', 2]],
]);
/** The bare unit is the current one, only after "début", "mi", "fin" ("fin d'année", "fin du mois"). */
const CURRENT = new PhraseSet<[RelUnit, number]>([
  ["l'annee", ['year', 0]], ['annee', ['year', 0]], ["l'an", ['year', 0]], ['le mois', ['month', 0]],
  ['mois', ['month', 0]], ['la semaine', ['week', 0]], ['semaine', ['week', 0]], ['le trimestre', ['quarter', 0]],
  ['trimestre', ['quarter', 0]], ['le semestre', ['semester', 0]], ['semestre', ['semester', 0]],
]);

/** Lead words of a duration; value = inclusive (a span "pendant 18 mois") or not (a deadline "dans 3 mois"). */
const DURATION_LEADS = new PhraseSet<boolean>([
  ...['dans', 'sous', "d'ici", "d'ici a", 'en', 'dans un delai de', "dans un delai d'", 'sous un delai de',
    "sous un delai d'", 'au plus tard dans', 'au plus tard sous', 'avant', 'dans les', 'sous les', "d'ici les",
    'en moins de', 'dans moins de', "d'ici moins de"].map((w): [string, boolean] => [w, false]),
  ...['durant', 'pendant', 'sur', 'pour', 'sur une duree de', "sur une duree d'", 'pour une duree de',
    "pour une duree d'", 'durant les', 'pendant les', 'sur les'].map((w): [string, boolean] => [w, true]),
]);
/** "sous huitaine" = 8 days, "sous quinzaine" = 15 days (literal counts, like the written numbers). */
const FIXED_DURATIONS = new PhraseSet<number>([
  ['sous huitaine', 8], ['sous quinzaine', 15], ['dans la huitaine', 8], ['dans la quinzaine', 15],
  ['sous une huitaine', 8], ['sous une quinzaine', 15], ["d'ici une quinzaine", 15], ['dans une quinzaine', 15],
  ["d'ici une huitaine", 8], ['dans une huitaine', 8], ['sous une quinzaine de jours', 15],
  ['dans une quinzaine de jours', 15], ["d'ici une quinzaine de jours", 15],
]);
const DURATION_TAIL = new PhraseSet<true>(
  ['a venir', 'qui viennent', 'prochains', 'prochaines', 'suivants', 'suivantes'].map((w) => [w, true]),
);

const WEEKDAY_CONTEXT = new Set(['ce', 'ici', 'avant', 'jusqu', 'des', 'pour']);

export class RelativeAtoms extends Atoms {
  /** "la semaine prochaine", "le mois prochain", "l'an prochain", "demain"; with `current`, also "l'année", "le mois". */
  protected relativeExpr(i: number, current: boolean): Match | null {
    const found = this.phrase(i, RELATIVE) ?? (current ? this.phrase(i, CURRENT) : null);
    if (!found) return null;
    const [unit, offset] = found.value;
    return { node: { k: 'relative', unit, offset, mod: null }, next: found.next };
  }

  /**
   * "jeudi", "lundi prochain". In free text a bare weekday needs "prochain" or
   * a deadline word ("d'ici jeudi", "dès lundi"): "du lundi au vendredi" is a schedule.
   */
  protected weekdayExpr(i: number): Match | null {
    const wd = WEEKDAYS[this.t(i) ?? ''];
    if (wd === undefined) return null;
    const n = this.phrase(i + 1, NEXT);
    if (!n && !this.contextOk(i, WEEKDAY_CONTEXT)) return null;
    return { node: { k: 'weekday', wd }, next: n ? n.next : i + 1 };
  }

  /** "dans 3 mois", "sous 8 jours", "d'ici 2 ans", "pendant 18 mois", "dans les 6 prochains mois", "sous 48h". */
  protected durationExpr(i: number): Match | null {
    const fixed = this.phrase(i, FIXED_DURATIONS);
    if (fixed) return { node: { k: 'duration', n: fixed.value, unit: 'day', inclusive: false }, next: fixed.next };
    const lead = this.phrase(i, DURATION_LEADS);
    if (!lead) return null;
    let j = lead.next;
    if (this.t(j) === 'les') j++;
    const glued = /^(\d{1,3})(h|j)$/.exec(this.t(j) ?? '');
    let n: number;
    let unit: 'day' | 'week' | 'month' | 'year';
    if (glued) {
      n = glued[2] === 'h' ? Math.ceil(Number(glued[1]) / 24) : Number(glued[1]);
      unit = 'day';
      j++;
    } else {
      const vague = ['quelques', 'plusieurs'].includes(this.t(j) ?? '');
      const c = vague ? { n: 0, next: j + 1 } : this.count(j);
      if (!c) return null;
      j = c.next;
      if (['prochains', 'prochaines', 'premiers', 'premieres'].includes(this.t(j) ?? '')) j++;
      const w = this.t(j) ?? '';
      const u = DURATION_UNITS[w];
      if (u === undefined && !['h', 'heure', 'heures'].includes(w)) return null;
      j++;
      if (vague) return { node: { k: 'vague' }, next: j };
      if (u === undefined) [n, unit] = [Math.ceil(c.n / 24), 'day'];
      else [n, unit] = [c.n * u[1], u[0]];
    }
    if (n <= 0) return null;
    const tail = this.phrase(j, DURATION_TAIL);
    return { node: { k: 'duration', n, unit, inclusive: lead.value }, next: tail ? tail.next : j };
  }
}
