/** Clients: search, details, history, and the UK GDPR export and erasure. */
import { get, patch, post, qs } from '../api';
import type { Client, ClientPage, List } from '../types';
export interface NewClientInput { first_name: string; last_name?: string; email?: string; phone?: string; notes?: string; marketing_consent?: { email: boolean; sms: boolean } }
export interface ClientEdit {
  first_name: string; last_name: string | null; email: string | null; phone: string | null; notes: string | null;
  marketing_consent: { email: boolean; sms: boolean };
}

export const searchClients = (q: string, limit: number, cursor?: string) => get<List<Client>>(`/clients${qs({ q: q.trim(), limit, cursor })}`);
export const createClient = (body: NewClientInput) => post<Client>('/clients', body);
export const getClientPage = (id: string) => get<ClientPage>(`/clients/${encodeURIComponent(id)}`);
export const updateClient = (id: string, body: ClientEdit) => patch<Client>(`/clients/${id}`, body);
export const eraseClient = (id: string) => post<ClientPage>(`/clients/${id}/erase`);
export const exportUrl = (id: string) => `/hub/api/clients/${id}/export`;

/** Leaves out empty optional fields: the server takes absent, not "". */
export function compact<T extends Record<string, unknown>>(body: T): Partial<T> {
  return Object.fromEntries(Object.entries(body).filter(([, v]) => v !== '' && v !== undefined)) as Partial<T>;
}
