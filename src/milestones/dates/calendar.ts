/**
 * Pure calendar arithmetic on (year, month, day) integers. Nothing here uses
 * `Date` in local time, so no timezone or DST change can shift a day.
 */
export interface Ymd {
  y: number;
  m: number;
  d: number;
}

export interface Span {
  start: Ymd;
  end: Ymd;
}

export function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export function daysInMonth(y: number, m: number): number {
  return m === 2 && isLeap(y) ? 29 : (DAYS[m - 1] ?? 0);
}

export function isValidYmd(y: number, m: number, d: number): boolean {
  return Number.isInteger(y) && m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m);
}

/** Days since 1970-01-01 (proleptic Gregorian; H. Hinnant's civil algorithm). */
export function toDays({ y, m, d }: Ymd): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

export function fromDays(n: number): Ymd {
  const z = n + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return { y: yoe + era * 400 + (m <= 2 ? 1 : 0), m, d };
}

export function addDays(a: Ymd, n: number): Ymd {
  return fromDays(toDays(a) + n);
}

/** Adds months, clamping the day (31 January + 1 month = 28/29 February). */
export function addMonths(a: Ymd, n: number): Ymd {
  const total = a.y * 12 + (a.m - 1) + n;
  const y = Math.floor(total / 12);
  const m = total - y * 12 + 1;
  return { y, m, d: Math.min(a.d, daysInMonth(y, m)) };
}

export function compare(a: Ymd, b: Ymd): number {
  return toDays(a) - toDays(b);
}

/** ISO weekday: 1 = Monday … 7 = Sunday. */
export function weekday(a: Ymd): number {
  const n = toDays(a); // 1970-01-01 was a Thursday (4)
  return ((((n + 3) % 7) + 7) % 7) + 1;
}

export function format({ y, m, d }: Ymd): string {
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** Reads a strict 'YYYY-MM-DD' reference date; null when absent or invalid. */
export function parseIso(s: string | undefined): Ymd | null {
  if (s === undefined) return null;
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s.trim());
  if (!m) return null;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  return isValidYmd(y, mo, d) ? { y, m: mo, d } : null;
}

export function monthSpan(y: number, m: number): Span {
  return { start: { y, m, d: 1 }, end: { y, m, d: daysInMonth(y, m) } };
}

/** `count` whole months starting at month `m` of year `y` (m may exceed 12). */
export function monthsSpan(y: number, m: number, count: number): Span {
  const first = addMonths({ y, m: 1, d: 1 }, m - 1);
  const last = addMonths(first, count - 1);
  return { start: first, end: { ...last, d: daysInMonth(last.y, last.m) } };
}

/** Monday of ISO week 1 of ISO week-year `y` (the week holding 4 January). */
function isoYearStart(y: number): Ymd {
  const jan4: Ymd = { y, m: 1, d: 4 };
  return addDays(jan4, 1 - weekday(jan4));
}

export function isoWeeksInYear(y: number): number {
  return (toDays(isoYearStart(y + 1)) - toDays(isoYearStart(y))) / 7;
}

/** ISO week `w` of week-year `y`, Monday to Sunday; null when the week does not exist. */
export function isoWeekSpan(y: number, w: number): Span | null {
  if (w < 1 || w > isoWeeksInYear(y)) return null;
  const start = addDays(isoYearStart(y), (w - 1) * 7);
  return { start, end: addDays(start, 6) };
}

/** The Monday-to-Sunday week holding a day. */
export function weekOf(a: Ymd): Span {
  const start = addDays(a, 1 - weekday(a));
  return { start, end: addDays(start, 6) };
}
