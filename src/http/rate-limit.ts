import { Redis } from 'ioredis';

export interface RateLimitResult {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until the window resets. */
  resetSeconds: number;
}

export interface RateLimiter {
  hit(bucket: string, limit: number, windowMs: number, now: number): Promise<RateLimitResult> | RateLimitResult;
  /** Counts without charging (is this bucket already over?). */
  peek(bucket: string, limit: number, now: number): Promise<boolean> | boolean;
  close(): Promise<void>;
}

function result(count: number, limit: number, resetAt: number, now: number): RateLimitResult {
  return { allowed: count <= limit, limit, remaining: Math.max(0, limit - count), resetSeconds: Math.max(1, Math.ceil((resetAt - now) / 1000)) };
}

/** Fixed windows in process memory: right for one instance. */
export function memoryRateLimiter(): RateLimiter {
  const windows = new Map<string, { count: number; resetAt: number }>();
  let sweptAt = 0;
  return {
    hit(bucket, limit, windowMs, now) {
      if (now - sweptAt > 60_000) {
        for (const [k, w] of windows) if (w.resetAt <= now) windows.delete(k);
        sweptAt = now;
      }
      let w = windows.get(bucket);
      if (!w || w.resetAt <= now) {
        w = { count: 0, resetAt: now + windowMs };
        windows.set(bucket, w);
      }
      w.count++;
      return result(w.count, limit, w.resetAt, now);
    },
    peek(bucket, limit, now) {
      const w = windows.get(bucket);
      return !!w && w.resetAt > now && w.count >= limit;
    },
    async close() {},
  };
}

/** Fixed windows in Redis, shared by every instance (REDIS_URL). */
export function redisRateLimiter(url: string): RateLimiter {
  const redis = new Redis(url, { maxRetriesPerRequest: 2, enableOfflineQueue: true, lazyConnect: false });
  return {
    async hit(bucket, limit, windowMs, now) {
      const key = `setora:rl:${bucket}`;
      const res = await redis.multi().incr(key).pexpire(key, windowMs, 'NX').pttl(key).exec();
      const count = Number(res?.[0]?.[1] ?? 0);
      const ttl = Number(res?.[2]?.[1] ?? windowMs);
      return result(count, limit, now + (ttl > 0 ? ttl : windowMs), now);
    },
    async peek(bucket, limit) {
      const v = await redis.get(`setora:rl:${bucket}`);
      return v !== null && Number(v) >= limit;
    },
    async close() {
      await redis.quit().catch(() => undefined);
    },
  };
}
