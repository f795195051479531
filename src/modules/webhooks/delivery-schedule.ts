/**
 * When to try a webhook delivery again (API.md §9): after the 1st failed attempt about 5 s, then 5 min,
 * 30 min, 2 h, 5 h, 10 h, then every 10 h, each jittered by ±10% so that many deliveries failing together do
 * not retry in lockstep; for 3 days from when the delivery was scheduled, after which it is given up. Pure:
 * times are epoch ms passed in, `random` is in [0, 1).
 */
export const RETRY_DELAYS_MS = [5_000, 5 * 60_000, 30 * 60_000, 2 * 3_600_000, 5 * 3_600_000, 10 * 3_600_000] as const;
export const RETRY_WINDOW_MS = 3 * 86_400_000;
const JITTER = 0.1;

/** The delay before attempt `attempts + 1`, given `attempts` made so far (≥ 1), before jitter. */
export const retryDelay = (attempts: number): number => RETRY_DELAYS_MS[Math.min(attempts, RETRY_DELAYS_MS.length) - 1]!;

/** The next attempt's time after `attempts` failed attempts, or null when the 3-day window would be passed. */
export function nextAttemptAt(attempts: number, failedAt: number, scheduledAt: number, random: number): number | null {
  const delay = retryDelay(attempts) * (1 - JITTER + 2 * JITTER * random);
  const next = Math.round(failedAt + delay);
  return next - scheduledAt > RETRY_WINDOW_MS ? null : next;
}

/** An endpoint whose attempts have all failed since `failingSince` for 3 days is disabled. */
export const failingTooLong = (failingSince: number | null, now: number): boolean => failingSince !== null && now - failingSince >= RETRY_WINDOW_MS;
