import { useState, type FormEvent } from 'react';
import { createInvitation, getTeam, linkMember, removeMember, setRole as saveRole, withdrawInvitation } from '../data/team';
import { listStaff } from '../data/setup';
import { useForm } from '../form';
import { useLeaveGuard } from '../leave-guard';
import { useSession } from '../session';
import { formatWhen } from '../time';
import type { Role } from '../types';
import { CopyButton, Field, FormError, Loading, Notice, PageTitle, TableWrap, useAction, useAsync } from '../ui';

const ROLES: Role[] = ['owner', 'admin', 'staff'];
const ROLE_HELP = 'Owners and admins manage settings, the team and API keys; staff use the diary and clients. Only owners can make or remove owners. A member linked to their staff record opens the diary on their own day.';

export function TeamSettings() {
  const { session } = useSession();
  const team = useAsync(getTeam, []);
  const staff = useAsync(listStaff, []);
  const [link, setLink] = useState<{ url: string; role: Role } | null>(null);
  const [confirmRemove, setConfirmRemove] = useState<string | null>(null);
  const action = useAction();
  const invite = useAction();
  const inviteForm = useForm<{ role: Role; email: string }>({ role: 'staff', email: '' });
  useLeaveGuard(inviteForm.dirty, 'the invitation');
  if (!team.data) return team.error ? <FormError error={team.error} /> : <Loading />;
  const t = team.data;
  const setRole = async (userId: string, role: Role) => {
    const next = await action.run(() => saveRole(userId, role));
    if (next) team.setData(next);
  };
  const linkStaff = async (userId: string, staffId: string) => {
    const next = await action.run(() => linkMember(userId, staffId || null));
    if (next) team.setData(next);
  };
  const remove = async (userId: string) => {
    const next = await action.run(() => removeMember(userId));
    setConfirmRemove(null);
    if (next) team.setData(next);
  };
  const createInvite = async (e: FormEvent) => {
    e.preventDefault();
    const { role, email } = inviteForm.values;
    const made = await invite.run(() => createInvitation({ role, ...(email ? { email } : {}) }));
    if (made) { setLink({ url: made.url, role: made.invitation.role }); inviteForm.saved({ role: 'staff', email: '' }); team.reload(); }
  };
  const revoke = async (id: string) => { if (await action.run(() => withdrawInvitation(id))) team.reload(); };
  return (
    <>
      <PageTitle>Team</PageTitle>
      <p className="muted">{ROLE_HELP}</p>
      <FormError error={action.error} />
      <TableWrap label="Team members">
        <table>
          <thead><tr><th scope="col">Name</th><th scope="col">Email</th><th scope="col">Role</th><th scope="col">Staff record</th><th scope="col">Joined</th><th scope="col"><span className="sr-only">Actions</span></th></tr></thead>
          <tbody>
            {t.members.map((m) => (
              <tr key={m.user_id}>
                <th scope="row">{m.name}{m.you && <span className="badge">you</span>}</th>
                <td>{m.email}</td>
                <td>
                  <label className="sr-only" htmlFor={`role-${m.user_id}`}>Role of {m.name}</label>
                  <select id={`role-${m.user_id}`} value={m.role} disabled={action.busy} onChange={(e) => setRole(m.user_id, e.target.value as Role)}>
                    {ROLES.map((r) => <option key={r} value={r} disabled={session.role !== 'owner' && (r === 'owner' || m.role === 'owner')}>{r}</option>)}
                  </select>
                </td>
                <td>
                  <label className="sr-only" htmlFor={`staff-${m.user_id}`}>Staff record of {m.name}</label>
                  <select id={`staff-${m.user_id}`} value={m.staff?.id ?? ''} disabled={action.busy} onChange={(e) => linkStaff(m.user_id, e.target.value)}>
                    <option value="">None</option>
                    {(staff.data?.data ?? []).map((s) => <option key={s.id} value={s.id} disabled={t.members.some((o) => o.user_id !== m.user_id && o.staff?.id === s.id)}>{s.display_name}</option>)}
                  </select>
                </td>
                <td>{formatWhen(m.joined_at)}</td>
                <td>
                  {confirmRemove === m.user_id ? (
                    <span className="confirm">{m.you ? 'Leave this shop?' : `Remove ${m.name}?`}{' '}
                      <button type="button" className="danger small" onClick={() => remove(m.user_id)}>{m.you ? 'Leave' : 'Remove'}</button>{' '}
                      <button type="button" className="secondary small" onClick={() => setConfirmRemove(null)}>Keep</button>
                    </span>
                  ) : (
                    <button type="button" className="secondary small" onClick={() => setConfirmRemove(m.user_id)}>{m.you ? 'Leave' : 'Remove'}<span className="sr-only"> {m.name}</span></button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>

      <section aria-labelledby="invite-title">
        <h2 id="invite-title">Invite someone</h2>
        <p className="muted">Create a link and send it yourself (Setora sends no email). It works once and expires in 7 days.</p>
        {link && (
          <Notice kind="success">
            <p>Invitation link for a new <strong>{link.role}</strong>. Copy it now: it is shown only once.</p>
            <div className="reveal">
              <input readOnly value={link.url} aria-label="Invitation link" onFocus={(e) => e.target.select()} />
              <CopyButton text={link.url} label="Copy link" />
            </div>
          </Notice>
        )}
        <form onSubmit={createInvite} className="inline-form">
          <FormError error={invite.error} fields={['role', 'email']} />
          <Field label="Role" name="role" error={invite.error}>{(p) => (
            <select {...p} value={inviteForm.values.role} onChange={(e) => inviteForm.set('role', e.target.value as Role)}>
              {ROLES.filter((r) => r !== 'owner' || session.role === 'owner').map((r) => <option key={r} value={r}>{r}</option>)}
            </select>
          )}</Field>
          <Field label="Their email (optional)" name="email" error={invite.error} hint="If set, only this address can use the link.">{(p) => <input {...p} type="email" {...inviteForm.text('email')} />}</Field>
          <button type="submit" disabled={invite.busy}>Create invitation link</button>
        </form>
        {t.invitations.length > 0 && (
          <>
            <h3>Waiting to be accepted</h3>
            <ul className="plain">
              {t.invitations.map((i) => (
                <li key={i.id}>{i.role}{i.email ? ` · ${i.email}` : ''} · made {formatWhen(i.created_at)}{i.created_by ? ` by ${i.created_by}` : ''} · expires {formatWhen(i.expires_at)}{' '}
                  <button type="button" className="link-button" onClick={() => revoke(i.id)}>Withdraw<span className="sr-only"> invitation</span></button>
                </li>
              ))}
            </ul>
          </>
        )}
      </section>
    </>
  );
}
