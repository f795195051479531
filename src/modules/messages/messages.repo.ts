import { PostgresAdapter, sql, type Insertable, type Kysely, type Selectable } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { MailboxTable, MessagesTable } from './messages.tables.js';
import './messages.tables.js';
import '../online/online.tables.js';

export type MessageRow = Selectable<MessagesTable>;
export type MailboxRow = Selectable<MailboxTable>;

const isPostgres = (db: Kysely<DB>) => db.getExecutor().adapter instanceof PostgresAdapter;

/**
 * The consumer's position in the outbox, locked for this transaction. PostgreSQL: `FOR UPDATE SKIP LOCKED`,
 * so while one instance scans, the others skip (undefined) instead of waiting. SQLite: one writer anyway.
 */
export async function lockCursor(trx: Kysely<DB>, consumer: string) {
  let q = trx.selectFrom('outbox_cursors').select(['tx', 'seq']).where('consumer', '=', consumer);
  if (isPostgres(trx)) q = q.forUpdate().skipLocked();
  return q.executeTakeFirst();
}

export async function moveCursor(trx: Kysely<DB>, consumer: string, to: { tx: number; seq: number }, now: number): Promise<void> {
  await trx.updateTable('outbox_cursors').set({ tx: to.tx, seq: to.seq, updated_at: now }).where('consumer', '=', consumer).execute();
}

/**
 * Events after a position, in feed order (tx, seq), across organisations. On PostgreSQL only rows whose
 * transaction is older than every transaction still running (`pg_snapshot_xmin`): a transaction that took
 * a lower seq but commits later is then never skipped (see migration 2026-11-29-01-booking-core).
 */
export function eventsAfter(trx: Kysely<DB>, at: { tx: number; seq: number }, types: readonly string[], limit: number) {
  let q = trx.selectFrom('events').select(['tx', 'seq', 'id', 'org_id', 'type', 'object_id', 'data', 'created_at'])
    .where((eb) => eb.or([eb('tx', '>', at.tx), eb.and([eb('tx', '=', at.tx), eb('seq', '>', at.seq)])]));
  if (isPostgres(trx)) q = q.where('tx', '<', sql<number>`(pg_snapshot_xmin(pg_current_snapshot())::text::bigint)`);
  return q.orderBy('tx').orderBy('seq').limit(limit).execute().then((rows) => ({ rows, wanted: rows.filter((r) => types.includes(r.type)) }));
}

/** Clients with an email address among these (the only ones messages go to). */
export async function clientsWithEmail(db: Kysely<DB>, pairs: { org_id: string; client_id: string }[]): Promise<Set<string>> {
  if (!pairs.length) return new Set();
  const rows = await db.selectFrom('clients').select(['org_id', 'id'])
    .where('org_id', 'in', [...new Set(pairs.map((p) => p.org_id))]).where('id', 'in', [...new Set(pairs.map((p) => p.client_id))])
    .where('email', 'is not', null).execute();
  return new Set(rows.map((r) => `${r.org_id}:${r.id}`));
}

/** Inserts message rows; one already there for the same (org, source, client, kind) is left alone. */
export async function insertMessages(db: Kysely<DB>, rows: Insertable<MessagesTable>[]): Promise<void> {
  if (!rows.length) return;
  await db.insertInto('messages').values(rows).onConflict((oc) => oc.columns(['org_id', 'source_key', 'client_id', 'kind']).doNothing()).execute();
}

/**
 * Confirmed bookings of clients with an email whose reminder moment (start minus the location's reminder
 * hours, default 24; 0 = none) has come, that were booked or last moved before that moment (a booking made
 * within the window has just had its confirmation), and that have no reminder row for this start yet.
 */
export function dueReminders(db: Kysely<DB>, now: number, maxHours: number, limit: number) {
  const hours = sql<number>`coalesce(s.reminder_hours, 24)`;
  return db.selectFrom('bookings as b')
    .innerJoin('clients as c', (j) => j.onRef('c.id', '=', 'b.client_id').onRef('c.org_id', '=', 'b.org_id'))
    .leftJoin('online_booking_settings as s', (j) => j.onRef('s.location_id', '=', 'b.location_id').onRef('s.org_id', '=', 'b.org_id'))
    .select(['b.id', 'b.org_id', 'b.client_id', 'b.location_id', 'b.start_ms'])
    .where('b.status', '=', 'confirmed')
    .where('b.start_ms', '>', now)
    .where('b.start_ms', '<=', now + maxHours * 3_600_000)
    .where('c.email', 'is not', null)
    .where(sql<boolean>`${hours} > 0`)
    .where(sql<boolean>`b.start_ms - ${hours} * 3600000 <= ${now}`)
    .where(sql<boolean>`b.updated_at < b.start_ms - ${hours} * 3600000`)
    .where((eb) => eb.not(eb.exists(eb.selectFrom('messages as m').select('m.id')
      .whereRef('m.org_id', '=', 'b.org_id').whereRef('m.booking_id', '=', 'b.id').where('m.kind', '=', 'reminder')
      .where('m.source_key', '=', sql<string>`${'reminder:'} || b.id || ${':'} || cast(b.start_ms as text)`))))
    .orderBy('b.start_ms').limit(limit).execute();
}

/**
 * Claims due messages for one worker: pending ones whose time has come, and ones whose previous claim
 * lapsed (a worker died mid-send). PostgreSQL: `FOR UPDATE SKIP LOCKED`, so instances claim disjoint rows.
 */
export async function claimDue(trx: Kysely<DB>, now: number, limit: number, claim: { token: string; until: number }): Promise<MessageRow[]> {
  let q = trx.selectFrom('messages').select('id')
    .where((eb) => eb.or([
      eb.and([eb('status', '=', 'pending'), eb('next_attempt_at', '<=', now)]),
      eb.and([eb('status', '=', 'sending'), eb('claimed_until', '<', now)]),
    ]))
    .orderBy('next_attempt_at').limit(limit);
  if (isPostgres(trx)) q = q.forUpdate().skipLocked();
  const ids = (await q.execute()).map((r) => r.id);
  if (!ids.length) return [];
  await trx.updateTable('messages').set((eb) => ({ status: 'sending', claim_token: claim.token, claimed_until: claim.until, attempts: eb('attempts', '+', 1) }))
    .where('id', 'in', ids).execute();
  return trx.selectFrom('messages').selectAll().where('id', 'in', ids).execute();
}

/** Records what became of a claimed message; false when the claim was lost (lapsed and taken by another worker). */
export async function finishMessage(db: Kysely<DB>, id: string, claimToken: string, patch: Partial<Omit<MessageRow, 'id' | 'org_id'>>): Promise<boolean> {
  const res = await db.updateTable('messages').set({ ...patch, claim_token: null, claimed_until: null })
    .where('id', '=', id).where('claim_token', '=', claimToken).executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

export async function insertMailbox(db: Kysely<DB>, row: MailboxRow): Promise<void> {
  await db.insertInto('mailbox').values(row).execute();
}

/** The development mailbox of an org, newest first. */
export const listMailbox = (db: Kysely<DB>, orgId: string, limit: number) =>
  db.selectFrom('mailbox').selectAll().where('org_id', '=', orgId).orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();

/** The messages to one client, newest first (no bodies: those exist only in the development mailbox). */
export const listClientMessages = (db: Kysely<DB>, orgId: string, clientId: string, limit: number) =>
  db.selectFrom('messages as m')
    .leftJoin('bookings as b', (j) => j.onRef('b.id', '=', 'm.booking_id').onRef('b.org_id', '=', 'm.org_id'))
    .select(['m.id', 'm.kind', 'm.status', 'm.subject', 'm.recipient', 'm.transport', 'm.outcome', 'm.created_at', 'm.sent_at', 'b.reference'])
    .where('m.org_id', '=', orgId).where('m.client_id', '=', clientId)
    .orderBy('m.created_at', 'desc').orderBy('m.id', 'desc').limit(limit).execute();
