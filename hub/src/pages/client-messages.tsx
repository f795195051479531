import { get } from '../api';
import { formatWhen } from '../time';
import { FormError, Loading, useAsync } from '../ui';

interface ClientMessage {
  id: string; kind: 'confirmation' | 'reschedule' | 'cancellation' | 'reminder'; status: 'pending' | 'sending' | 'sent' | 'skipped' | 'failed';
  subject: string | null; to: string | null; outcome: string | null; booking: string | null; created_at: string; sent_at: string | null;
}

const KIND = { confirmation: 'Confirmation', reschedule: 'Booking moved', cancellation: 'Cancellation', reminder: 'Reminder' };

/** A client's page: the messages sent to them (confirmations, moves, cancellations, reminders). */
export function ClientMessages({ clientId }: { clientId: string }) {
  const list = useAsync(() => get<{ data: ClientMessage[] }>(`/clients/${encodeURIComponent(clientId)}/messages`), [clientId]);
  return (
    <section aria-labelledby="messages-title">
      <h2 id="messages-title">Messages</h2>
      {!list.data ? (list.error ? <FormError error={list.error} /> : <Loading />) : list.data.data.length === 0 ? <p className="muted">No messages sent yet.</p> : (
        <div className="table-wrap">
          <table>
            <thead><tr><th scope="col">When</th><th scope="col">Message</th><th scope="col">Booking</th><th scope="col">Status</th></tr></thead>
            <tbody>
              {list.data.data.map((m) => (
                <tr key={m.id}>
                  <th scope="row">{formatWhen(m.sent_at ?? m.created_at)}</th>
                  <td>{KIND[m.kind]}{m.to ? ` to ${m.to}` : ''}</td>
                  <td className="mono">{m.booking ?? '—'}</td>
                  <td>{m.status}{m.status === 'skipped' && m.outcome ? ` (${m.outcome})` : ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
