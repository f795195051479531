import type { FormEvent } from 'react';
import { signIn, signUp } from '../data/account';
import { useForm } from '../form';
import { Link, navigate } from '../router';
import type { Session } from '../types';
import { Field, FormError, PageTitle, useAction } from '../ui';

export function SignIn({ onSignedIn, next }: { onSignedIn: (s: Session) => void; next: string }) {
  const form = useForm({ email: '', password: '' });
  const { busy, error, run } = useAction();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const s = await run(() => signIn(form.values));
    if (s) {
      onSignedIn(s);
      navigate(next.startsWith('/') && !next.startsWith('//') ? next : '/diary', { replace: true });
    }
  };
  return (
    <main className="narrow">
      <p className="brand-big">Setora Hub</p>
      <PageTitle>Sign in</PageTitle>
      <form onSubmit={submit} noValidate={false}>
        <FormError error={error} />
        <Field label="Email" name="email" error={error}>{(p) => <input {...p} type="email" autoComplete="username" required {...form.text('email')} />}</Field>
        <Field label="Password" name="password" error={error}>{(p) => <input {...p} type="password" autoComplete="current-password" required {...form.text('password')} />}</Field>
        <button type="submit" disabled={busy}>{busy ? 'Signing in…' : 'Sign in'}</button>
      </form>
      <p>New to Setora? <Link to="/signup">Create an account for your shop</Link></p>
    </main>
  );
}

const SIGNUP_FIELDS = ['shop_name', 'name', 'email', 'password'];

export function SignUp({ onSignedIn }: { onSignedIn: (s: Session) => void }) {
  const form = useForm({ shop_name: '', name: '', email: '', password: '' });
  const { busy, error, run } = useAction();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const s = await run(() => signUp(form.values));
    if (s) {
      onSignedIn(s);
      navigate('/settings/locations?welcome=1', { replace: true });
    }
  };
  return (
    <main className="narrow">
      <p className="brand-big">Setora Hub</p>
      <PageTitle>Create your shop's account</PageTitle>
      <form onSubmit={submit}>
        <FormError error={error} fields={SIGNUP_FIELDS} />
        <Field label="Shop name" name="shop_name" error={error}>{(p) => <input {...p} required autoComplete="organization" {...form.text('shop_name')} />}</Field>
        <Field label="Your name" name="name" error={error}>{(p) => <input {...p} required autoComplete="name" {...form.text('name')} />}</Field>
        <Field label="Email" name="email" error={error}>{(p) => <input {...p} type="email" required autoComplete="email" {...form.text('email')} />}</Field>
        <Field label="Password" name="password" error={error} hint="At least 10 characters.">{(p) => <input {...p} type="password" required minLength={10} autoComplete="new-password" {...form.text('password')} />}</Field>
        <button type="submit" disabled={busy}>{busy ? 'Creating…' : 'Create account'}</button>
      </form>
      <p>Already have an account? <Link to="/signin">Sign in</Link></p>
    </main>
  );
}
