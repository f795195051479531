import type { Kysely } from 'kysely';
import type { Dialect } from '../connect.js';

/**
 * Frozen: the outbox had two identical indexes on `events (tx, seq)` (`events_global_feed_idx` for the webhook
 * fan-out, `events_tx_seq_idx` for client messages, added by two migrations on the same day). Every recorded
 * change updated both; the fan-out and the messages worker read through the one that stays. On SQLite, with
 * `synchronous=FULL`, each extra index is an extra page in every booking's commit.
 */
export async function up(db: Kysely<any>, _dialect: Dialect): Promise<void> {
  await db.schema.dropIndex('events_tx_seq_idx').ifExists().execute();
}
