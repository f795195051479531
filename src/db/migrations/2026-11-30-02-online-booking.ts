import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../connect.js';

/**
 * Frozen: the online booking page and client messages.
 * - `online_booking_settings`: one row per location that has been set up for online booking (no row: the
 *   defaults, with online booking off). Hours are whole hours; `contact_required` is what the page asks for.
 * - `online_hidden_services` / `online_hidden_staff`: what the shop keeps off the page (everything else that is
 *   active, bookable and offered there may be booked online).
 * - `manage_links`: private "manage my booking" links. Only the SHA-256 digest of each random token is kept,
 *   like API keys and sessions; a booking may have several (the page's, and one per message sent).
 * - `messages`: one row per (source, client, kind): `source_key` is the event id, or `reminder:<booking>:<start ms>`.
 *   The unique key makes "exactly once per event and recipient" a database fact even with several instances.
 *   Workers claim due rows (PostgreSQL: FOR UPDATE SKIP LOCKED) and lease them (`claimed_until`).
 * - `mailbox`: the development mailbox (messages "sent" when no SMTP_URL is set), shown in the Hub.
 * - `outbox_cursors`: how far each consumer of the events outbox has read, in feed order (tx, seq). The
 *   messages consumer starts at the end of the outbox as it is now: no messages for changes made before.
 */
export async function up(db: Kysely<any>, _dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('online_booking_settings')
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('location_id', 'text', (c) => c.notNull())
    .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('contact_required', 'text', (c) => c.notNull().defaultTo('email').check(sql`contact_required in ('email', 'phone', 'either')`))
    .addColumn('cancellation_window_hours', 'integer', (c) => c.notNull().defaultTo(24).check(sql`cancellation_window_hours between 0 and 720`))
    .addColumn('reminder_hours', 'integer', (c) => c.notNull().defaultTo(24).check(sql`reminder_hours between 0 and 168`))
    .addColumn('max_live_bookings', 'integer', (c) => c.notNull().defaultTo(3).check(sql`max_live_bookings between 1 and 50`))
    .addColumn('message', 'text')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('online_booking_settings_pk', ['org_id', 'location_id'])
    .addForeignKeyConstraint('online_booking_settings_location_fk', ['org_id', 'location_id'], 'locations', ['org_id', 'id'], (c) => c.onDelete('cascade'))
    .execute();

  for (const [table, column, parent] of [['online_hidden_services', 'service_id', 'services'], ['online_hidden_staff', 'staff_id', 'staff']] as const) {
    await db.schema
      .createTable(table)
      .addColumn('org_id', 'text', (c) => c.notNull())
      .addColumn(column, 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint(`${table}_pk`, ['org_id', column] as never)
      .addForeignKeyConstraint(`${table}_fk`, ['org_id', column], parent, ['org_id', 'id'], (c) => c.onDelete('cascade'))
      .execute();
  }

  await db.schema
    .createTable('manage_links')
    .addColumn('digest', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('booking_id', 'text', (c) => c.notNull().references('bookings.id'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('manage_links_booking_idx').on('manage_links').columns(['org_id', 'booking_id']).execute();

  await db.schema
    .createTable('messages')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('source_key', 'text', (c) => c.notNull())
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('confirmation', 'reschedule', 'cancellation', 'reminder')`))
    .addColumn('booking_id', 'text', (c) => c.notNull())
    .addColumn('location_id', 'text', (c) => c.notNull())
    .addColumn('event_id', 'text')
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('pending', 'sending', 'sent', 'skipped', 'failed')`))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
    .addColumn('claim_token', 'text')
    .addColumn('claimed_until', 'bigint')
    .addColumn('transport', 'text')
    .addColumn('recipient', 'text')
    .addColumn('subject', 'text')
    .addColumn('outcome', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('sent_at', 'bigint')
    .addUniqueConstraint('messages_source_uq', ['org_id', 'source_key', 'client_id', 'kind'])
    .execute();
  await db.schema.createIndex('messages_due_idx').on('messages').columns(['status', 'next_attempt_at']).execute();
  await db.schema.createIndex('messages_client_idx').on('messages').columns(['org_id', 'client_id', 'created_at']).execute();
  await db.schema.createIndex('messages_booking_idx').on('messages').columns(['org_id', 'booking_id', 'kind']).execute();

  await db.schema
    .createTable('mailbox')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('message_id', 'text', (c) => c.notNull().unique())
    .addColumn('recipient', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('text_body', 'text', (c) => c.notNull())
    .addColumn('html_body', 'text', (c) => c.notNull())
    .addColumn('ics', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('mailbox_org_idx').on('mailbox').columns(['org_id', 'created_at']).execute();

  await db.schema
    .createTable('outbox_cursors')
    .addColumn('consumer', 'text', (c) => c.primaryKey())
    .addColumn('tx', 'bigint', (c) => c.notNull())
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  const last = await sql<{ tx: number | string | null; seq: number | string | null }>`select tx, seq from events order by tx desc, seq desc limit 1`.execute(db);
  const at = last.rows[0];
  await sql`insert into outbox_cursors (consumer, tx, seq, updated_at) values ('messages', ${Number(at?.tx ?? 0)}, ${Number(at?.seq ?? 0)}, ${Date.now()})`.execute(db);

  // Consumers read the outbox across organisations in feed order; reminders look for confirmed bookings by start.
  await db.schema.createIndex('events_tx_seq_idx').on('events').columns(['tx', 'seq']).execute();
  await sql`create index bookings_confirmed_start_idx on bookings (start_ms) where status = 'confirmed'`.execute(db);
}
