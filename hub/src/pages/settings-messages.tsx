import { useState } from 'react';
import { get } from '../api';
import { formatWhen } from '../time';
import { FormError, Loading, PageTitle, useAsync } from '../ui';

interface Mailbox {
  transport: 'smtp' | 'mailbox';
  data: { id: string; to: string; subject: string; text: string; html: string; has_calendar: boolean; created_at: string }[];
}

/**
 * Settings → Messages: with no SMTP server configured (`SMTP_URL`), messages to clients land in this
 * development mailbox instead of being sent, so you can see exactly what clients would get.
 */
export function MessagesSettings() {
  const box = useAsync(() => get<Mailbox>('/messages'), []);
  const [open, setOpen] = useState<string | null>(null);
  return (
    <>
      <PageTitle>Messages</PageTitle>
      {!box.data ? (box.error ? <FormError error={box.error} /> : <Loading />) : (
        <>
          <p className="muted">{box.data.transport === 'smtp'
            ? 'Messages to clients are sent by email through your SMTP server. Each client\'s page lists what was sent to them.'
            : 'Development mailbox: no SMTP server is set up (SMTP_URL), so messages to clients are kept here instead of being sent.'}</p>
          <button type="button" className="secondary" onClick={box.reload}>Refresh</button>
          {box.data.data.length === 0 ? <p className="muted">No messages yet.</p> : (
            <ul className="mailbox">
              {box.data.data.map((m) => (
                <li key={m.id}>
                  <button type="button" className="link-button" aria-expanded={open === m.id} onClick={() => setOpen(open === m.id ? null : m.id)}>
                    {m.subject}
                  </button>{' '}
                  <span className="muted">to {m.to}, {formatWhen(m.created_at)}{m.has_calendar ? ', with calendar file' : ''}</span>
                  {open === m.id && <pre className="message-body">{m.text}</pre>}
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </>
  );
}
