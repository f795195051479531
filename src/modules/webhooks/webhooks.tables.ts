/** The webhook tables (migration 2026-11-30-01-webhooks). Instants are epoch ms; JSON arrays are text. */
export interface WebhookEndpointsTable {
  id: string;
  org_id: string;
  url: string;
  description: string | null;
  /** JSON array of event types, prefixes (`booking.*`) or `*`. */
  enabled_events: string;
  status: 'enabled' | 'disabled';
  /** Why it was disabled: `manual`, or `failing` (every attempt failed for 3 days). */
  disabled_reason: string | null;
  disabled_at: number | null;
  /** `whsec_…`: kept to sign, never shown again after creation or rotation. */
  secret: string;
  /** The secret before the last rotation: still signs beside the new one until `previous_secret_expires_at`. */
  previous_secret: string | null;
  previous_secret_expires_at: number | null;
  /** Start of the current run of failed attempts (null after a success). */
  failing_since: number | null;
  created_at: number;
  updated_at: number;
}

export type DeliveryStatus = 'pending' | 'succeeded' | 'failed';

export interface WebhookDeliveriesTable {
  id: string;
  org_id: string;
  endpoint_id: string;
  event_id: string;
  status: DeliveryStatus;
  attempts: number;
  /** Due time while pending; also the lease while an instance is sending it. Null once settled. */
  next_attempt_at: number | null;
  /** Start of the 3-day retry window (creation, or the last resend). */
  scheduled_at: number;
  last_attempt_at: number | null;
  last_status_code: number | null;
  created_at: number;
  updated_at: number;
}

export interface WebhookAttemptsTable {
  id: string;
  org_id: string;
  endpoint_id: string;
  delivery_id: string;
  event_id: string;
  attempt: number;
  attempted_at: number;
  outcome: 'succeeded' | 'failed';
  status_code: number | null;
  /** Why it failed when there was no 2xx: `timeout`, `redirect_not_followed`, `private_address`, … */
  error: string | null;
  latency_ms: number;
  response_excerpt: string | null;
}

export interface WorkerPositionsTable { name: string; tx: number; seq: number }

declare module '../../db/schema.js' {
  interface DB {
    webhook_endpoints: WebhookEndpointsTable;
    webhook_deliveries: WebhookDeliveriesTable;
    webhook_attempts: WebhookAttemptsTable;
    worker_positions: WorkerPositionsTable;
  }
}
