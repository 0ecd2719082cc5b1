/** Why a date expression needs the coordinator's eye (user-facing, French). */
export const REASONS = {
  empty: 'aucune échéance indiquée',
  unknown: 'expression non reconnue',
  impossible: (text: string): string => `date impossible : ${text}`,
  yearMissing: 'année non précisée et aucune date de référence',
  relativeNoRef: 'échéance relative sans date de référence',
  vague: (text: string): string => `durée imprécise : « ${text} »`,
  incoherentRange: 'période incohérente : la fin précède le début',
  weekdayMismatch: (date: string, actual: string): string =>
    `jour de la semaine incohérent : le ${date} est un ${actual}`,
  openEnd: 'échéance ouverte : « après » ne fixe pas de date limite',
  event: 'échéance relative à un événement non daté',
  ptsmDuration: 'durée du PTSM non datée : précisez les années',
  recurring: 'échéance récurrente : précisez la première date',
  continuous: 'action continue : aucune échéance datée',
  asap: '« dès que possible » : aucune échéance datée',
  conditional: 'échéance conditionnée (financement, validation…) : à préciser',
  toBeDefined: 'échéance à définir ou à confirmer',
  partial: (kept: string): string => `expression partiellement reconnue : seule « ${kept} » a été lue`,
  several: (texts: string[]): string =>
    `plusieurs échéances (${texts.join(' ; ')}) : la période les couvre toutes, à scinder en jalons`,
} as const;
