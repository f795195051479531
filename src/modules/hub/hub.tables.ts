import type { MembershipsTable } from '../../db/schema.js';

/** The Hub's own tables (migration 2026-11-28-03-hub). Tokens are never stored, only their SHA-256 digests. */
export interface HubSessionsTable {
  id: string;
  /** The organisation the session is working in (a user may belong to several). */
  org_id: string;
  user_id: string;
  token_digest: string;
  created_at: number;
  last_seen_at: number;
  expires_at: number;
}

export interface HubInvitationsTable {
  id: string;
  org_id: string;
  token_digest: string;
  role: MembershipsTable['role'];
  email: string | null;
  created_by: string | null;
  created_at: number;
  expires_at: number;
  accepted_at: number | null;
  accepted_by: string | null;
  revoked_at: number | null;
}

/** A member's own staff record in the org (migration 2026-11-30-03-hub-staff-link). */
export interface HubStaffLinksTable { org_id: string; user_id: string; staff_id: string; created_at: number }

declare module '../../db/schema.js' {
  interface DB {
    hub_sessions: HubSessionsTable;
    hub_invitations: HubInvitationsTable;
    hub_staff_links: HubStaffLinksTable;
  }
}
