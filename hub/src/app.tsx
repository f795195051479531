import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { onSessionLost, setCsrfToken } from './api';
import { getSession, signOut as endSession } from './data/account';
import { Link, match, navigate, useLocation } from './router';
import { SessionContext, canManage } from './session';
import type { Session } from './types';
import { Loading } from './ui';
import { SignIn, SignUp } from './pages/auth';
import { Invite } from './pages/invite';
import { Account } from './pages/account';
import { DiaryPage } from './diary/diary-page';
import { LeaveGuardHost } from './leave-guard';
import { ClientsPage } from './pages/clients';
import { ClientPage } from './pages/client';
import { SettingsPage } from './pages/settings';

type State = { status: 'loading' } | { status: 'out' } | { status: 'in'; session: Session };

export function App() {
  const [state, setState] = useState<State>({ status: 'loading' });
  const { path, query } = useLocation();

  const signedIn = useCallback((session: Session) => {
    setCsrfToken(session.csrf_token);
    setState({ status: 'in', session });
  }, []);
  useEffect(() => {
    getSession().then(signedIn, () => setState({ status: 'out' }));
    return onSessionLost(() => setState({ status: 'out' }));
  }, [signedIn]);

  if (state.status === 'loading') return <main className="narrow"><Loading /></main>;

  const invite = match('/invite/:token', path);
  if (invite) return <Invite token={invite.token!} session={state.status === 'in' ? state.session : undefined} onSignedIn={signedIn} />;

  if (state.status === 'out') {
    if (path === '/signup') return <SignUp onSignedIn={signedIn} />;
    return <SignIn onSignedIn={signedIn} next={path === '/signin' ? query.get('next') ?? '/diary' : path + location.search} />;
  }

  const session = state.session;
  const signOut = async () => {
    await endSession().catch(() => undefined);
    setState({ status: 'out' });
    navigate('/signin', { replace: true });
  };
  return (
    <SessionContext.Provider value={{ session, setSession: signedIn, signOut }}>
      <Shell session={session} path={path} onSignOut={signOut}>
        <Routes path={path} session={session} />
      </Shell>
    </SessionContext.Provider>
  );
}

function Routes({ path, session }: { path: string; session: Session }) {
  useEffect(() => {
    if (path === '/' || path === '/signin' || path === '/signup') navigate('/diary', { replace: true });
    if (path === '/settings') navigate(canManage(session) ? '/settings/locations' : '/diary', { replace: true });
  }, [path, session]);
  if (path === '/' || path === '/diary' || path === '/signin' || path === '/signup') return <DiaryPage />;
  if (path === '/clients') return <ClientsPage />;
  const client = match('/clients/:id', path);
  if (client) return <ClientPage id={client.id!} />;
  if (path === '/account') return <Account />;
  const settings = match('/settings/:tab', path);
  if (settings) {
    if (!canManage(session)) return <Forbidden />;
    return <SettingsPage tab={settings.tab!} />;
  }
  if (path === '/settings') return null;
  return <main><h1>Page not found</h1><p><Link to="/diary">Go to the diary</Link></p></main>;
}

function Forbidden() {
  return (
    <main>
      <h1>Settings are for owners and admins</h1>
      <p>Ask an owner or admin of your shop if you need something changed.</p>
      <p><Link to="/diary">Back to the diary</Link></p>
    </main>
  );
}

function Shell({ session, path, onSignOut, children }: { session: Session; path: string; onSignOut: () => void; children: ReactNode }) {
  const items: [string, string][] = [['/diary', 'Diary'], ['/clients', 'Clients'], ...(canManage(session) ? [['/settings/locations', 'Settings'] as [string, string]] : []), ['/account', 'Account']];
  const current = (to: string) => (to.startsWith('/settings') ? path.startsWith('/settings') : path === to || path.startsWith(`${to}/`));
  return (
    <>
      <a className="skip" href="#main">Skip to content</a>
      <header className="top">
        <Link to="/diary" className="brand">Setora<span> Hub</span></Link>
        <nav aria-label="Main">
          <ul>
            {items.map(([to, label]) => (
              <li key={to}><Link to={to} aria-current={current(to) ? 'page' : undefined}>{label}</Link></li>
            ))}
          </ul>
        </nav>
        <div className="who">
          <span className="org" title={`${session.user.email} · ${session.role}`}>{session.org?.name}</span>
          <button type="button" className="link-button" onClick={onSignOut}>Sign out</button>
        </div>
      </header>
      <div id="main" tabIndex={-1}>{children}</div>
      <LeaveGuardHost />
    </>
  );
}
