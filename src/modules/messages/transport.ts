import nodemailer from 'nodemailer';
import type { ComposedMessage } from './compose.js';

export interface OutgoingMail extends ComposedMessage {
  to: string;
  /** The shop's name: the display name of the From address. */
  fromName: string;
  reference: string;
}

/** Where messages go: an SMTP server (nodemailer), or the development mailbox in the database. */
export type MailTransport =
  | { kind: 'smtp'; send(mail: OutgoingMail): Promise<{ outcome: string }>; close(): void }
  | { kind: 'mailbox'; close(): void };

/**
 * `SMTP_URL` set: a pooled nodemailer transport (a few reused connections, so a burst of messages does not
 * open one connection each). Unset: the development mailbox, so `npm start` needs no mail server.
 */
export function createMailTransport(opts: { smtpUrl?: string; mailFrom: string }): MailTransport {
  if (!opts.smtpUrl) return { kind: 'mailbox', close: () => undefined };
  const transporter = nodemailer.createTransport(`${opts.smtpUrl}${opts.smtpUrl.includes('?') ? '&' : '?'}pool=true&maxConnections=4`);
  return {
    kind: 'smtp',
    async send(mail) {
      const info = await transporter.sendMail({
        from: { name: mail.fromName, address: opts.mailFrom },
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        attachments: [{ filename: `booking-${mail.reference}.ics`, content: mail.ics, contentType: 'text/calendar; charset=utf-8' }],
      });
      // The server's reply code only: its text may repeat the address.
      return { outcome: `smtp ${String(info.response ?? '').slice(0, 3)}` };
    },
    close: () => transporter.close(),
  };
}

/** An SMTP failure as a code that is safe to store and log (never the reply text, which may hold an address). */
export function smtpFailure(err: unknown): string {
  const e = err as { responseCode?: number; code?: string };
  return e?.responseCode ? `smtp ${e.responseCode}` : `smtp ${e?.code ?? 'error'}`.slice(0, 40);
}
