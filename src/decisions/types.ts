/**
 * One entry of the decisions register: a decision or an action item read in
 * a compte rendu / relevé de décisions. `ptsm decisions --json` prints these
 * fields: a stable interface, never rename them.
 */
export interface DecisionEntry {
  /** Stable id: the document's slug and the entry's rank in it ("2026-03-12-copil-3"). */
  id: string;
  /** `action` when someone is to do something (an owner, or an action section); else `décision`. */
  kind: 'décision' | 'action';
  /** COPIL, COTECH, plénière, groupe de travail, CTS, CLSM, bureau, or `réunion` when the minutes do not say. */
  meeting: string;
  /** The minutes' title ("Compte rendu du COPIL du 12 mars 2026"). */
  meetingTitle: string;
  /** Date of the meeting (YYYY-MM-DD), from the document; null when it gives none. */
  date: string | null;
  /** The decision as written (enumerator and markup removed). */
  decision: string;
  /** Who is to act, as written ("Mme Vasseur", "la coordinatrice"). */
  who: string[];
  /** The deadline as written ("avant fin mars"), or null. */
  dueText: string | null;
  /** The deadline read against the meeting's date (YYYY-MM-DD, end of the interval), or null. */
  due: string | null;
  /** Numbers of the fiches actions concerned. */
  fiches: number[];
  /** A date was moved ("reporté à", "décalée à", "prolongé jusqu'au"). */
  postponed: boolean;
  source: string;
  title: string;
  page: number | null;
  /** Heading of the section the entry sits in ("Relevé de décisions"). */
  section: string | null;
}
