import type { Kysely } from 'kysely';
import type { Database } from '../../db/connect.js';
import type { DB } from '../../db/schema.js';
import { isUniqueViolation } from '../../db/errors.js';
import { RetryableConflict } from '../bookings/bookings.service.js';
import { ApiError } from '../../http/errors.js';
import { toPage, type CursorCodec, type ListPage } from '../../http/pagination.js';
import { iso, isoOrNull } from '../../http/schemas.js';
import { normaliseEmail, normalisePhone } from '../../lib/contact.js';
import { newId } from '../../lib/ids.js';
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

export function phoneParam(input: string, param: string): string {
  const phone = normalisePhone(input);
  if (!phone) throw new ApiError('parameter_invalid', `\`${param}\` is not a possible phone number. Use E.164 (+447700900123) or UK national format (07700 900123).`, param);
  return phone;
}

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
    email: query.email !== undefined ? query.email.trim().toLowerCase() : undefined,
    phone: query.phone !== undefined ? phoneParam(query.phone, 'phone') : undefined,
    q: query.q?.trim() || undefined,
  };
  const list = `clients:${JSON.stringify(filter)}`;
  const after = query.cursor ? (cursors.decode(list, orgId, query.cursor) as [number, string]) : undefined;
  const rows = await repo.listClients(database.db, orgId, filter, query.limit + 1, after);
  return toPage(rows, query.limit, toClientView, (last) => cursors.encode(list, orgId, [last.created_at, last.id]));
}

export async function requireClient(db: Kysely<DB>, orgId: string, id: string, param?: string): Promise<repo.ClientRow> {
  const row = await repo.findClient(db, orgId, id);
  if (!row) throw new ApiError('resource_not_found', `No client with id \`${id}\`.`, param);
  return row;
}

export async function getClient(database: Database, orgId: string, id: string): Promise<ClientView> {
  return toClientView(await requireClient(database.db, orgId, id));
}

export interface NormalisedClient {
  first_name: string;
  last_name: string | null;
  email: string | null;
  phone: string | null;
}

/** Validates and normalises contact details; `prefix` names nested params (e.g. `client.`). */
export function normaliseClientDetails(input: { first_name: string; last_name?: string; email?: string; phone?: string }, prefix = ''): NormalisedClient {
  const email = input.email !== undefined ? emailParam(input.email, `${prefix}email`) : null;
  const phone = input.phone !== undefined ? phoneParam(input.phone, `${prefix}phone`) : null;
  if (!email && !phone) throw new ApiError('parameter_missing', 'A client needs an email or a phone number.', `${prefix}email`);
  return { first_name: input.first_name.trim(), last_name: input.last_name?.trim() || null, email, phone };
}

/** Inserts a client inside the caller's transaction; the unique keys are the final word on duplicates. */
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

export function alreadyExists(existing: repo.ClientRow, details: NormalisedClient): ApiError {
  const param = details.email && existing.email === details.email ? 'email' : 'phone';
  return new ApiError('client_already_exists', `A client with this ${param === 'email' ? 'email address' : 'phone number'} already exists.`, param, { existing_id: existing.id });
}

export async function createClient(db: Kysely<DB>, orgId: string, input: CreateClientInput, now = Date.now()): Promise<ClientView> {
  const details = normaliseClientDetails(input);
  const [existing] = await repo.findClientsByContact(db, orgId, details.email, details.phone);
  if (existing) throw alreadyExists(existing, details);
  const row = await insertNewClient(db, orgId, details, {
    notes: input.notes ?? null,
    emailMarketing: input.marketing_consent?.email,
    smsMarketing: input.marketing_consent?.sms,
  }, now);
  return toClientView(row);
}

/** createClient, where a concurrent insert of the same email/phone is retried and then reported as a 409. */
export async function createClientOrConflict(db: Kysely<DB>, orgId: string, input: CreateClientInput, now = Date.now()): Promise<ClientView> {
  try {
    return await createClient(db, orgId, input, now);
  } catch (err) {
    if (isUniqueViolation(err)) throw new RetryableConflict(new ApiError('client_already_exists', 'A client with this email address or phone number already exists.', 'email'));
    throw err;
  }
}
