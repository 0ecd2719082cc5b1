import type { DocumentKind, ParsedDocument } from '../core/types.js';
import { foldForMatch } from '../text/fold.js';

/**
 * Guesses what a document is from its path, title and opening text. Real
 * folders are named "FA3_logement_v2.docx", "CR COPIL 12-03.pdf",
 * "PTSM_definitif.pdf": the path is the strongest clue, then the content.
 */
export function detectKind(source: string, doc: ParsedDocument): DocumentKind {
  const p = foldForMatch(source.replace(/[_\-./\\]+/g, ' '));
  const title = foldForMatch(doc.title);
  const head = foldForMatch(doc.blocks.slice(0, 40).map((b) => b.text).join('\n').slice(0, 3000));
  const headings = foldForMatch(doc.blocks.filter((b) => b.type === 'heading' || b.type === 'table').map((b) => b.text).join('\n'));

  if (/\b(fiches? actions?|fa ?\d+)\b/.test(p) || /\bfiches?\b/.test(p)) return 'fiche';
  if (/\b(comptes? rendus?|cr|proces verbal|pv|releve de decisions?)\b/.test(p)) return 'compte-rendu';
  if (/\b(glossaire|lexique)\b/.test(p)) return 'autre';

  if (/^(fiche action|fiche n|fa ?\d)/.test(title) || /\bfiche action\b/.test(title)) return 'fiche';
  if (/\b(compte rendu|releve de decisions|proces verbal)\b/.test(title)) return 'compte-rendu';

  const ficheSignals = [/\bpilot(e|es|age)\b|\bporteur/, /\bobjectifs? (operationnel|general|specifique)/, /\bindicateurs?\b/, /\b(public cible|public vise|beneficiaires)\b/, /\b(partenaires|acteurs concernes)\b/, /\b(calendrier|echeancier|echeances?)\b/]
    .filter((re) => re.test(headings) || re.test(head)).length;
  if (ficheSignals >= 4) return 'fiche';
  if (/\b(ordre du jour|personnes presentes|presents ?:|excuses ?:|releve de decisions|prochaine reunion)\b/.test(head)) return 'compte-rendu';
  if (/\b(projet territorial de sante mentale|diagnostic territorial|contrat territorial de sante mentale|feuille de route|ptsm|ctsm|dtpsm)\b/.test(title + '\n' + p)) return 'ptsm';
  if (/\b(projet territorial de sante mentale|contrat territorial de sante mentale|diagnostic territorial partage)\b/.test(head)) return 'ptsm';
  return 'autre';
}
