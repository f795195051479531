import { distance } from 'fastest-levenshtein';

/**
 * "Did you mean …?" for an unknown field or query parameter: the known names a caller most likely meant.
 * In order of confidence, the first rule that finds any wins:
 * 1. the same name once spelling conventions are set aside (`startsAt`, `service_id` → `service`);
 * 2. a word that integrators commonly use for it (`customer` → `client`, `page` → `cursor`);
 * 3. a shared word, plurals folded (`start_time` → `starts_at`, `cancellation_reason` → `reason`);
 * 4. a typo: Levenshtein distance at most a third of the name (`sevice` → `service`).
 * Returns at most two names (`start_date` → `starts_after`, `starts_before`), or none.
 */
export function suggestNames(unknown: string, known: readonly string[]): string[] {
  const target = normalise(unknown);
  if (!target || !known.length) return [];
  const rules: ((k: string) => boolean)[] = [
    (k) => normalise(k) === target,
    (k) => SYNONYMS[target]?.includes(k) ?? false,
    (k) => words(k).some((w) => words(unknown).includes(w)),
    (k) => distance(normalise(k), target) <= Math.max(1, Math.floor(target.length / 3)),
  ];
  for (const rule of rules) {
    const found = known.filter(rule);
    if (found.length) return found.slice(0, 2);
  }
  return [];
}

/** `startsAt` / `Starts-At` / `service_id` → `starts_at` / `starts_at` / `service`. */
function normalise(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .replace(/_ids?$/, '');
}

// Words that say nothing about which field is meant.
const FILLER = new Set(['at', 'id', 'ids', 'on', 'by', 'of', 'to', 'the', 'is']);
/** The meaningful words of a name, plurals folded: `starts_at` → [`start`]. */
function words(name: string): string[] {
  return normalise(name).split('_').filter((w) => w.length > 1 && !FILLER.has(w)).map((w) => (w.length > 3 && w.endsWith('s') ? w.slice(0, -1) : w));
}

const SYNONYMS: Record<string, string[]> = {
  customer: ['client'],
  customer_email: ['email'],
  customer_phone: ['phone'],
  employee: ['staff'],
  stylist: ['staff'],
  barber: ['staff'],
  provider: ['staff'],
  resource: ['staff'],
  shop: ['location'],
  store: ['location'],
  branch: ['location'],
  treatment: ['service'],
  appointment: ['reference'],
  booking: ['reference'],
  time: ['starts_at'],
  datetime: ['starts_at'],
  when: ['starts_at'],
  comment: ['notes', 'reason'],
  comments: ['notes', 'reason'],
  message: ['notes', 'reason'],
  page: ['cursor'],
  offset: ['cursor'],
  after: ['cursor'],
  starting_after: ['cursor'],
  per_page: ['limit'],
  page_size: ['limit'],
  count: ['limit'],
  mobile: ['phone'],
  telephone: ['phone'],
  tel: ['phone'],
  surname: ['last_name'],
  forename: ['first_name'],
  given_name: ['first_name'],
  family_name: ['last_name'],
  name: ['first_name', 'q'],
  search: ['q'],
  query: ['q'],
};
