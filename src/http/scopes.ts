/**
 * API key scopes (API.md §3). A key holds a published preset (`read`, `read_write`: unchanged since v1 was
 * published) or a list of fine scopes; a `:write` scope includes its `:read`. Every /v1 route declares the one
 * scope it needs in ROUTE_SCOPES, the single table the auth gate and the OpenAPI document both read.
 */
export const FINE_SCOPES = [
  'catalog:read', 'clients:read', 'clients:write', 'bookings:read', 'bookings:write', 'events:read', 'webhooks:read', 'webhooks:write',
] as const;
export type FineScope = (typeof FINE_SCOPES)[number];
export const PRESETS = ['read', 'read_write'] as const;
export type Preset = (typeof PRESETS)[number];

const READ_SCOPES = FINE_SCOPES.filter((s) => s.endsWith(':read'));

/**
 * The scopes a key grants: a preset's (`read` = every `:read`, `read_write` = every scope), or the fine list with
 * each `:write` adding its `:read`.
 */
export function grantedScopes(scope: Preset | 'custom', fine: readonly string[] | null): ReadonlySet<FineScope> {
  if (scope === 'read') return new Set(READ_SCOPES);
  if (scope === 'read_write') return new Set(FINE_SCOPES);
  const out = new Set<FineScope>();
  for (const s of fine ?? []) {
    if (!isFineScope(s)) continue;
    out.add(s);
    if (s.endsWith(':write')) out.add(s.replace(/:write$/, ':read') as FineScope);
  }
  return out;
}

export const isFineScope = (s: string): s is FineScope => (FINE_SCOPES as readonly string[]).includes(s);

/** The one table: every /v1 route (method and path template) and the scope it needs. */
export const ROUTE_SCOPES: Record<string, FineScope> = {
  'GET /v1/locations': 'catalog:read',
  'GET /v1/locations/:slug': 'catalog:read',
  'GET /v1/locations/:slug/availability': 'catalog:read',
  'GET /v1/services': 'catalog:read',
  'GET /v1/services/:id': 'catalog:read',
  'GET /v1/staff': 'catalog:read',
  'GET /v1/staff/:id': 'catalog:read',
  'GET /v1/clients': 'clients:read',
  'GET /v1/clients/:id': 'clients:read',
  'POST /v1/clients': 'clients:write',
  'GET /v1/bookings': 'bookings:read',
  'GET /v1/bookings/:reference': 'bookings:read',
  // A booking given inline client details may create its client: part of making the booking.
  'POST /v1/bookings': 'bookings:write',
  'POST /v1/bookings/:reference/reschedule': 'bookings:write',
  'POST /v1/bookings/:reference/cancel': 'bookings:write',
  'GET /v1/events': 'events:read',
  'GET /v1/events/:id': 'events:read',
  'GET /v1/webhook_endpoints': 'webhooks:read',
  'GET /v1/webhook_endpoints/:id': 'webhooks:read',
  'POST /v1/webhook_endpoints': 'webhooks:write',
  'PATCH /v1/webhook_endpoints/:id': 'webhooks:write',
  'DELETE /v1/webhook_endpoints/:id': 'webhooks:write',
  'POST /v1/webhook_endpoints/:id/rotate_secret': 'webhooks:write',
};

/** The scope a route needs (HEAD as its GET), or undefined for a route not in the table. */
export function routeScope(method: string, url: string): FineScope | undefined {
  return ROUTE_SCOPES[`${method === 'HEAD' ? 'GET' : method} ${url.replace(/\/$/, '')}`];
}
