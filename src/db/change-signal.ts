import DataLoader from 'dataloader';
import { sql } from 'kysely';
import type { Database } from './connect.js';

/**
 * The change signal (docs/caches.md): a number per organisation that moves whenever data feeding a cached
 * answer may have changed, so an answer remembered under one version is exactly the fresh answer for as long
 * as the version reads the same.
 *
 * - SQLite: the database's data epoch (`Database.dataEpoch`), which moves on any commit by any connection or
 *   process. Free to read (no query), and it catches writes the triggers could not (none today).
 * - PostgreSQL: the sum of the org's `org_versions` rows, bumped by triggers in the same transaction as every write to a counted
 *   table (migration 2026-11-29-02), so a write committed by any instance is seen by any statement that starts
 *   after the commit. Reads are coalesced per event-loop turn (`coalesced`): one statement serves every
 *   request that asked during the turn, and it is sent after they asked, so none of them can see a version
 *   older than the last commit before it arrived.
 *
 * Versions only grow, so a cached entry with a version at least the caller's is also fresh enough for it.
 */
export type OrgVersionReader = (orgId: string) => Promise<number>;

/**
 * A read batched per event-loop turn: the keys asked for during one turn go out as one call of `fetch`,
 * started in the next `setImmediate`, i.e. after every caller in the batch asked, or by the first key asked
 * once the batch is over 2 ms old (under a flood one turn's I/O phase can last hundreds of milliseconds, and
 * every caller in it would wait for its end: measured as PostgreSQL's served p99 under 2,000 connections; see
 * `sendStaleBatches`).
 * Either way a batch is sent after each of its callers asked. Nothing is remembered
 * between batches (DataLoader's cache is off), so each answer is as fresh as a read of the caller's own.
 * `fetch` gets each key once and returns a map; a key it leaves out reads as undefined.
 */
export function coalesced<K, V>(fetch: (keys: K[]) => Promise<Map<K, V>>): (key: K) => Promise<V | undefined> {
  // The batch collecting keys; each batch is sent once: at the end of the turn, or past MAX_BATCH_WAIT_MS by the
  // next key asked or the next request arriving at the server (sendStaleBatches), whichever comes first.
  let open: Batch | undefined;
  const send = (batch: Batch) => {
    if (batch.sent) return;
    batch.sent = true;
    openBatches.delete(batch);
    if (open === batch) open = undefined;
    batch.run();
  };
  const loader = new DataLoader<K, V | undefined>(async (keys) => {
    const found = await fetch([...new Set(keys)]);
    return keys.map((k) => found.get(k));
  }, {
    cache: false,
    maxBatchSize: 500,
    batchScheduleFn: (run) => {
      const batch: Batch = { run, since: performance.now(), sent: false, send: () => send(batch) };
      open = batch;
      openBatches.add(batch);
      setImmediate(batch.send);
    },
  });
  return (key) => {
    const answer = loader.load(key);
    if (open && performance.now() - open.since > MAX_BATCH_WAIT_MS) send(open);
    return answer;
  };
}

interface Batch { run: () => void; since: number; sent: boolean; send: () => void }

/** Batches not yet sent, of every coalesced read (a handful at most: one per read per turn). */
const openBatches = new Set<Batch>();

/**
 * Sends every coalesced batch older than 2 ms. The server calls it for each request arriving: under a flood one
 * turn's I/O phase runs no timers and no `setImmediate`, and once the load shedder admits nobody (its in-flight
 * cap reached) no new key would ever send the batch the admitted requests wait on.
 */
export function sendStaleBatches(): void {
  if (!openBatches.size) return;
  const now = performance.now();
  for (const batch of openBatches) if (now - batch.since > MAX_BATCH_WAIT_MS) batch.send();
}

/** The longest a coalesced read waits for others to join it (ms). */
const MAX_BATCH_WAIT_MS = 2;

/** The current version of organisations' data (see above); one reader per app. */
export function orgVersionReader(database: Database): OrgVersionReader {
  if (database.dataEpoch) {
    const epoch = database.dataEpoch;
    return async () => epoch();
  }
  const query = sql<{ org_id: string; version: number }>`select org_id, sum(version)::bigint as version from org_versions
    where org_id = any(${''}::text[]) group by org_id`.compile(database.db);
  const read = coalesced<string, number>(async (orgIds) =>
    new Map((await database.readCompiled(query, [orgIds])).map((r) => [r.org_id, r.version])));
  return async (orgId) => (await read(orgId)) ?? 0;
}

/**
 * The version to remember an answer under, given the org's stored counter as read with the request's
 * credentials (API key lookup): on SQLite the data epoch instead (see above).
 */
export function versionOf(database: Database, stored: number): number {
  return database.dataEpoch ? database.dataEpoch() : stored;
}

/** A remembered answer: computed under `version` for the minute starting at `minute` (epoch ms). */
export interface MemoEntry<T> { version: number; minute: number; value: Promise<T> }

/** Answers remembered per key under the change signal: one per app, bounded, dropped on close. */
export interface VersionedMemo<T> { entries: Map<string, MemoEntry<T>>; max: number }
export const versionedMemo = <T>(max = 2000): VersionedMemo<T> => ({ entries: new Map(), max });

/**
 * The entry for `key`, reused when it was computed for the same minute under a version at least `version`
 * (it then saw every change the caller must see), else computed afresh by `compute` and remembered.
 * Callers arriving while it is computed share the one computation (no stampede after each change); a
 * failed computation is forgotten. Keys must include the org id: versions are per organisation.
 */
export function remember<T>(memo: VersionedMemo<T>, key: string, version: number, minute: number, compute: () => Promise<T>): MemoEntry<T> {
  const found = memo.entries.get(key);
  if (found && found.version >= version && found.minute === minute) return found;
  const entry: MemoEntry<T> = { version, minute, value: compute() };
  if (memo.entries.size >= memo.max) memo.entries.clear();
  memo.entries.set(key, entry);
  entry.value.catch(() => memo.entries.get(key) === entry && memo.entries.delete(key));
  return entry;
}
