/** Client messages (migration 2026-11-30-02-online-booking). */
export type MessageKind = 'confirmation' | 'reschedule' | 'cancellation' | 'reminder';
export type MessageStatus = 'pending' | 'sending' | 'sent' | 'skipped' | 'failed';

export interface MessagesTable {
  id: string;
  org_id: string;
  /** The event id, or `reminder:<booking id>:<start ms>`: with client_id and kind, the unique key. */
  source_key: string;
  client_id: string;
  kind: MessageKind;
  booking_id: string;
  location_id: string;
  event_id: string | null;
  status: MessageStatus;
  attempts: number;
  next_attempt_at: number;
  /** Set while one worker holds the row (a lease until `claimed_until`). */
  claim_token: string | null;
  claimed_until: number | null;
  transport: 'smtp' | 'mailbox' | null;
  /** The address it went to (kept in the database only, never logged). */
  recipient: string | null;
  subject: string | null;
  /** Why it was skipped or failed, or the SMTP server's reply code: never an address or a body. */
  outcome: string | null;
  created_at: number;
  sent_at: number | null;
}

export interface MailboxTable {
  id: string;
  org_id: string;
  message_id: string;
  recipient: string;
  subject: string;
  text_body: string;
  html_body: string;
  ics: string | null;
  created_at: number;
}

export interface OutboxCursorsTable { consumer: string; tx: number; seq: number; updated_at: number }

declare module '../../db/schema.js' {
  interface DB {
    messages: MessagesTable;
    mailbox: MailboxTable;
    outbox_cursors: OutboxCursorsTable;
  }
}
