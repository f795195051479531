import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { Database } from '../../db/connect.js';
import { runTransaction } from '../../db/transaction.js';
import { newId, randomBase62 } from '../../lib/ids.js';
import { findOrgById } from '../orgs/orgs.repo.js';
import { findLocationById } from '../locations/locations.repo.js';
import { findClient } from '../clients/clients.repo.js';
import { findBookingById } from '../bookings/bookings.repo.js';
import { toBookingView } from '../bookings/bookings.service.js';
import { manageUrl, mintManageToken } from '../online/manage-links.js';
import { publicLocation } from '../online/online-offer.js';
import { publicBooking } from '../online/online-booking.service.js';
import { bookingPageUrl, settingsFor } from '../online/online-settings.service.js';
import { composeMessage, type ComposedMessage } from './compose.js';
import { createMailTransport, smtpFailure, type MailTransport } from './transport.js';
import type { MessageKind } from './messages.tables.js';
import * as repo from './messages.repo.js';

const CONSUMER = 'messages';
const KIND_OF_EVENT: Record<string, MessageKind> = { 'booking.created': 'confirmation', 'booking.rescheduled': 'reschedule', 'booking.cancelled': 'cancellation' };
const SCAN_BATCH = 500;
const SEND_BATCH = 20;
/** Messages composed and sent at once by one worker. */
export const SEND_CONCURRENCY = 4;
/** A claimed message not finished within this is taken over by another worker (its worker died mid-send). */
const LEASE_MS = 120_000;
/** Waits after failed attempts 1, 2, …; after the last, the message is given up (`failed`). */
const RETRY_AFTER_MS = [60_000, 5 * 60_000, 30 * 60_000, 2 * 3_600_000, 6 * 3_600_000];
const MAX_REMINDER_HOURS = 168;

export interface MessageWorkerDeps {
  database: Database;
  clock: () => number;
  log: FastifyBaseLogger;
  publicUrl: string;
  smtpUrl?: string;
  mailFrom: string;
}

export interface MessageWorker {
  /** 'smtp' when SMTP_URL is set, else 'mailbox' (the development mailbox). */
  readonly transport: MailTransport['kind'];
  /** One pass: read new booking events into messages, add due reminders, send what is due. */
  tick(): Promise<{ queued: number; sent: number }>;
  /** Runs `tick` every `intervalMs` until `stop`. */
  start(intervalMs?: number): void;
  /** Stops the loop and waits for a pass in progress (at shutdown). */
  stop(): Promise<void>;
}

/**
 * Client messages, driven by the events outbox (never by the request), so a change made through the API, the
 * Hub or the booking page sends the same messages. Exactly once per (event, client, kind): the message row's
 * unique key, inserted whichever instance reads the event first; sending is claimed per row (PostgreSQL
 * `FOR UPDATE SKIP LOCKED`, SQLite's single writer) under a lease. Into the development mailbox, the message
 * and its "sent" mark are one transaction: exactly once. Over SMTP a worker that dies after the server
 * accepted the message but before marking it sent leaves it to be sent again when the lease lapses (at least
 * once, the best SMTP allows: no client can ask a server whether it already has a message).
 *
 * The manage link: the token exists only as a digest, so each message that carries a link gets its own
 * token, minted when a worker claims the message (digest stored with the booking's other links); the
 * plaintext lives only in that worker's memory and then in that one email. A retry mints a new one; every
 * token opens the same booking, and one never sent opens nothing anyone has.
 */
export function messageWorker(deps: MessageWorkerDeps): MessageWorker {
  const { database, clock, log } = deps;
  const transport = createMailTransport({ smtpUrl: deps.smtpUrl, mailFrom: deps.mailFrom });
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;
  let stopped = false;

  async function queueFromOutbox(now: number): Promise<number> {
    return runTransaction(database, async (trx) => {
      const at = await repo.lockCursor(trx, CONSUMER);
      if (!at) return 0; // another instance is reading the outbox right now
      const { rows, wanted } = await repo.eventsAfter(trx, { tx: Number(at.tx), seq: Number(at.seq) }, Object.keys(KIND_OF_EVENT), SCAN_BATCH);
      if (!rows.length) return 0;
      const candidates = wanted.map((e) => {
        const object = (JSON.parse(e.data) as { object: { id: string; client: { id: string }; starts_at: string; location: string } }).object;
        return { event: e, object, client_id: object.client.id, org_id: e.org_id };
      }).filter((c) => Date.parse(c.object.starts_at) > now); // nothing to say about a booking already begun
      const reachable = await repo.clientsWithEmail(trx, candidates);
      const locations = new Map<string, string>();
      for (const c of candidates) {
        const key = `${c.org_id}:${c.object.location}`;
        if (!locations.has(key)) {
          const loc = await trx.selectFrom('locations').select('id').where('org_id', '=', c.org_id).where('slug', '=', c.object.location).executeTakeFirst();
          locations.set(key, loc?.id ?? '');
        }
      }
      const messages = candidates.filter((c) => reachable.has(`${c.org_id}:${c.client_id}`) && locations.get(`${c.org_id}:${c.object.location}`)).map((c) => ({
        id: newId('msg'), org_id: c.org_id, source_key: c.event.id, client_id: c.client_id, kind: KIND_OF_EVENT[c.event.type]!,
        booking_id: c.object.id, location_id: locations.get(`${c.org_id}:${c.object.location}`)!, event_id: c.event.id,
        status: 'pending' as const, attempts: 0, next_attempt_at: now, created_at: now,
      }));
      await repo.insertMessages(trx, messages);
      const last = rows[rows.length - 1]!;
      await repo.moveCursor(trx, CONSUMER, { tx: Number(last.tx), seq: Number(last.seq) }, now);
      return messages.length;
    });
  }

  async function queueReminders(now: number): Promise<number> {
    const due = await repo.dueReminders(database.db, now, MAX_REMINDER_HOURS, SCAN_BATCH);
    await repo.insertMessages(database.db, due.map((b) => ({
      id: newId('msg'), org_id: b.org_id, source_key: `reminder:${b.id}:${b.start_ms}`, client_id: b.client_id, kind: 'reminder' as const,
      booking_id: b.id, location_id: b.location_id, event_id: null, status: 'pending' as const, attempts: 0, next_attempt_at: now, created_at: now,
    })));
    return due.length;
  }

  /** A message composed for the development mailbox, waiting to be written with the rest of its batch. */
  type Mailed = { msg: repo.MessageRow; recipient: string; mail: ComposedMessage };

  /** One message and its "sent" mark, under its own claim (false: the claim was lost, nothing written). */
  async function writeOne(trx: Kysely<DB>, { msg, recipient, mail }: Mailed, now: number): Promise<boolean> {
    const claimed = await repo.finishMessage(trx, msg.id, msg.claim_token!, { status: 'sent', sent_at: now, transport: 'mailbox', recipient, subject: mail.subject, outcome: 'delivered to the development mailbox' });
    if (!claimed) return false;
    await repo.insertMailbox(trx, { id: newId('msg'), org_id: msg.org_id, message_id: msg.id, recipient, subject: mail.subject, text_body: mail.text, html_body: mail.html, ics: mail.ics, created_at: now });
    return true;
  }

  /**
   * Into the development mailbox: each message and its "sent" mark in one transaction with the rest of the batch
   * (one commit per batch, not per message). If that transaction fails, each message is tried in its own, and a
   * message that fails alone is retried later like any failed message (`failMessage`). Returns how many were written.
   */
  async function writeMailbox(batch: Mailed[], now: number): Promise<number> {
    if (!batch.length) return 0;
    try {
      return await runTransaction(database, async (trx) => {
        let written = 0;
        for (const m of batch) if (await writeOne(trx, m, now)) written++;
        return written;
      });
    } catch {
      let written = 0;
      for (const m of batch) {
        try {
          if (await runTransaction(database, (trx) => writeOne(trx, m, now))) written++;
        } catch (err) {
          await failMessage(m.msg, err);
        }
      }
      return written;
    }
  }

  /** A message that could not be sent: pending again after its retry wait, or failed after the last; logged without address or body. */
  async function failMessage(msg: repo.MessageRow, err: unknown): Promise<void> {
    const wait = RETRY_AFTER_MS[msg.attempts - 1];
    await repo.finishMessage(database.db, msg.id, msg.claim_token!, wait === undefined ? { status: 'failed', outcome: 'error' } : { status: 'pending', outcome: 'error', next_attempt_at: clock() + wait }).catch(() => undefined);
    log.error({ message: msg.id, kind: msg.kind, err: { type: (err as Error)?.name } }, 'client message failed');
  }

  /**
   * Composes and sends one claimed message (with its manage token, minted at the claim), then records the outcome
   * under its claim. For the development mailbox the message is added to `mailbox` instead, written with its batch.
   */
  async function deliver(msg: repo.MessageRow, token: string | undefined, now: number, mailbox: Mailed[]): Promise<boolean> {
    const db = database.db;
    const skip = (why: string) => repo.finishMessage(db, msg.id, msg.claim_token!, { status: 'skipped', outcome: why }).then(() => false);
    const [row, client, org, location, settings] = await Promise.all([
      findBookingById(db, msg.org_id, msg.booking_id), findClient(db, msg.org_id, msg.client_id), findOrgById(db, msg.org_id),
      findLocationById(db, msg.org_id, msg.location_id), settingsFor(db, msg.org_id, msg.location_id),
    ]);
    if (!row || !org || !location) return skip('booking gone');
    if (!client?.email) return skip('no email address');
    if (msg.kind !== 'cancellation' && row.status !== 'confirmed') return skip(`booking ${row.status}`);
    if (msg.kind !== 'cancellation' && row.start_ms <= now) return skip('booking started');
    if (msg.kind === 'reminder' && msg.source_key !== `reminder:${row.id}:${row.start_ms}`) return skip('booking moved');
    const booking = publicBooking(toBookingView(row), client.first_name, org, publicLocation(location, settings), settings, now);
    const sequence = Math.floor(row.updated_at / 1000);

    const mail = composeMessage(msg.kind, booking, {
      manageUrl: token ? manageUrl(deps.publicUrl, org.slug, token) : undefined,
      bookUrl: settings.enabled ? bookingPageUrl(deps.publicUrl, org.slug, location.slug) : undefined,
      sequence,
    });

    if (transport.kind === 'mailbox') {
      // Written with the rest of the claimed batch, in one transaction (sendDue).
      mailbox.push({ msg, recipient: client.email, mail });
      return false;
    }
    try {
      const { outcome } = await transport.send({ ...mail, to: client.email, fromName: org.name, reference: row.reference });
      await repo.finishMessage(db, msg.id, msg.claim_token!, { status: 'sent', sent_at: clock(), transport: 'smtp', recipient: client.email, subject: mail.subject, outcome });
      return true;
    } catch (err) {
      const outcome = smtpFailure(err);
      const wait = RETRY_AFTER_MS[msg.attempts - 1];
      await repo.finishMessage(db, msg.id, msg.claim_token!, wait === undefined
        ? { status: 'failed', outcome, transport: 'smtp' }
        : { status: 'pending', outcome, transport: 'smtp', next_attempt_at: clock() + wait });
      log.warn({ message: msg.id, kind: msg.kind, attempt: msg.attempts, outcome }, 'client message not sent');
      return false;
    }
  }

  async function sendDue(now: number): Promise<{ claimed: number; sent: number }> {
    const claim = { token: randomBase62(20), until: now + LEASE_MS };
    // The claim and the manage tokens of the claimed messages in one transaction (one commit for the batch).
    // A token minted for a message that is then skipped is never shown to anyone.
    const tokens = new Map<string, string>();
    const claimed = await runTransaction(database, async (trx) => {
      tokens.clear();
      const rows = await repo.claimDue(trx, now, SEND_BATCH, claim);
      for (const m of rows) if (m.kind !== 'cancellation') tokens.set(m.id, await mintManageToken(trx, m.org_id, m.booking_id, now));
      return rows;
    });
    let sent = 0;
    const mailbox: Mailed[] = [];
    // A few at a time: each waits mostly on the SMTP server (the transport pools SEND_CONCURRENCY connections).
    // Each lane yields to the event loop between messages: on SQLite every read here is synchronous, and a
    // batch composed in one go would hold up the requests arriving meanwhile.
    const queue = [...claimed];
    await Promise.all(Array.from({ length: Math.min(SEND_CONCURRENCY, queue.length) }, async () => {
      for (let msg = queue.shift(); msg; msg = queue.shift()) {
        await deliverOne(msg);
        await new Promise((r) => setImmediate(r));
      }
    }));
    sent += await writeMailbox(mailbox, now);
    return { claimed: claimed.length, sent };

    async function deliverOne(msg: repo.MessageRow): Promise<void> {
      try {
        if (await deliver(msg, tokens.get(msg.id), now, mailbox)) sent++;
      } catch (err) {
        await failMessage(msg, err); // retried later like an SMTP refusal
      }
    }
  }

  async function tick() {
    const now = clock();
    const queued = (await queueFromOutbox(now)) + (await queueReminders(now));
    let sent = 0;
    for (;;) {
      const batch = await sendDue(clock());
      sent += batch.sent;
      if (batch.claimed < SEND_BATCH || stopped) break;
    }
    return { queued, sent };
  }

  return {
    transport: transport.kind,
    tick: () => {
      const pass = (running ?? Promise.resolve()).then(tick, tick);
      running = pass.catch(() => undefined);
      return pass;
    },
    start(intervalMs = 1000) {
      const loop = () => {
        if (stopped) return;
        running = tick().catch((err) => log.error({ err: { type: (err as Error)?.name, message: (err as Error)?.message } }, 'message worker pass failed'))
          .finally(() => { if (!stopped) timer = setTimeout(loop, intervalMs); });
      };
      timer = setTimeout(loop, 0);
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
      transport.close();
    },
  };
}
