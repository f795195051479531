import type { Kysely } from 'kysely';
import type { Database } from '../../db/connect.js';
import type { DB } from '../../db/schema.js';
import { isUniqueViolation } from '../../db/errors.js';
import { RetryableConflict, runTransaction } from '../../db/transaction.js';
import { ApiError, notFound } from '../../http/errors.js';
import { toPage, type CursorCodec, type ListPage } from '../../http/pagination.js';
import { iso, isoOrNull } from '../../http/schemas.js';
import { normaliseEmail, normalisePhone } from '../../lib/contact.js';
import { newId } from '../../lib/ids.js';
import type { Actor } from '../events/actor.js';
import { changedAttributes, recordEvent, redactEvents } from '../events/events.service.js';
import * as repo from './clients.repo.js';
import type { ClientView, CreateClientInput } from './clients.schemas.js';

export function toClientView(row: repo.ClientRow): ClientView {
  return {
    object: 'client',
    id: row.id,
    first_name: row.first_name,
    last_name: row.last_name,
    email: row.email,
    phone: row.phone,
    notes: row.notes,
    consent: {
      email_marketing: row.email_marketing === 1,
      email_marketing_given_at: isoOrNull(row.email_marketing_at),
      sms_marketing: row.sms_marketing === 1,
      sms_marketing_given_at: isoOrNull(row.sms_marketing_at),
    },
    created_at: iso(row.created_at),
    updated_at: iso(row.updated_at),
  };
}

/** A phone number in E.164, from E.164 or UK national input; `400 parameter_invalid` naming `param` if impossible. */
export function phoneParam(input: string, param: string): string {
  const phone = normalisePhone(input);
  if (!phone) throw new ApiError('parameter_invalid', `\`${param}\` is not a possible phone number. Use E.164 (+447700900123) or UK national format (07700 900123).`, param);
  return phone;
}

/** A lower-cased email address; `400 parameter_invalid` naming `param` if it is not one. */
export function emailParam(input: string, param: string): string {
  const email = normaliseEmail(input);
  if (!email) throw new ApiError('parameter_invalid', `\`${param}\` is not a valid email address.`, param);
  return email;
}

export async function listClients(
  database: Database,
  cursors: CursorCodec,
  orgId: string,
  query: { limit: number; cursor?: string; email?: string; phone?: string; q?: string },
): Promise<ListPage<ClientView>> {
  const filter: repo.ClientFilter = {
    email: query.email !== undefined ? emailParam(query.email, 'email') : undefined,
    phone: query.phone !== undefined ? phoneParam(query.phone, 'phone') : undefined,
    q: query.q?.trim(),
  };
  const list = `clients:${JSON.stringify(filter)}`;
  const after = query.cursor ? (cursors.decode(list, orgId, query.cursor) as [number, string]) : undefined;
  const rows = await repo.listClients(database.db, orgId, filter, query.limit + 1, after);
  return toPage(rows, query.limit, toClientView, (last) => cursors.encode(list, orgId, [last.created_at, last.id]));
}

/** The org's client by id, or `404 resource_not_found` (naming `param`) — also for another org's id. */
export async function requireClient(db: Kysely<DB>, orgId: string, id: string, param?: string): Promise<repo.ClientRow> {
  const row = await repo.findClient(db, orgId, id);
  if (!row) throw notFound('client', param);
  return row;
}

export async function getClient(database: Database, orgId: string, id: string): Promise<ClientView> {
  return toClientView(await requireClient(database.db, orgId, id));
}

export interface ClientDetailsInput { first_name: string; last_name?: string | null; email?: string | null; phone?: string | null }

export interface NormalisedClient {
  first_name: string;
  last_name: string | null;
  email: string | null;
  phone: string | null;
}

/**
 * Validates and normalises contact details (API.md §6): a first name is required; email (lower-cased) and
 * phone (E.164) are optional, so a walk-in may leave neither. `prefix` names nested params (`client.`).
 */
export function normaliseClientDetails(input: ClientDetailsInput, prefix = ''): NormalisedClient {
  const email = input.email ? emailParam(input.email, `${prefix}email`) : null;
  const phone = input.phone ? phoneParam(input.phone, `${prefix}phone`) : null;
  const firstName = input.first_name.trim();
  if (!firstName) throw new ApiError('parameter_missing', 'A client needs a first name.', `${prefix}first_name`);
  return { first_name: firstName, last_name: input.last_name?.trim() || null, email, phone };
}

/**
 * Inserts a client row inside the caller's transaction; the unique key on email is the final word on
 * duplicates. No event: use cases record theirs; seeding (demo shop, benchmarks) uses this directly.
 */
export async function insertNewClient(
  db: Kysely<DB>,
  orgId: string,
  details: NormalisedClient,
  extra: { notes?: string | null; emailMarketing?: boolean; smsMarketing?: boolean },
  now: number,
): Promise<repo.ClientRow> {
  const row: Omit<repo.ClientRow, 'org_id'> = {
    id: newId('cli'),
    ...details,
    notes: extra.notes ?? null,
    email_marketing: extra.emailMarketing ? 1 : 0,
    email_marketing_at: extra.emailMarketing ? now : null,
    sms_marketing: extra.smsMarketing ? 1 : 0,
    sms_marketing_at: extra.smsMarketing ? now : null,
    erased_at: null,
    created_at: now,
    updated_at: now,
  };
  await repo.insertClient(db, orgId, row);
  return { ...row, org_id: orgId };
}

const emailTaken = (existing: repo.ClientRow) =>
  new ApiError('client_already_exists', 'A client with this email address already exists.', 'email', { existing_id: existing.id });

/** Inserts, turning a concurrent insert of the same email into a retry (which then finds it). */
async function insertAndRecord(trx: Kysely<DB>, actor: Actor, details: NormalisedClient, extra: Parameters<typeof insertNewClient>[3]): Promise<repo.ClientRow> {
  let row: repo.ClientRow;
  try {
    row = await insertNewClient(trx, actor.orgId, details, extra, actor.now);
  } catch (err) {
    if (isUniqueViolation(err)) throw new RetryableConflict(new ApiError('client_already_exists', 'A client with this email address was created at the same moment; retry.', 'email'));
    throw err;
  }
  await recordEvent(trx, actor, { type: 'client.created', object: toClientView(row), locationIds: null });
  return row;
}

/**
 * POST /v1/clients and the Hub's "new client": one transaction that inserts the client and records
 * `client.created`. Email is unique per organisation (`409 client_already_exists` with `existing_id`); a phone
 * may be shared (API.md §6).
 */
export async function createClient(
  database: Database,
  actor: Actor,
  input: CreateClientInput,
  opts: { beforeCommit?: (trx: Kysely<DB>, view: ClientView) => Promise<void> } = {},
): Promise<ClientView> {
  const details = normaliseClientDetails(input);
  return runTransaction(database, async (trx) => {
    const existing = details.email ? await repo.findClientByEmail(trx, actor.orgId, details.email) : undefined;
    if (existing) throw emailTaken(existing);
    const row = await insertAndRecord(trx, actor, details, {
      notes: input.notes ?? null,
      emailMarketing: input.marketing_consent?.email,
      smsMarketing: input.marketing_consent?.sms,
    });
    const view = toClientView(row);
    await opts.beforeCommit?.(trx, view);
    return view;
  });
}

/**
 * The client a booking names inline, inside the booking's transaction (API.md §6): the client with that
 * email when one is given; otherwise the client with that phone AND the same first and last name
 * (case-insensitive: a shared family phone does not merge family members); otherwise a new client
 * (recording `client.created`).
 */
export async function matchOrCreateClient(trx: Kysely<DB>, actor: Actor, details: NormalisedClient): Promise<repo.ClientRow> {
  if (details.email) {
    const byEmail = await repo.findClientByEmail(trx, actor.orgId, details.email);
    if (byEmail) return byEmail;
  } else if (details.phone) {
    const sameName = (a: string | null, b: string | null) => (a ?? '').toLowerCase() === (b ?? '').toLowerCase();
    const byPhone = (await repo.findClientsByPhone(trx, actor.orgId, details.phone))
      .find((c) => sameName(c.first_name, details.first_name) && sameName(c.last_name, details.last_name));
    if (byPhone) return byPhone;
  }
  return insertAndRecord(trx, actor, details, {});
}

export interface ClientPatch {
  first_name?: string;
  last_name?: string | null;
  email?: string | null;
  phone?: string | null;
  notes?: string | null;
  marketing_consent?: { email?: boolean; sms?: boolean };
}

/**
 * Edits a client and records `client.updated` with the old values of what changed. An erased client can no
 * longer be edited (`409 resource_conflict`); a taken email is `409 client_already_exists`.
 */
export async function updateClient(database: Database, actor: Actor, id: string, patch: ClientPatch): Promise<repo.ClientRow> {
  const { now } = actor;
  return runTransaction(database, async (trx) => {
    const row = await requireClient(trx, actor.orgId, id);
    if (row.erased_at !== null) throw new ApiError('resource_conflict', 'This client\'s personal data was erased; the record can no longer be edited.');
    const email = patch.email === undefined ? row.email : patch.email ? emailParam(patch.email, 'email') : null;
    const phone = patch.phone === undefined ? row.phone : patch.phone ? phoneParam(patch.phone, 'phone') : null;
    if (patch.first_name !== undefined && !patch.first_name.trim()) throw new ApiError('parameter_invalid', 'A client needs a first name.', 'first_name');
    if (email && email !== row.email) {
      const clash = await repo.findClientByEmail(trx, actor.orgId, email);
      if (clash && clash.id !== id) throw emailTaken(clash);
    }
    const consent = patch.marketing_consent ?? {};
    // Consent is recorded with when it was given; withdrawing it clears both.
    const next: repo.ClientRow = {
      ...row,
      ...(patch.first_name !== undefined ? { first_name: patch.first_name.trim() } : {}),
      ...(patch.last_name !== undefined ? { last_name: patch.last_name?.trim() || null } : {}),
      ...(patch.notes !== undefined ? { notes: patch.notes || null } : {}),
      ...(consent.email !== undefined && consent.email !== (row.email_marketing === 1) ? { email_marketing: consent.email ? 1 : 0, email_marketing_at: consent.email ? now : null } : {}),
      ...(consent.sms !== undefined && consent.sms !== (row.sms_marketing === 1) ? { sms_marketing: consent.sms ? 1 : 0, sms_marketing_at: consent.sms ? now : null } : {}),
      email, phone,
      updated_at: Math.max(now, row.updated_at + 1),
    };
    const before = toClientView(row);
    const after = toClientView(next);
    const previous = changedAttributes(before, after);
    if (!Object.keys(previous).length) return row; // nothing changed: no write, no event
    try {
      const { org_id: _o, id: _i, created_at: _c, ...fields } = next;
      await repo.updateClientRow(trx, actor.orgId, id, fields);
    } catch (err) {
      if (isUniqueViolation(err)) throw new RetryableConflict(new ApiError('client_already_exists', 'A client with this email address already exists.', 'email'));
      throw err;
    }
    await recordEvent(trx, actor, { type: 'client.updated', object: after, previous_attributes: previous, locationIds: null });
    return next;
  });
}

/**
 * UK GDPR Article 17 erasure: the personal fields go, the client row stays (bookings point at it) with
 * `erased_at`, and free text on the client's bookings goes too. Records `client.erased` whose object holds
 * only `id` and `erased_at` (API.md §8). Erasing twice is a no-op.
 */
export async function eraseClient(database: Database, actor: Actor, id: string): Promise<void> {
  await runTransaction(database, async (trx) => {
    const row = await requireClient(trx, actor.orgId, id);
    if (row.erased_at !== null) return;
    const bookingIds = await repo.eraseClient(trx, actor.orgId, id, actor.now);
    // What the change feed already holds about this client goes too.
    await redactEvents(trx, actor.orgId, [id], () => ({ object: { object: 'client', id, erased_at: iso(actor.now) } }));
    await redactEvents(trx, actor.orgId, bookingIds, ({ object, previous_attributes }) => ({
      object: { ...object, client: { id, name: null }, notes: null, cancellation_reason: null },
      ...(previous_attributes ? { previous_attributes: Object.fromEntries(Object.entries(previous_attributes).filter(([k]) => k !== 'notes' && k !== 'cancellation_reason')) } : {}),
    }));
    await recordEvent(trx, actor, { type: 'client.erased', object: { object: 'client', id, erased_at: iso(actor.now) }, locationIds: null });
  });
}
