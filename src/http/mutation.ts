import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Database } from '../db/connect.js';
import { runMutation, type BeforeCommit, type MutationOutcome } from '../modules/idempotency/idempotency.service.js';

/**
 * Runs a POST's change (a use case, which owns its transaction) under the Idempotency-Key rules and sends the
 * result with `status`; the idempotency record is written in the change's transaction via `beforeCommit`. A
 * replay is sent exactly as first answered, with `Idempotent-Replayed: true`.
 */
export async function sendMutation(
  deps: { database: Database; clock: () => number },
  req: FastifyRequest,
  reply: FastifyReply,
  status: number,
  op: (beforeCommit?: BeforeCommit) => Promise<unknown>,
): Promise<void> {
  const header = req.headers['idempotency-key'];
  const outcome = await runMutation(deps.database, req.principal!.orgId, {
    key: Array.isArray(header) ? header[0] : header,
    method: req.method,
    path: req.url.split('?')[0]!,
    body: req.body,
    requestId: req.id,
    now: deps.clock(),
    status,
  }, op);
  sendOutcome(reply, outcome);
}

/** Sends a mutation's outcome: a replay marked `Idempotent-Replayed: true`; a remembered refusal byte for byte. */
export function sendOutcome(reply: FastifyReply, outcome: MutationOutcome): void {
  if (outcome.replayed) reply.header('idempotent-replayed', 'true');
  reply.code(outcome.status);
  if (outcome.status >= 400) {
    reply.header('content-type', 'application/json; charset=utf-8').serializer((b: unknown) => JSON.stringify(b)).send(outcome.body);
    return;
  }
  reply.send(outcome.body);
}
