import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import pino from 'pino';
import { loggerOptions, scrub } from './logging.js';

test('scrub removes API keys, emails and phone numbers from any text', () => {
  const text = 'key sk_live_AbCdEf0123456789AbCdEf0123456789AbCd for ana.silva@example.com on +44 7700 900123 or 07700 900123';
  const out = scrub(text);
  for (const secret of ['sk_live_AbCd', 'ana.silva@example.com', '7700 900123', '900123']) assert.ok(!out.includes(secret), secret);
  assert.match(out, /sk_live_\[redacted\]/);
});

test('the logger redacts known fields and scrubs every string it writes', () => {
  const lines: string[] = [];
  const stream = new Writable({ write(chunk, _e, cb) { lines.push(String(chunk)); cb(); } });
  const log = pino(loggerOptions('info', stream) as pino.LoggerOptions, stream);
  log.info({ req: { headers: { authorization: 'Bearer sk_live_secret', cookie: 'setora_session=abc' } }, client: { email: 'x@example.com', phone: '+447700900123' }, note: 'call 07911 123456' }, 'message mentions jo@example.com');
  const written = lines.join('');
  for (const secret of ['sk_live_secret', 'setora_session=abc', 'x@example.com', '+447700900123', '07911 123456', 'jo@example.com']) assert.ok(!written.includes(secret), secret);
  assert.ok(written.includes('[redacted]'));
});
