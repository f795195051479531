import { createContext, useContext } from 'react';
import type { Session } from './types';

export interface SessionState {
  session: Session;
  /** After a change that moves the session (another org, a new role). */
  setSession: (s: Session) => void;
  signOut: () => Promise<void>;
}

export const SessionContext = createContext<SessionState | null>(null);

export function useSession(): SessionState {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside a signed-in page');
  return s;
}

export const canManage = (s: Session) => s.role === 'owner' || s.role === 'admin';
