import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../connect.js';

/**
 * Frozen: the booking core and the events outbox.
 * - Clients: a phone number may be shared (a parent books for a child from one number); email stays unique
 *   per organisation. API.md §6.
 * - Bookings: `source` may be `online` (the booking page); `rules_set_aside` records which availability rules
 *   a Hub member knowingly set aside (a walk-in), as a JSON array, or null.
 * - Events: the transactional outbox (API.md §8). Feed order is (tx, seq). On SQLite there is one writer,
 *   so `seq` alone is commit order and tx stays 0. On PostgreSQL `seq` is not commit order (a transaction may
 *   take seq 5 and commit after seq 6), so each row also records its transaction id; readers only return
 *   rows whose tx is older than every transaction still running, and order by (tx, seq): a row committed
 *   later always sorts after every row already returned.
 */
export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  if (dialect === 'postgres') {
    await sql`alter table clients drop constraint clients_org_phone_uq`.execute(db);
    await sql`alter table bookings drop constraint bookings_source_check`.execute(db);
    await sql`alter table bookings add constraint bookings_source_ck check (source in ('api', 'hub', 'online'))`.execute(db);
    await sql`alter table bookings add column rules_set_aside text`.execute(db);
    await sql`create table events (
      org_id text not null references organisations(id),
      seq bigint generated always as identity,
      tx bigint not null default (pg_current_xact_id()::text::bigint),
      id text not null,
      type text not null,
      source text not null,
      request_id text,
      object_id text not null,
      location_ids text,
      data text not null,
      created_at bigint not null,
      constraint events_pk primary key (org_id, seq),
      constraint events_org_id_uq unique (org_id, id)
    )`.execute(db);
  } else {
    // SQLite cannot drop a unique or check constraint: rebuild the two tables (sqlite.org/lang_altertable.html,
    // "Making Other Kinds Of Table Schema Changes"), with foreign keys off while the parent table is swapped.
    await sql`pragma foreign_keys = off`.execute(db);
    await sql`begin immediate`.execute(db);
    try {
      await sql`create table clients_new (
        id text primary key, org_id text not null references organisations(id),
        first_name text, last_name text, email text, phone text, notes text,
        email_marketing integer not null default 0, email_marketing_at bigint,
        sms_marketing integer not null default 0, sms_marketing_at bigint,
        erased_at bigint, created_at bigint not null, updated_at bigint not null,
        constraint clients_org_email_uq unique (org_id, email),
        constraint clients_org_id_uq unique (org_id, id)
      )`.execute(db);
      await sql`insert into clients_new (id, org_id, first_name, last_name, email, phone, notes, email_marketing, email_marketing_at,
        sms_marketing, sms_marketing_at, erased_at, created_at, updated_at)
        select id, org_id, first_name, last_name, email, phone, notes, email_marketing, email_marketing_at,
        sms_marketing, sms_marketing_at, erased_at, created_at, updated_at from clients`.execute(db);
      await sql`drop table clients`.execute(db);
      await sql`alter table clients_new rename to clients`.execute(db);
      await sql`create index clients_org_created_idx on clients (org_id, created_at, id)`.execute(db);
      await sql`create index clients_org_name_idx on clients (org_id, last_name, first_name)`.execute(db);

      await sql`create table bookings_new (
        id text primary key, org_id text not null references organisations(id), reference text not null,
        status text not null check (status in ('confirmed', 'cancelled', 'completed', 'no_show')),
        location_id text not null, service_id text not null, staff_id text not null, client_id text not null,
        start_ms bigint not null, end_ms bigint not null, block_end_ms bigint not null,
        duration_minutes integer not null, buffer_minutes integer not null, price_amount integer not null, currency text not null,
        service_name text not null, notes text,
        source text not null constraint bookings_source_ck check (source in ('api', 'hub', 'online')),
        created_at bigint not null, updated_at bigint not null,
        cancelled_at bigint, cancellation_reason text, cancelled_via text, rules_set_aside text,
        constraint bookings_times_ck check (start_ms < end_ms and end_ms <= block_end_ms),
        constraint bookings_org_reference_uq unique (org_id, reference),
        constraint bookings_location_fk foreign key (org_id, location_id) references locations (org_id, id),
        constraint bookings_service_fk foreign key (org_id, service_id) references services (org_id, id),
        constraint bookings_staff_fk foreign key (org_id, staff_id) references staff (org_id, id),
        constraint bookings_client_fk foreign key (org_id, client_id) references clients (org_id, id)
      )`.execute(db);
      await sql`insert into bookings_new (id, org_id, reference, status, location_id, service_id, staff_id, client_id, start_ms, end_ms,
        block_end_ms, duration_minutes, buffer_minutes, price_amount, currency, service_name, notes, source, created_at, updated_at,
        cancelled_at, cancellation_reason, cancelled_via)
        select id, org_id, reference, status, location_id, service_id, staff_id, client_id, start_ms, end_ms,
        block_end_ms, duration_minutes, buffer_minutes, price_amount, currency, service_name, notes, source, created_at, updated_at,
        cancelled_at, cancellation_reason, cancelled_via from bookings`.execute(db);
      await sql`drop table bookings`.execute(db);
      await sql`alter table bookings_new rename to bookings`.execute(db);
      await sql`create index bookings_org_start_idx on bookings (org_id, start_ms, id)`.execute(db);
      await sql`create index bookings_org_staff_start_idx on bookings (org_id, staff_id, start_ms)`.execute(db);
      await sql`create index bookings_org_client_idx on bookings (org_id, client_id, start_ms)`.execute(db);
      // The no-double-booking guarantee (as in 2026-11-28-02), recreated with the table.
      for (const [name, event, self] of [
        ['bookings_no_overlap_insert', 'insert', ''],
        ['bookings_no_overlap_update', 'update', 'and b.id <> new.id'],
      ] as const) {
        await sql.raw(`create trigger ${name} before ${event} on bookings
          when new.status <> 'cancelled'
          begin
            select raise(abort, 'bookings_no_overlap') where exists (
              select 1 from bookings b where b.org_id = new.org_id and b.staff_id = new.staff_id
                and b.status <> 'cancelled' and b.start_ms < new.block_end_ms and b.block_end_ms > new.start_ms ${self});
          end`).execute(db);
      }

      await sql`create table events (
        seq integer primary key autoincrement,
        org_id text not null references organisations(id),
        tx integer not null default 0,
        id text not null,
        type text not null,
        source text not null,
        request_id text,
        object_id text not null,
        location_ids text,
        data text not null,
        created_at bigint not null,
        constraint events_org_id_uq unique (org_id, id)
      )`.execute(db);
      const problems = await sql`pragma foreign_key_check`.execute(db);
      if (problems.rows.length) throw new Error(`foreign key check failed after rebuilding clients/bookings: ${JSON.stringify(problems.rows[0])}`);
      await sql`commit`.execute(db);
    } catch (err) {
      await sql`rollback`.execute(db).catch(() => undefined);
      throw err;
    } finally {
      await sql`pragma foreign_keys = on`.execute(db);
    }
  }
  await db.schema.createIndex('clients_org_phone_idx').on('clients').columns(['org_id', 'phone']).execute();
  await db.schema.createIndex('events_feed_idx').on('events').columns(['org_id', 'tx', 'seq']).execute();
  await db.schema.createIndex('events_created_idx').on('events').columns(['org_id', 'created_at']).execute();
}
