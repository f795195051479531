import type { Database } from '../../db/connect.js';
import { setLastUsed } from './api-keys.repo.js';

const MINUTE = 60_000;

/**
 * Coalesces `last_used_at`: at most one write per key per minute per instance, and the last value flushed at
 * shutdown, so a read never turns into a write on the hot path.
 */
export function lastUsedTracker(database: Database, clock: () => number) {
  const lastWritten = new Map<string, number>();
  const pending = new Map<string, { orgId: string; at: number }>();
  let writes = 0;

  const write = (keyId: string, orgId: string, at: number) => {
    lastWritten.set(keyId, at);
    pending.delete(keyId);
    writes++;
    return setLastUsed(database.db, orgId, keyId, at).catch(() => undefined);
  };

  const timer = setInterval(() => void flushDue(), MINUTE / 4);
  timer.unref();

  async function flushDue(force = false): Promise<void> {
    const now = clock();
    const jobs: Promise<void>[] = [];
    for (const [keyId, p] of pending) {
      if (force || now - (lastWritten.get(keyId) ?? 0) >= MINUTE) jobs.push(write(keyId, p.orgId, p.at));
    }
    await Promise.all(jobs);
  }

  return {
    /** `storedAt` is what the database already holds, so a fresh instance doesn't write again at once. */
    touch(keyId: string, orgId: string, storedAt: number | null): void {
      const now = clock();
      if (!lastWritten.has(keyId) && storedAt !== null) lastWritten.set(keyId, storedAt);
      if (now - (lastWritten.get(keyId) ?? 0) >= MINUTE) void write(keyId, orgId, now);
      else pending.set(keyId, { orgId, at: now });
    },
    writes: () => writes,
    flushDue,
    async close(): Promise<void> {
      clearInterval(timer);
      await flushDue(true);
    },
  };
}

export type LastUsedTracker = ReturnType<typeof lastUsedTracker>;
