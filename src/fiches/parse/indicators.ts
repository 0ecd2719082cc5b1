import type { Indicator } from '../../core/fiche.js';
import { foldForMatch } from '../../text/fold.js';

/**
 * Indicator lines and tables → indicators. The type comes from the
 * sub-heading ("Indicateurs de processus"), an inline tag ("(résultat)"), or
 * the wording: counts ("nombre de…") are process indicators, rates and shares
 * ("taux de…", "part des…") result indicators. Targets are read from
 * "cible : 80 %", "objectif : 100 en 2027", "→ 80 %".
 */

type IndicatorType = Indicator['type'];

export function indicatorFromLine(line: string, type: IndicatorType | null): Indicator | null {
  let text = line.trim().replace(/^[\s\-–—•*]+/u, '');
  if (!text || /:$/.test(text) && text.split(/\s+/).length > 2) return null;
  let tagged: IndicatorType | null = null;
  const prefix = /^(processus|process|résultats?|resultats?|impact|moyens?|réalisation)\s*[:–—-]\s*/iu.exec(text);
  if (prefix) {
    tagged = typeFromWord(prefix[1]!);
    text = text.slice(prefix[0].length);
  }
  const tag = /\s*[([]\s*(?:indicateur\s+de\s+)?(processus|process|résultats?|resultats?|impact)\s*[)\]]\s*/iu.exec(text);
  if (tag) {
    tagged = typeFromWord(tag[1]!);
    text = (text.slice(0, tag.index) + ' ' + text.slice(tag.index + tag[0].length)).trim();
  }
  const { label, target } = splitTarget(text);
  if (!label) return null;
  return { label, type: tagged ?? type ?? typeFromWording(label), target };
}

/** An indicator table: finds the label, type and target columns from the header. */
export function indicatorsFromRows(rows: string[][], type: IndicatorType | null): Indicator[] {
  if (!rows.length) return [];
  const header = rows[0]!.map((c) => foldForMatch(c.trim()));
  const isHeader = header.some((c) => /^indicateur|^libelle|^intitule/.test(c)) || header.some((c) => /^(cible|valeur cible|objectif|type|nature|valeur attendue|resultat attendu)/.test(c));
  let labelCol = 0;
  let typeCol = -1;
  let targetCol = -1;
  let body = rows;
  if (isHeader) {
    body = rows.slice(1);
    header.forEach((c, i) => {
      if (/^(indicateur|libelle|intitule)/.test(c)) labelCol = i;
      else if (/^(type|nature|categorie)/.test(c)) typeCol = i;
      else if (/(cible|objectif|valeur attendue|resultat attendu|attendu|a atteindre)/.test(c) && targetCol < 0) targetCol = i;
    });
  } else if (rows[0]!.length === 2) {
    targetCol = 1;
  }
  const out: Indicator[] = [];
  for (const r of body) {
    const cells = r.map((c) => c.replace(/\s*\n\s*/g, ' ').trim());
    const raw = cells[labelCol] ?? '';
    if (!raw) continue;
    const fromLine = indicatorFromLine(raw, type);
    if (!fromLine) continue;
    const cellType = typeCol >= 0 ? typeFromWord(cells[typeCol] ?? '') : null;
    const cellTarget = targetCol >= 0 ? (cells[targetCol] ?? '').trim() : '';
    out.push({
      label: fromLine.label,
      type: cellType ?? fromLine.type,
      target: cellTarget && !/^(?:-|–|—|nc|n\/a|à définir|\/)$/iu.test(cellTarget) ? cellTarget : fromLine.target,
    });
  }
  return out;
}

function splitTarget(text: string): { label: string; target: string | null } {
  const patterns = [
    /\s*[([]\s*(?:valeur\s+)?(?:cible|objectif)\s*[:=]?\s*([^)\]]+)[)\]]\s*/iu,
    /\s*[,;–—-]?\s*(?:valeur\s+)?(?:cible|objectif(?:\s+visé)?)\s*[:=]\s*(.+)$/iu,
    /\s*(?:→|=>|->|:)\s*((?:[≥≤><]\s*)?\d[\d\s,.]*\s*(?:%|€|personnes?|sessions?|\p{L}+)?(?:\s.*)?)$/iu,
    /\s*\(\s*((?:[≥≤><]|au moins|au minimum|plus de|moins de)\s*[^)]+)\)\s*/iu,
  ];
  for (const re of patterns) {
    const m = re.exec(text);
    if (!m) continue;
    const label = (text.slice(0, m.index) + ' ' + text.slice(m.index + m[0].length)).replace(/\s+/g, ' ').replace(/\s+([.,;])/gu, '$1').replace(/[\s,;:.–—-]+$/u, '').trim();
    if (label) return { label, target: m[1]!.trim().replace(/[.;,]$/u, '') };
  }
  return { label: text.replace(/[\s;,.]+$/u, ''), target: null };
}

function typeFromWord(w: string): IndicatorType | null {
  const f = foldForMatch(w);
  if (/process|moyen|realisation|mise en oeuvre|activite|suivi/.test(f)) return 'processus';
  if (/resultat|impact|efficacite/.test(f)) return 'resultat';
  return null;
}

function typeFromWording(label: string): IndicatorType {
  const f = foldForMatch(label);
  if (/^(nombre|nb|nbre|volume|existence|mise en place|realisation|tenue|creation|signature|elaboration|formalisation)\b/.test(f)) return 'processus';
  if (/^(taux|part|pourcentage|proportion|evolution|delai|duree|satisfaction|score|reduction|diminution|augmentation|baisse|niveau)\b/.test(f)) return 'resultat';
  return 'autre';
}
