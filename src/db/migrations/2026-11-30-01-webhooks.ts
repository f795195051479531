import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../connect.js';

/**
 * Frozen: per-resource scopes on API keys, webhook endpoints and their deliveries (API.md §3, §9).
 * - api_keys.scope may be `custom`: the key then holds the fine scopes in `scopes` (a JSON array); `read` and
 *   `read_write` stay the published presets. `location_ids` (JSON array of location ids, or null = every
 *   location) limits what the key sees. SQLite cannot change a check constraint: the table is rebuilt.
 * - webhook_endpoints: where to send which events, the signing secret (and the previous one for 24 hours
 *   after a rotation), `failing_since` for the 3-day auto-disable.
 * - webhook_deliveries: one row per (endpoint, event); `next_attempt_at` is when it is due (also the lease
 *   while an instance sends it), `scheduled_at` starts the 3-day retry window (reset by a resend).
 * - webhook_attempts: the delivery log (every attempt: time, status, latency, an excerpt of the answer).
 * - worker_positions: how far the fan-out has read the outbox, in feed order (tx, seq).
 */
export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  if (dialect === 'postgres') {
    await sql`alter table api_keys drop constraint api_keys_scope_check`.execute(db);
    await sql`alter table api_keys add constraint api_keys_scope_ck check (scope in ('read', 'read_write', 'custom'))`.execute(db);
    await sql`alter table api_keys add column scopes text`.execute(db);
    await sql`alter table api_keys add column location_ids text`.execute(db);
  } else {
    await sql`begin immediate`.execute(db);
    try {
      await sql`create table api_keys_new (
        id text primary key,
        org_id text not null references organisations(id),
        label text not null,
        scope text not null constraint api_keys_scope_ck check (scope in ('read', 'read_write', 'custom')),
        digest text not null unique,
        prefix text not null,
        last4 text not null,
        created_by text references users(id),
        created_at bigint not null,
        last_used_at bigint,
        revoked_at bigint,
        scopes text,
        location_ids text
      )`.execute(db);
      await sql`insert into api_keys_new (id, org_id, label, scope, digest, prefix, last4, created_by, created_at, last_used_at, revoked_at)
        select id, org_id, label, scope, digest, prefix, last4, created_by, created_at, last_used_at, revoked_at from api_keys`.execute(db);
      await sql`drop table api_keys`.execute(db);
      await sql`alter table api_keys_new rename to api_keys`.execute(db);
      await sql`create index api_keys_org_idx on api_keys (org_id, created_at, id)`.execute(db);
      await sql`commit`.execute(db);
    } catch (err) {
      await sql`rollback`.execute(db).catch(() => undefined);
      throw err;
    }
  }

  await db.schema
    .createTable('webhook_endpoints')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('enabled_events', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('enabled', 'disabled')`))
    .addColumn('disabled_reason', 'text')
    .addColumn('disabled_at', 'bigint')
    .addColumn('secret', 'text', (c) => c.notNull())
    .addColumn('previous_secret', 'text')
    .addColumn('previous_secret_expires_at', 'bigint')
    .addColumn('failing_since', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('webhook_endpoints_org_id_uq', ['org_id', 'id'])
    .execute();
  await db.schema.createIndex('webhook_endpoints_org_created_idx').on('webhook_endpoints').columns(['org_id', 'created_at', 'id']).execute();

  await db.schema
    .createTable('webhook_deliveries')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('endpoint_id', 'text', (c) => c.notNull())
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('pending', 'succeeded', 'failed')`))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'bigint')
    .addColumn('scheduled_at', 'bigint', (c) => c.notNull())
    .addColumn('last_attempt_at', 'bigint')
    .addColumn('last_status_code', 'integer')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('webhook_deliveries_endpoint_event_uq', ['org_id', 'endpoint_id', 'event_id'])
    .addForeignKeyConstraint('webhook_deliveries_endpoint_fk', ['org_id', 'endpoint_id'], 'webhook_endpoints', ['org_id', 'id'], (fk) => fk.onDelete('cascade'))
    .addForeignKeyConstraint('webhook_deliveries_event_fk', ['org_id', 'event_id'], 'events', ['org_id', 'id'], (fk) => fk.onDelete('cascade'))
    .execute();
  await db.schema.createIndex('webhook_deliveries_due_idx').on('webhook_deliveries').columns(['status', 'next_attempt_at']).execute();
  await db.schema.createIndex('webhook_deliveries_event_idx').on('webhook_deliveries').columns(['org_id', 'event_id']).execute();
  await db.schema.createIndex('webhook_deliveries_endpoint_idx').on('webhook_deliveries').columns(['org_id', 'endpoint_id', 'created_at']).execute();

  await db.schema
    .createTable('webhook_attempts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('endpoint_id', 'text', (c) => c.notNull())
    .addColumn('delivery_id', 'text', (c) => c.notNull().references('webhook_deliveries.id').onDelete('cascade'))
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addColumn('attempt', 'integer', (c) => c.notNull())
    .addColumn('attempted_at', 'bigint', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull().check(sql`outcome in ('succeeded', 'failed')`))
    .addColumn('status_code', 'integer')
    .addColumn('error', 'text')
    .addColumn('latency_ms', 'integer', (c) => c.notNull())
    .addColumn('response_excerpt', 'text')
    .execute();
  await db.schema.createIndex('webhook_attempts_endpoint_idx').on('webhook_attempts').columns(['org_id', 'endpoint_id', 'attempted_at']).execute();
  await db.schema.createIndex('webhook_attempts_delivery_idx').on('webhook_attempts').columns(['delivery_id']).execute();
  await db.schema.createIndex('webhook_attempts_prune_idx').on('webhook_attempts').columns(['attempted_at']).execute();

  await db.schema
    .createTable('worker_positions')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('tx', 'bigint', (c) => c.notNull())
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .execute();
  await db.insertInto('worker_positions').values({ name: 'webhook_fanout', tx: 0, seq: 0 }).execute();

  // The fan-out reads the outbox across organisations in feed order; pruning deletes by age.
  await db.schema.createIndex('events_global_feed_idx').on('events').columns(['tx', 'seq']).execute();
  await db.schema.createIndex('events_prune_idx').on('events').columns(['created_at']).execute();
}
