import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { forEachEngine } from './helpers/engines.js';
import { startTestApp, seedOrg, type TestContext, type SeededOrg } from './helpers/app.js';
import { seedShop, type TestShop } from './helpers/shop.js';
import { listen } from './helpers/http.js';
import { snapshot } from './helpers/snapshot.js';
import { sendRaw, describeRequest, type WireResponse } from './helpers/wire.js';
import {
  operationsOf, schemaChecker, envelopeProblem, matchesTemplate, v1CaseArb, appCaseArb, emptyPool,
  type FuzzCase, type Pool, type AppTemplate, type Operation,
} from './helpers/fuzz.js';
import { WEEKDAY_HOURS } from './hub/hub-helpers.js';
import { addUserToOrg } from '../src/modules/orgs/members.service.js';
import { updateOnlineSettings } from '../src/modules/online/online-settings.service.js';

/**
 * Issue 9: the fuzz suite. Requests generated from the server's own `/v1/openapi.json` (test/helpers/fuzz.ts),
 * and a smaller share of hostile `/hub/api` and `/book/api` requests, sent over real sockets (test/helpers/wire.ts)
 * to a server on loopback, on both engines, for FUZZ_SECONDS (default 30) each. It fails on any 5xx or missing
 * answer, any error outside the API.md §2 envelope, any 2xx that does not validate against its documented schema
 * or that accepts what must be refused, another org's id answered other than 404, and any change to stored data
 * after a refused request. FUZZ_SEED replays a run; each failure prints the request to replay it by hand.
 */

const SECONDS = Number(process.env.FUZZ_SECONDS ?? 30);
const SEED = process.env.FUZZ_SEED !== undefined ? Number(process.env.FUZZ_SEED) : Math.floor(Math.random() * 2 ** 31);
const PASSWORD = 'correct horse battery';
/** Refusals stored under an Idempotency-Key (src/modules/idempotency): the only refused writes allowed. */
const STORED_REFUSALS = new Set(['slot_unavailable', 'booking_not_modifiable', 'client_already_exists']);

interface Org { seeded: SeededOrg; shop: TestShop; pool: Pool }

forEachEngine('fuzz from the OpenAPI document', (engine) => {
  let ctx: TestContext;
  let port: number;
  let spec: any;
  let ops: Operation[];
  let ours: Org;
  let theirs: Org;
  let hubHeaders: [string, string][] = [];

  const get = async (path: string, key: string): Promise<any> => {
    const res = await sendRaw(port, { method: 'GET', target: path, headers: [['Authorization', `Bearer ${key}`]] });
    assert.equal(res.status, 200, `${path}: ${res.text}`);
    return JSON.parse(res.text);
  };
  const post = async (path: string, key: string, body: unknown): Promise<WireResponse> =>
    sendRaw(port, { method: 'POST', target: path, headers: [['Authorization', `Bearer ${key}`], ['Content-Type', 'application/json']], body: Buffer.from(JSON.stringify(body)) });

  /** Reads the org's real ids back from its list endpoints, and a few free slots. */
  async function refreshPool(org: Org): Promise<void> {
    const key = org.seeded.writeKey;
    const list = async (path: string, field: string) => (await get(`${path}${path.includes('?') ? '&' : '?'}limit=100`, key)).data.map((o: any) => o[field]);
    const pool = emptyPool();
    pool.locations = await list('/v1/locations', 'slug');
    pool.services = await list('/v1/services', 'id');
    pool.staff = await list('/v1/staff', 'id');
    pool.clients = await list('/v1/clients', 'id');
    pool.bookings = await list('/v1/bookings?status=confirmed', 'reference');
    pool.bookings.push(...(await list('/v1/bookings', 'reference')).slice(0, 10));
    pool.events = (await list('/v1/events', 'id')).slice(-20);
    pool.webhooks = await list('/v1/webhook_endpoints', 'id');
    for (const path of ['/v1/locations', '/v1/clients', '/v1/bookings', '/v1/events', '/v1/services']) {
      const page = await get(`${path}?limit=1`, key);
      if (page.next_cursor) pool.cursors.push(page.next_cursor);
    }
    const from = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    const to = new Date(Date.now() + 15 * 86_400_000).toISOString().slice(0, 10);
    for (const service of [org.shop.haircut.id, org.shop.colour.id]) {
      const slots = (await get(`/v1/locations/${org.shop.location.slug}/availability?service=${service}&from=${from}&to=${to}`, key)).slots;
      for (let i = 0; i < slots.length && pool.slots.length < 40; i += Math.max(1, Math.floor(slots.length / 20))) {
        pool.slots.push({ location: org.shop.location.slug, service, staff: slots[i].staff_id, starts_at: slots[i].starts_at });
      }
    }
    Object.assign(org.pool, pool); // in place: the generators hold this object
  }

  async function seed(): Promise<Org> {
    const now = Date.now();
    const seeded = await seedOrg(ctx.database, now);
    const shop = await seedShop(ctx.database, seeded.orgId, now);
    await updateOnlineSettings(ctx.database, seeded.orgId, shop.location.id, { enabled: true }, now);
    const org: Org = { seeded, shop, pool: emptyPool() };
    await refreshPool(org);
    for (const slot of org.pool.slots.slice(0, 4)) {
      const res = await post('/v1/bookings', seeded.writeKey, { ...slot, client: shop.client.id, notes: 'seeded by the fuzz' });
      assert.equal(res.status, 201, res.text);
    }
    const hook = await post('/v1/webhook_endpoints', seeded.writeKey, { url: 'https://example.com/hooks/fuzz', enabled_events: ['*'] });
    assert.equal(hook.status, 201, hook.text);
    await refreshPool(org);
    return org;
  }

  before(async () => {
    ctx = await startTestApp(engine);
    port = Number(new URL(await listen(ctx.app)).port);
    const res = await sendRaw(port, { method: 'GET', target: '/v1/openapi.json', headers: [] });
    spec = JSON.parse(res.text);
    ops = operationsOf(spec);
    ours = await seed();
    theirs = await seed();
    // A signed-in owner of our org for /hub/api (docs/hub.md: session cookie, Origin, X-CSRF-Token).
    const email = `fuzz-owner-${engine}@example.com`;
    await addUserToOrg(ctx.database, ours.seeded.orgId, { email, role: 'owner', password: PASSWORD, name: 'Fuzz Owner' });
    const origin = `http://127.0.0.1:${port}`;
    const signin = await sendRaw(port, { method: 'POST', target: '/hub/api/signin', headers: [['Origin', origin], ['Content-Type', 'application/json']], body: Buffer.from(JSON.stringify({ email, password: PASSWORD })) });
    assert.equal(signin.status, 200, signin.text);
    hubHeaders = [['Cookie', signin.headers['set-cookie']!.split(';')[0]!], ['Origin', origin], ['X-CSRF-Token', JSON.parse(signin.text).csrf_token]];
  });
  after(() => ctx?.close());

  test(`${SECONDS} s of generated requests: no 5xx, the envelope on every refusal, documented 2xx, nothing changed by a refusal`, { timeout: (SECONDS + 120) * 1000 }, async () => {
    console.log(`# fuzz [${engine}] FUZZ_SEED=${SEED} FUZZ_SECONDS=${SECONDS}`);
    const checkBody = schemaChecker(spec);
    const checkParam = schemaChecker(spec, { coerce: true });
    const errorSchema = spec.components.schemas.Error;
    const shop = ours.shop;
    const today = new Date().toISOString().slice(0, 10);
    const week = (over = {}) => ({ ...WEEKDAY_HOURS, ...over });
    const templates = (): AppTemplate[] => {
      const orgSlug = ours.seeded.slug;
      const ref = ours.pool.bookings[0] ?? 'AAAA-AAAA';
      return [
        { area: 'hub', method: 'POST', path: '/hub/api/signin', body: { email: `fuzz-owner-${engine}@example.com`, password: PASSWORD } },
        { area: 'hub', method: 'PATCH', path: `/hub/api/staff/${shop.alex.id}`, body: { hours: { [shop.location.id]: week() } } },
        { area: 'hub', method: 'PATCH', path: `/hub/api/staff/${shop.blake.id}`, body: { display_name: 'Blake', title: 'Stylist', hours: { [shop.location.id]: week({ sunday: [{ opens: '10:00', closes: '12:00' }] }) } } },
        { area: 'hub', method: 'PATCH', path: `/hub/api/locations/${shop.location.id}`, body: { name: 'Salon', opening_hours: week(), address: { line1: '1 Test Street', city: 'London', postcode: 'E1 1AA' } } },
        { area: 'hub', method: 'POST', path: '/hub/api/clients', body: { first_name: 'Hub', last_name: 'Client', email: 'hub.client@example.com', notes: 'likes tea' } },
        { area: 'hub', method: 'PATCH', path: `/hub/api/clients/${shop.client.id}`, body: { notes: 'prefers mornings', first_name: 'Jo' } },
        { area: 'hub', method: 'PATCH', path: `/hub/api/services/${shop.haircut.id}`, body: { name: 'Haircut', description: 'A cut', location_ids: [shop.location.id] } },
        { area: 'hub', method: 'POST', path: `/hub/api/staff/${shop.alex.id}/exceptions`, body: { date: today, kind: 'off', all_day: true, reason: 'dentist' } },
        { area: 'hub', method: 'POST', path: `/hub/api/bookings/${ref}/cancel`, body: { reason: 'unwell' } },
        { area: 'hub', method: 'GET', path: '/hub/api/clients', query: [['q', 'Jo']] },
        { area: 'hub', method: 'GET', path: '/hub/api/diary', query: [['location', shop.location.id], ['date', today]] },
        { area: 'hub', method: 'GET', path: `/hub/api/staff/${shop.alex.id}` },
        { area: 'book', method: 'GET', path: `/book/api/shops/${orgSlug}/locations/${shop.location.slug}/availability`, query: [['service', shop.haircut.id], ['from', today]] },
        { area: 'book', method: 'POST', path: `/book/api/shops/${orgSlug}/locations/${shop.location.slug}/bookings`, body: { service: shop.haircut.id, starts_at: ours.pool.slots[5]?.starts_at ?? '2030-01-01T10:00:00Z', first_name: 'Page', last_name: 'Booker', email: 'page@example.com', notes: 'first visit', marketing: { email: true } } },
        { area: 'book', method: 'GET', path: `/book/api/shops/${orgSlug}` },
        { area: 'book', method: 'POST', path: '/book/api/manage/reschedule', body: { starts_at: '2030-01-01T10:00:00Z' } },
      ];
    };
    const v1 = v1CaseArb(spec, ops, { pool: ours.pool, foreign: theirs.pool, now: () => Date.now() }, { write: ours.seeded.writeKey, read: ours.seeded.readKey }, checkBody, checkParam);
    const app = appCaseArb(templates, (area) => (area === 'hub' ? hubHeaders : [['X-Manage-Token', 'not-a-token']]));

    const theirsBefore = await snapshot(ctx.database, theirs.seeded.orgId);
    const findings = new Map<string, { count: number; example: string }>();
    const statuses: Record<string, number> = {};
    let baseline: string | undefined;
    let n = 0;
    const deadline = Date.now() + SECONDS * 1000;
    for (; Date.now() < deadline; n++) {
      if (n > 0 && n % 150 === 0) await refreshPool(ours);
      const arb = n % 10 < 8 ? v1 : app;
      const c: FuzzCase = fc.sample(arb, { seed: (SEED + n * 7919) | 0, numRuns: 1 })[0]!;
      const mutating = !['GET', 'HEAD'].includes(c.req.method);
      if (mutating && baseline === undefined) baseline = await snapshot(ctx.database, ours.seeded.orgId);
      let res: WireResponse | undefined;
      const problems: string[] = [];
      try {
        res = await sendRaw(port, c.req);
      } catch (err) {
        problems.push(`no answer: ${(err as Error).message.slice(0, 200)}`);
      }
      if (res) {
        statuses[res.status] = (statuses[res.status] ?? 0) + 1;
        problems.push(...judge(c, res));
        if (res.status < 300 && c.req.method === 'POST') harvest(res);
      }
      if (mutating) {
        if (!res || res.status >= 300) {
          const now = await snapshot(ctx.database, ours.seeded.orgId);
          const code = res ? safeCode(res) : undefined;
          const idemAllowed = c.req.headers.some(([k]) => k.toLowerCase() === 'idempotency-key') && code !== undefined && STORED_REFUSALS.has(code);
          if (differs(baseline!, now, idemAllowed)) problems.push(`stored data changed after a refused request (${res?.status ?? 'no answer'} ${code ?? ''})`);
          baseline = now;
        } else baseline = undefined;
      }
      for (const p of problems) {
        const key = `${c.area} ${c.label} :: ${p.replace(/[:(].*$/, '')}`;
        const f = findings.get(key);
        if (f) f.count++;
        else findings.set(key, { count: 1, example: `${p}\n    request #${n}: ${describeRequest(c.req)}\n    must refuse: ${c.mustRefuse ?? 'no'}\n    answer: ${res ? `${res.status} ${JSON.stringify(res.headers['content-type'])} ${res.text.slice(0, 400)}` : 'none'}` });
      }
    }
    const theirsAfter = await snapshot(ctx.database, theirs.seeded.orgId);
    console.log(`# fuzz [${engine}] ${n} requests in ${SECONDS} s (${Math.round(n / SECONDS)}/s); statuses ${JSON.stringify(statuses)}`);
    if (theirsAfter !== theirsBefore) findings.set('another org\'s data changed', { count: 1, example: 'snapshot of the other org differs' });
    if (findings.size) {
      const report = [...findings].slice(0, 40).map(([k, f]) => `- ${k} (×${f.count})\n    ${f.example}`).join('\n');
      assert.fail(`fuzz [${engine}] FUZZ_SEED=${SEED}: ${findings.size} kinds of failure in ${n} requests\n${report}`);
    }

    function judge(c: FuzzCase, res: WireResponse): string[] {
      const out: string[] = [];
      const head = c.req.method.toUpperCase() === 'HEAD';
      if (res.status >= 500) out.push(`${res.status}`);
      if (res.status >= 300 && !head) {
        const why = envelopeProblem(res, c.area === 'v1' ? (b) => checkBody(errorSchema, b) : undefined);
        if (why) out.push(`not the envelope: ${why}`);
      }
      const sane = c.req.headers.filter(([k]) => k.toLowerCase() === 'x-request-id');
      // (Not when the request could not be read as HTTP at all: its headers are unknown.)
      // (a HEAD answer has no body to read the code from: its status says the same)
      const unread = ['bad_request', 'header_too_large', 'request_timeout'].includes(safeCode(res) ?? '') || (c.req.method === 'HEAD' && [400, 408, 431].includes(res.status));
      if (sane.length === 1 && sane[0]![1] === 'fuzz-request-0001' && !unread && res.headers['x-request-id'] !== 'fuzz-request-0001') out.push('sane X-Request-Id not echoed');
      if (res.status < 300) {
        if (c.mustRefuse) out.push(`accepted what must be refused: ${c.mustRefuse}`);
        if (c.foreignPath) out.push('another org\'s id answered 2xx');
        if (c.area === 'v1' && !head) {
          if (!c.op) out.push(`2xx for an undocumented method`);
          else {
            const doc = c.op.responses[String(res.status)];
            if (!doc) out.push(`undocumented status ${res.status}`);
            else if (res.headers['content-type'] !== 'application/json; charset=utf-8') out.push(`2xx content-type ${res.headers['content-type']}`);
            else {
              const why = checkBody(doc.content['application/json'].schema, JSON.parse(res.text));
              if (why) out.push(`2xx body does not match the documented schema: ${why}`);
            }
          }
        }
      }
      if (c.area === 'v1' && c.op && res.status === 404 && safeCode(res) === 'route_not_found' && matchesTemplate(c.op.path, c.req.target.split('?')[0]!)) out.push('route_not_found on a documented route');
      if (c.foreignPath && c.clean && res.status !== 404) out.push(`another org's id answered ${res.status}, not 404`);
      return out;
    }
  });

  /** Adds what a successful POST created to the pool, so later requests use it. */
  function harvest(res: WireResponse): void {
    let body: any;
    try { body = JSON.parse(res.text); } catch { return; }
    const pool = ours.pool;
    const id: string | undefined = body?.id;
    if (body?.object === 'booking' && body.reference && !pool.bookings.includes(body.reference)) pool.bookings.push(body.reference);
    else if (body?.object === 'client' && id && !pool.clients.includes(id)) pool.clients.push(id);
    else if (body?.object === 'webhook_endpoint' && id && !pool.webhooks.includes(id)) pool.webhooks.push(id);
  }
});

function safeCode(res: WireResponse): string | undefined {
  try { return JSON.parse(res.text)?.error?.code; } catch { return undefined; }
}

/** Do two snapshots differ (ignoring idempotency records when a stored refusal is allowed to write one)? */
function differs(a: string, b: string, ignoreIdempotency: boolean): boolean {
  if (a === b) return false;
  if (!ignoreIdempotency) return true;
  const x = JSON.parse(a);
  const y = JSON.parse(b);
  delete x.idem;
  delete y.idem;
  return JSON.stringify(x) !== JSON.stringify(y);
}
