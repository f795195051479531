import { useState, type FormEvent } from 'react';
import { changePassword, switchOrg } from '../data/account';
import { useForm } from '../form';
import { useLeaveGuard } from '../leave-guard';
import { useSession } from '../session';
import { Field, FormError, Notice, PageTitle, useAction } from '../ui';

export function Account() {
  const { session, setSession, signOut } = useSession();
  const form = useForm({ current_password: '', new_password: '' });
  useLeaveGuard(form.dirty, 'your password');
  const [done, setDone] = useState(false);
  const { busy, error, run } = useAction();
  const switcher = useAction();
  const change = async (e: FormEvent) => {
    e.preventDefault();
    setDone(false);
    if (await run(() => changePassword(form.values))) {
      form.saved({ current_password: '', new_password: '' });
      setDone(true);
    }
  };
  const switchTo = async (orgId: string) => {
    const s = await switcher.run(() => switchOrg(orgId));
    if (s) setSession(s);
  };
  return (
    <main className="narrow">
      <PageTitle>Account</PageTitle>
      <p>{session.user.name} · {session.user.email}<br />{session.org?.name} · <span className="badge">{session.role}</span></p>
      {session.orgs.length > 1 && (
        <section>
          <h2>Your shops</h2>
          <FormError error={switcher.error} />
          <ul className="plain">
            {session.orgs.map((o) => (
              <li key={o.id}>
                {o.name} ({o.role}) {o.id === session.org?.id ? <strong>· current</strong> : <button type="button" className="secondary small" onClick={() => switchTo(o.id)}>Switch</button>}
              </li>
            ))}
          </ul>
        </section>
      )}
      <section>
        <h2>Change password</h2>
        {done && <Notice kind="success">Password changed. You were signed out everywhere else.</Notice>}
        <form onSubmit={change}>
          <FormError error={error} fields={['current_password', 'new_password']} />
          <Field label="Current password" name="current_password" error={error}>{(p) => <input {...p} type="password" autoComplete="current-password" required {...form.text('current_password')} />}</Field>
          <Field label="New password" name="new_password" error={error} hint="At least 10 characters.">{(p) => <input {...p} type="password" autoComplete="new-password" required minLength={10} {...form.text('new_password')} />}</Field>
          <button type="submit" disabled={busy}>Change password</button>
        </form>
      </section>
      <p><button type="button" className="secondary" onClick={signOut}>Sign out</button></p>
    </main>
  );
}
