import { AlignmentType, BorderStyle, Document, Footer, HeadingLevel, Packer, PageNumber, Paragraph, Table, TableCell, TableRow, TextRun, WidthType } from 'docx';
import { frDate } from '../../decisions/answerer.js';
import type { Bilan, BilanFiche } from '../bilan.js';
import { AXIS_COLUMNS, axisRows } from './rows.js';

const BORDER = { style: BorderStyle.SINGLE, size: 4, color: '808080' };
const BORDERS = { top: BORDER, bottom: BORDER, left: BORDER, right: BORDER };

const xmlSafe = (s: string): string => s.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '');
const text = (t: string, extra: { bold?: boolean; italics?: boolean; size?: number; color?: string } = {}): TextRun => new TextRun({ text: xmlSafe(t), ...extra });
const para = (t: string, extra: { bold?: boolean; italics?: boolean } = {}): Paragraph => new Paragraph({ spacing: { after: 80 }, children: [text(t, extra)] });
const bullet = (t: string): Paragraph => new Paragraph({ bullet: { level: 0 }, children: [text(t)] });
const heading = (t: string, level: (typeof HeadingLevel)[keyof typeof HeadingLevel]): Paragraph => new Paragraph({ heading: level, spacing: { before: 240, after: 120 }, children: [text(t)] });

function table(header: readonly string[], rows: string[][]): Table {
  const mk = (cells: readonly string[], bold: boolean): TableRow => new TableRow({
    tableHeader: bold,
    children: cells.map((c) => new TableCell({ borders: BORDERS, children: [new Paragraph({ children: [text(c, { bold, size: 18 })] })] })),
  });
  return new Table({ width: { size: 100, type: WidthType.PERCENTAGE }, rows: [mk(header, true), ...rows.map((r) => mk(r, false))] });
}

const STATUS_WORDS: Record<string, string> = { fait: 'fait', 'en retard': 'en retard', reporté: 'reporté', 'à venir': 'à venir', abandonné: 'abandonné' };

function ficheSection(f: BilanFiche, year: number): Array<Paragraph | Table> {
  const out: Array<Paragraph | Table> = [heading(`${f.number !== null ? `Fiche ${f.number} — ` : ''}${f.title}`, HeadingLevel.HEADING_2)];
  out.push(para(`Axe : ${f.axis ?? 'non renseigné'}`));
  out.push(para(`Pilote(s) : ${f.pilots.join(', ') || 'aucun pilote désigné'} — statut : ${f.status}`));
  out.push(para(`Jalons ${year} : ${f.milestones.length} (${f.counts.done} faits, ${f.counts.late} en retard, ${f.counts.postponed} reportés, ${f.counts.upcoming} à venir)`, { bold: true }));
  if (f.milestones.length) {
    out.push(table(['Jalon', 'Échéance', 'Statut', 'Réponses du pilote'], f.milestones.map((m) => [
      `${m.label}${m.fromMinutes ? ' (suite à donner d\'un relevé)' : ''}`,
      m.due ? `${frDate(m.due)}${m.postponed && m.ficheDue ? ` (prévu le ${frDate(m.ficheDue)})` : ''}` : m.dueText || 'non daté',
      `${STATUS_WORDS[m.status] ?? m.status}${m.statusReason ? ` — ${m.statusReason}` : ''}`,
      m.answers.map((a) => `${a.event} (${a.by}, ${a.at.slice(0, 10)})${a.detail ? ` : ${a.detail}` : ''}`).join(' ; ') || '—',
    ])));
  }
  out.push(para('Indicateurs', { bold: true }));
  if (!f.indicators.length) out.push(para('Aucun indicateur dans la fiche.', { italics: true }));
  for (const i of f.indicators) {
    const values = i.values.map((v) => `${v.value} (${v.source}${v.page ? `, p. ${v.page}` : ''})`).join(' ; ');
    out.push(bullet(`${i.label}${i.target ? ` — cible : ${i.target}` : ''} : ${values || `aucune valeur trouvée dans les documents de ${year}`}`));
  }
  if (f.decisions.length) {
    out.push(para(`Décisions ${year}`, { bold: true }));
    for (const d of f.decisions) out.push(bullet(`${d.meeting}${d.date ? ` du ${frDate(d.date)}` : ''} : ${d.decision}`));
  }
  return out;
}

/** The yearly review as a report the coordinator sends to the ARS: summary per axis, one section per fiche, what is missing. */
export async function renderBilanDocx(b: Bilan): Promise<Buffer> {
  const missing: Paragraph[] = [
    ...b.missing.withoutPilot.map((f) => bullet(`Fiche ${f.number ?? '?'} « ${f.title} » : aucun pilote désigné.`)),
    ...b.missing.withoutIndicatorValue.map((f) => bullet(`Fiche ${f.number ?? '?'} « ${f.title} » : aucune valeur d'indicateur trouvée dans les documents de ${b.year}.`)),
    ...b.missing.overdueWithoutAnswer.map((f) => bullet(`Fiche ${f.number ?? '?'} : jalon « ${f.milestone} » en retard${f.due ? ` (échéance ${frDate(f.due)})` : ''}, sans réponse de ${f.pilots.join(', ') || 'pilote'}.`)),
  ];
  const doc = new Document({
    creator: 'ptsm-assistant',
    title: `Bilan annuel ${b.year} du PTSM`,
    sections: [{
      footers: { default: new Footer({ children: [new Paragraph({ alignment: AlignmentType.CENTER, children: [text(`Bilan annuel ${b.year} du PTSM — page `, { size: 16 }), new TextRun({ children: [PageNumber.CURRENT], size: 16 })] })] }) },
      children: [
        new Paragraph({ heading: HeadingLevel.TITLE, children: [text(`Bilan annuel ${b.year} du projet territorial de santé mentale`)] }),
        para(`Suivi des fiches actions du contrat territorial de santé mentale — document établi le ${frDate(b.generatedAt.slice(0, 10))} à partir du registre des fiches, des jalons, des réponses des pilotes et des relevés de décisions.`, { italics: true }),
        heading('1. Synthèse par axe', HeadingLevel.HEADING_1),
        table(AXIS_COLUMNS, axisRows(b)),
        heading('2. Points d\'attention', HeadingLevel.HEADING_1),
        ...(missing.length ? missing : [para('Aucun manque relevé.')]),
        heading('3. Fiches actions', HeadingLevel.HEADING_1),
        ...b.fiches.flatMap((f) => ficheSection(f, b.year)),
      ],
    }],
  });
  return Packer.toBuffer(doc);
}
