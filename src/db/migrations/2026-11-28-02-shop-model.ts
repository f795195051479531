import { sql, type Kysely, type CreateTableBuilder } from 'kysely';
import type { Dialect } from '../connect.js';

/**
 * Frozen: the shop model (services, staff and their hours, clients, bookings, idempotency).
 * Child rows reference their parents by (org_id, id), so the database itself refuses a row that
 * points into another organisation.
 */
export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  await db.schema.alterTable('locations').addColumn('min_notice_minutes', 'integer', (c) => c.notNull().defaultTo(60)).execute();
  await db.schema.alterTable('locations').addColumn('horizon_days', 'integer', (c) => c.notNull().defaultTo(90)).execute();

  const orgRef = (t: CreateTableBuilder<any, any>, name: string, column: string, table: string) =>
    t.addForeignKeyConstraint(name, ['org_id', column], table, ['org_id', 'id']);

  await orgRef(
    db.schema
      .createTable('location_closures')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('org_id', 'text', (c) => c.notNull())
      .addColumn('location_id', 'text', (c) => c.notNull())
      .addColumn('starts_on', 'text', (c) => c.notNull())
      .addColumn('ends_on', 'text', (c) => c.notNull())
      .addColumn('reason', 'text')
      .addColumn('created_at', 'bigint', (c) => c.notNull()),
    'location_closures_location_fk', 'location_id', 'locations',
  ).execute();
  await db.schema.createIndex('location_closures_idx').on('location_closures').columns(['org_id', 'location_id', 'starts_on']).execute();

  await db.schema
    .createTable('services')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('duration_minutes', 'integer', (c) => c.notNull().check(sql`duration_minutes > 0`))
    .addColumn('buffer_minutes', 'integer', (c) => c.notNull().defaultTo(0).check(sql`buffer_minutes >= 0`))
    .addColumn('slot_interval', 'integer')
    .addColumn('price_amount', 'integer', (c) => c.notNull().check(sql`price_amount >= 0`))
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('services_org_id_uq', ['org_id', 'id'])
    .execute();
  await db.schema.createIndex('services_org_created_idx').on('services').columns(['org_id', 'created_at', 'id']).execute();

  await db.schema
    .createTable('staff')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('title', 'text')
    .addColumn('bookable', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('staff_org_id_uq', ['org_id', 'id'])
    .execute();
  await db.schema.createIndex('staff_org_created_idx').on('staff').columns(['org_id', 'created_at', 'id']).execute();

  const link = async (table: string, a: [string, string], b: [string, string]) => {
    await db.schema
      .createTable(table)
      .addColumn('org_id', 'text', (c) => c.notNull())
      .addColumn(a[0], 'text', (c) => c.notNull())
      .addColumn(b[0], 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint(`${table}_pk`, ['org_id', a[0], b[0]] as never)
      .addForeignKeyConstraint(`${table}_${a[0]}_fk`, ['org_id', a[0]], a[1], ['org_id', 'id'], (c) => c.onDelete('cascade'))
      .addForeignKeyConstraint(`${table}_${b[0]}_fk`, ['org_id', b[0]], b[1], ['org_id', 'id'], (c) => c.onDelete('cascade'))
      .execute();
    await db.schema.createIndex(`${table}_rev_idx`).on(table).columns(['org_id', b[0], a[0]]).execute();
  };
  await link('service_locations', ['service_id', 'services'], ['location_id', 'locations']);
  await link('staff_locations', ['staff_id', 'staff'], ['location_id', 'locations']);
  await link('staff_services', ['staff_id', 'staff'], ['service_id', 'services']);

  await db.schema
    .createTable('staff_hours')
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('staff_id', 'text', (c) => c.notNull())
    .addColumn('location_id', 'text', (c) => c.notNull())
    .addColumn('weekday', 'integer', (c) => c.notNull().check(sql`weekday between 1 and 7`))
    .addColumn('start_minute', 'integer', (c) => c.notNull())
    .addColumn('end_minute', 'integer', (c) => c.notNull())
    .addCheckConstraint('staff_hours_range_ck', sql`start_minute >= 0 and start_minute < end_minute and end_minute <= 1440`)
    .addForeignKeyConstraint('staff_hours_staff_fk', ['org_id', 'staff_id'], 'staff', ['org_id', 'id'], (c) => c.onDelete('cascade'))
    .addForeignKeyConstraint('staff_hours_location_fk', ['org_id', 'location_id'], 'locations', ['org_id', 'id'], (c) => c.onDelete('cascade'))
    .execute();
  await db.schema.createIndex('staff_hours_idx').on('staff_hours').columns(['org_id', 'staff_id', 'location_id', 'weekday']).execute();

  await db.schema
    .createTable('staff_exceptions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('staff_id', 'text', (c) => c.notNull())
    .addColumn('location_id', 'text')
    .addColumn('date', 'text', (c) => c.notNull())
    .addColumn('start_minute', 'integer', (c) => c.notNull())
    .addColumn('end_minute', 'integer', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('off', 'extra')`))
    .addColumn('reason', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addCheckConstraint('staff_exceptions_range_ck', sql`start_minute >= 0 and start_minute < end_minute and end_minute <= 1440`)
    .addForeignKeyConstraint('staff_exceptions_staff_fk', ['org_id', 'staff_id'], 'staff', ['org_id', 'id'], (c) => c.onDelete('cascade'))
    .execute();
  await db.schema.createIndex('staff_exceptions_idx').on('staff_exceptions').columns(['org_id', 'staff_id', 'date']).execute();

  await db.schema
    .createTable('clients')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('first_name', 'text')
    .addColumn('last_name', 'text')
    .addColumn('email', 'text')
    .addColumn('phone', 'text')
    .addColumn('notes', 'text')
    .addColumn('email_marketing', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('email_marketing_at', 'bigint')
    .addColumn('sms_marketing', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('sms_marketing_at', 'bigint')
    .addColumn('erased_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('clients_org_email_uq', ['org_id', 'email'])
    .addUniqueConstraint('clients_org_phone_uq', ['org_id', 'phone'])
    .addUniqueConstraint('clients_org_id_uq', ['org_id', 'id'])
    .execute();
  await db.schema.createIndex('clients_org_created_idx').on('clients').columns(['org_id', 'created_at', 'id']).execute();
  await db.schema.createIndex('clients_org_name_idx').on('clients').columns(['org_id', 'last_name', 'first_name']).execute();

  await db.schema
    .createTable('bookings')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('reference', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('confirmed', 'cancelled', 'completed', 'no_show')`))
    .addColumn('location_id', 'text', (c) => c.notNull())
    .addColumn('service_id', 'text', (c) => c.notNull())
    .addColumn('staff_id', 'text', (c) => c.notNull())
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('start_ms', 'bigint', (c) => c.notNull())
    .addColumn('end_ms', 'bigint', (c) => c.notNull())
    .addColumn('block_end_ms', 'bigint', (c) => c.notNull())
    .addColumn('duration_minutes', 'integer', (c) => c.notNull())
    .addColumn('buffer_minutes', 'integer', (c) => c.notNull())
    .addColumn('price_amount', 'integer', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('service_name', 'text', (c) => c.notNull())
    .addColumn('notes', 'text')
    .addColumn('source', 'text', (c) => c.notNull().check(sql`source in ('api', 'hub')`))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('cancelled_at', 'bigint')
    .addColumn('cancellation_reason', 'text')
    .addColumn('cancelled_via', 'text')
    .addCheckConstraint('bookings_times_ck', sql`start_ms < end_ms and end_ms <= block_end_ms`)
    .addUniqueConstraint('bookings_org_reference_uq', ['org_id', 'reference'])
    .addForeignKeyConstraint('bookings_location_fk', ['org_id', 'location_id'], 'locations', ['org_id', 'id'])
    .addForeignKeyConstraint('bookings_service_fk', ['org_id', 'service_id'], 'services', ['org_id', 'id'])
    .addForeignKeyConstraint('bookings_staff_fk', ['org_id', 'staff_id'], 'staff', ['org_id', 'id'])
    .addForeignKeyConstraint('bookings_client_fk', ['org_id', 'client_id'], 'clients', ['org_id', 'id'])
    .execute();
  await db.schema.createIndex('bookings_org_start_idx').on('bookings').columns(['org_id', 'start_ms', 'id']).execute();
  await db.schema.createIndex('bookings_org_staff_start_idx').on('bookings').columns(['org_id', 'staff_id', 'start_ms']).execute();
  await db.schema.createIndex('bookings_org_client_idx').on('bookings').columns(['org_id', 'client_id', 'start_ms']).execute();

  // The no-double-booking guarantee: live bookings of one staff member never overlap, buffer included.
  if (dialect === 'postgres') {
    await sql`create extension if not exists btree_gist`.execute(db);
    await sql`alter table bookings add constraint bookings_no_overlap exclude using gist
      (org_id with =, staff_id with =, int8range(start_ms, block_end_ms) with &&) where (status <> 'cancelled')`.execute(db);
  } else {
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
  }

  await db.schema
    .createTable('idempotency_keys')
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('fingerprint', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('response_status', 'integer')
    .addColumn('response_body', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('idempotency_keys_pk', ['org_id', 'key'])
    .execute();
  await db.schema.createIndex('idempotency_keys_expiry_idx').on('idempotency_keys').columns(['org_id', 'expires_at']).execute();
}
