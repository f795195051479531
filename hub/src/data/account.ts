/** Sign-in, sign-up, the session, the account page, invitation links: `/hub/api` session endpoints. */
import { get, post } from '../api';
import type { InvitationPreview, Session } from '../types';

export const getSession = () => get<Session>('/session');
export const signIn = (body: { email: string; password: string }) => post<Session>('/signin', body);
export const signUp = (body: { shop_name: string; name: string; email: string; password: string }) => post<Session>('/signup', body);
export const signOut = () => post<unknown>('/signout');
export const changePassword = (body: { current_password: string; new_password: string }) => post<unknown>('/password', body);
export const switchOrg = (orgId: string) => post<Session>('/session/org', { org_id: orgId });
export const previewInvitation = (token: string) => get<InvitationPreview>(`/invitations/${encodeURIComponent(token)}`);
export const acceptInvitation = (token: string, body: { name?: string; email?: string; password?: string }) =>
  post<Session>(`/invitations/${encodeURIComponent(token)}/accept`, body);
