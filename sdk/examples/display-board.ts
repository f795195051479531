/**
 * A display board for the shop floor: today's bookings per staff member at one location, redrawn as soon as the
 * events feed (`GET /v1/events`) says a booking there was made, moved, cancelled or completed. It only reads:
 * give it a key with the scopes `catalog:read,bookings:read,events:read` (made in the Hub, Settings → Developer,
 * or `setora keys create --scopes catalog:read,bookings:read,events:read --locations shoreditch`); the `read`
 * preset works too.
 *
 *   SETORA_KEY=sk_live_… node --import tsx sdk/examples/display-board.ts shoreditch
 *
 * Options: `--url http://127.0.0.1:8080` (default: $SETORA or the public API), `--date YYYY-MM-DD` (another
 * day, in the location's zone), `--every SECONDS` (how often to ask the feed, default 5), `--once` (print once
 * and exit). Clients are shown as first name and initial: a board is seen by everyone in the shop.
 */
import { createSetoraClient, paginate, unwrap, type Booking, type SetoraClient, type Staff } from '../src/index.js';

export interface BoardOptions {
  location: string;
  /** A local date (`YYYY-MM-DD`) in the location's zone; default: today there. */
  date?: string;
}

export interface Board {
  title: string;
  date: string;
  timeZone: string;
  rows: { staff: Staff; bookings: Booking[] }[];
}

/** `YYYY-MM-DD` of an instant in a time zone. */
const localDate = (instant: Date, timeZone: string) => new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(instant);
const localTime = (instant: string, timeZone: string) => new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(instant));

/** Reads the location, its staff and the day's live bookings: four kinds of GET, nothing written. */
export async function loadBoard(setora: SetoraClient, options: BoardOptions, now = new Date()): Promise<Board> {
  const location = await unwrap(setora.GET('/v1/locations/{slug}', { params: { path: { slug: options.location } } }));
  const date = options.date ?? localDate(now, location.time_zone);
  // A local day is at most 25 hours long and within 14 hours of UTC midnight: ask for a window around it
  // and keep the bookings whose local date is the day.
  const midnight = Date.parse(`${date}T00:00:00Z`);
  const window = { starts_after: new Date(midnight - 15 * 3_600_000).toISOString(), starts_before: new Date(midnight + 39 * 3_600_000).toISOString() };
  const staff: Staff[] = [];
  for await (const member of paginate((cursor) => unwrap(setora.GET('/v1/staff', { params: { query: { location: location.slug, limit: 100, cursor } } })))) staff.push(member);
  const bookings: Booking[] = [];
  for await (const booking of paginate((cursor) => unwrap(setora.GET('/v1/bookings', { params: { query: { location: location.slug, ...window, limit: 100, cursor } } })))) {
    if (booking.status !== 'cancelled' && localDate(new Date(booking.starts_at), location.time_zone) === date) bookings.push(booking);
  }
  return {
    title: location.name,
    date,
    timeZone: location.time_zone,
    rows: staff.map((member) => ({ staff: member, bookings: bookings.filter((b) => b.staff.id === member.id) })),
  };
}

/**
 * Follows the change feed from `since` on: resolves with whether any booking event returned concerns the
 * location, keeping the cursor so the next call resumes exactly after the last event seen (events are kept 30
 * days; a board that was off longer simply starts again from now).
 */
export function bookingChanges(setora: SetoraClient, location: string, since: Date) {
  const filter = { type: 'booking.*', created_after: since.toISOString() };
  let cursor: string | undefined;
  return async function changed(): Promise<boolean> {
    let any = false;
    for (;;) {
      const page = await unwrap(setora.GET('/v1/events', { params: { query: { ...filter, limit: 100, ...(cursor ? { cursor } : {}) } } }));
      cursor = page.next_cursor ?? cursor;
      any ||= page.data.some((e) => (e.data.object as { location?: string }).location === location);
      if (!page.has_more) return any;
    }
  };
}

/** "Alex Morgan" → "Alex M." */
const shortName = (name: string | null) => {
  if (!name) return 'Walk-in';
  const [first, ...rest] = name.split(' ');
  return rest.length ? `${first} ${rest[rest.length - 1]!.charAt(0)}.` : first!;
};

/** The board as text, one block per staff member, bookings in time order. */
export function renderBoard(board: Board): string {
  const lines = [`${board.title}: ${board.date}`, ''];
  for (const { staff, bookings } of board.rows) {
    lines.push(`${staff.display_name}${staff.title ? ` (${staff.title})` : ''}`);
    if (!bookings.length) lines.push('  no bookings');
    for (const b of [...bookings].sort((x, y) => x.starts_at.localeCompare(y.starts_at))) {
      const status = b.status === 'confirmed' ? '' : `  [${b.status.replace('_', '-')}]`;
      lines.push(`  ${localTime(b.starts_at, board.timeZone)}–${localTime(b.ends_at, board.timeZone)}  ${b.service.name.padEnd(18)} ${shortName(b.client.name)}  ${b.reference}${status}`);
    }
    lines.push('');
  }
  return lines.join('\n');
}

async function main(argv: string[]): Promise<void> {
  const flag = (name: string) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const location = argv.find((a, i) => !a.startsWith('--') && !['--url', '--date', '--every'].includes(argv[i - 1] ?? ''));
  const apiKey = process.env.SETORA_KEY;
  if (!location || !apiKey) {
    console.error('usage: SETORA_KEY=sk_live_… display-board.ts LOCATION_SLUG [--url URL] [--date YYYY-MM-DD] [--every SECONDS] [--once]');
    process.exit(2);
  }
  const setora = createSetoraClient({ apiKey, baseUrl: flag('--url') ?? process.env.SETORA });
  const every = Number(flag('--every') ?? 5) * 1000;
  const date = flag('--date');
  // Start following before the first read, so that no change falls between the two.
  const changed = bookingChanges(setora, location, new Date());
  let shown = '';
  for (;;) {
    const board = await loadBoard(setora, { location, ...(date ? { date } : {}) });
    const text = renderBoard(board);
    // On a terminal, redraw in place; piped, print each new board.
    if (text !== shown) process.stdout.write(process.stdout.isTTY ? `\x1b[2J\x1b[H${text}\n` : `${text}\n`);
    shown = text;
    if (argv.includes('--once')) return;
    // Wait until the feed shows a booking change here, or the day turns over.
    while (!(await changed()) && (date || board.date === localDate(new Date(), board.timeZone))) await new Promise((r) => setTimeout(r, every));
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main(process.argv.slice(2)).catch((err) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(1);
  });
}
