/** Settings → Team and Settings → Developer: members, invitations, API keys. */
import { del, get, patch, post } from '../api';
import type { ApiKey, CreatedApiKey, CreatedInvitation, List, Role, Team } from '../types';

export const getTeam = () => get<Team>('/team');
export const setRole = (userId: string, role: Role) => patch<Team>(`/team/members/${userId}`, { role });
/** Links a member to their own staff record ("My day"); null unlinks. */
export const linkMember = (userId: string, staffId: string | null) => patch<Team>(`/team/members/${userId}`, { staff_id: staffId });
export const removeMember = (userId: string) => del<Team>(`/team/members/${userId}`);
export const createInvitation = (body: { role: Role; email?: string }) => post<CreatedInvitation>('/team/invitations', body);
export const withdrawInvitation = (id: string) => del<unknown>(`/team/invitations/${id}`);

export const listKeys = () => get<List<ApiKey>>('/keys');
/** A preset `scope`, or picked `scopes`; `locations` (slugs) limits the key, omitted for every location. */
export const createKey = (body: { label: string; scope?: 'read' | 'read_write'; scopes?: string[]; locations?: string[] }) => post<CreatedApiKey>('/keys', body);
export const revokeKey = (id: string) => del<unknown>(`/keys/${id}`);
