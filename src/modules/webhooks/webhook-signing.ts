import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';

/** A new signing secret: `whsec_` + base64 of 32 random bytes (the Standard Webhooks secret format). */
export const newSigningSecret = (): string => `whsec_${randomBytes(32).toString('base64')}`;

const signers = new Map<string, Webhook>();
function signer(secret: string): Webhook {
  let w = signers.get(secret);
  if (!w) {
    w = new Webhook(secret);
    if (signers.size > 1000) signers.clear();
    signers.set(secret, w);
  }
  return w;
}

/**
 * The Standard Webhooks headers for one attempt (standardwebhooks.com, "Signature scheme"): `webhook-id` (the
 * event id: the same on every retry, so receivers de-duplicate by it), `webhook-timestamp` (Unix seconds) and
 * `webhook-signature`: `v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">` for each secret, space-separated
 * (during a rotation the new and the previous secret both sign). Signed by the `standardwebhooks` package.
 */
export function signedHeaders(secrets: readonly string[], eventId: string, at: Date, body: string): Record<string, string> {
  return {
    'webhook-id': eventId,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': secrets.map((s) => signer(s).sign(eventId, at, body)).join(' '),
  };
}
