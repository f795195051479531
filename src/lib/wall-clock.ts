/** Local wall-clock helpers: minutes from midnight ⇄ "HH:MM", ISO weekdays ⇄ names. */
export const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;
export type WeekdayName = (typeof WEEKDAYS)[number];

export const HHMM_RE = /^([01]\d|2[0-3]):[0-5]\d$|^24:00$/;

export function parseHHMM(text: string): number {
  const [h, m] = text.split(':');
  return Number(h) * 60 + Number(m);
}

export function formatHHMM(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

export interface StoredRange { weekday: 1 | 2 | 3 | 4 | 5 | 6 | 7; start: number; end: number }
export type WeeklyHours = Record<WeekdayName, { opens: string; closes: string }[]>;

export function toWeeklyHours(ranges: StoredRange[]): WeeklyHours {
  const out = Object.fromEntries(WEEKDAYS.map((d) => [d, [] as { opens: string; closes: string }[]])) as WeeklyHours;
  for (const r of [...ranges].sort((a, b) => a.weekday - b.weekday || a.start - b.start)) {
    out[WEEKDAYS[r.weekday - 1]!].push({ opens: formatHHMM(r.start), closes: formatHHMM(r.end) });
  }
  return out;
}

export function fromWeeklyHours(hours: Partial<WeeklyHours>): StoredRange[] {
  const out: StoredRange[] = [];
  WEEKDAYS.forEach((day, i) => {
    for (const r of hours[day] ?? []) out.push({ weekday: (i + 1) as StoredRange['weekday'], start: parseHHMM(r.opens), end: parseHHMM(r.closes) });
  });
  return out;
}

export function isValidTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: zone });
    return zone.includes('/') || zone === 'UTC';
  } catch {
    return false;
  }
}
