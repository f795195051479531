import type { FormEvent } from 'react';
import { acceptInvitation, previewInvitation } from '../data/account';
import { useForm } from '../form';
import { Link, navigate } from '../router';
import type { Session } from '../types';
import { Field, FormError, Loading, PageTitle, useAction, useAsync } from '../ui';

/** The page an invitation link opens: join as the signed-in user, or create an account. */
export function Invite({ token, session, onSignedIn }: { token: string; session?: Session; onSignedIn: (s: Session) => void }) {
  const preview = useAsync(() => previewInvitation(token), [token]);
  const form = useForm({ name: '', email: '', password: '' });
  const { busy, error, run } = useAction();
  const accept = async (e: FormEvent) => {
    e.preventDefault();
    const body = session ? {} : { ...form.values, email: preview.data?.email ?? form.values.email };
    const s = await run(() => acceptInvitation(token, body));
    if (s) {
      onSignedIn(s);
      navigate('/diary', { replace: true });
    }
  };
  if (preview.loading) return <main className="narrow"><Loading /></main>;
  if (preview.error || !preview.data) {
    return (
      <main className="narrow">
        <PageTitle>Invitation</PageTitle>
        <div className="alert alert-error" role="alert">{preview.error?.message ?? 'This invitation link is not valid.'}</div>
        <p>Ask whoever invited you for a new link. <Link to="/signin">Sign in</Link></p>
      </main>
    );
  }
  const p = preview.data;
  return (
    <main className="narrow">
      <p className="brand-big">Setora Hub</p>
      <PageTitle>{`Join ${p.org.name}`}</PageTitle>
      <p>You have been invited to join <strong>{p.org.name}</strong> as <strong>{p.role}</strong>.</p>
      <form onSubmit={accept}>
        <FormError error={error} fields={['name', 'email', 'password']} />
        {session ? (
          <p>You are signed in as {session.user.email}.</p>
        ) : (
          <>
            <Field label="Your name" name="name" error={error}>{(f) => <input {...f} required autoComplete="name" {...form.text('name')} />}</Field>
            <Field label="Email" name="email" error={error}>{(f) => <input {...f} type="email" required autoComplete="email" readOnly={!!p.email} value={p.email ?? form.values.email} onChange={(e) => form.set('email', e.target.value)} />}</Field>
            <Field label="Choose a password" name="password" error={error} hint="At least 10 characters.">{(f) => <input {...f} type="password" required minLength={10} autoComplete="new-password" {...form.text('password')} />}</Field>
          </>
        )}
        <button type="submit" disabled={busy}>{session ? `Join ${p.org.name}` : 'Create account and join'}</button>
      </form>
      {!session && <p>Already have a Setora account? <Link to={`/signin?next=${encodeURIComponent(`/invite/${token}`)}`}>Sign in first</Link>, then open this link again.</p>}
    </main>
  );
}
