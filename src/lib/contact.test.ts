import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normalisePhone, normaliseEmail } from './contact.js';

test('UK national and international phone input → E.164', () => {
  assert.equal(normalisePhone('07911 123456'), '+447911123456');
  assert.equal(normalisePhone('07700 900123'), '+447700900123');
  assert.equal(normalisePhone('+44 7700 900123'), '+447700900123');
  assert.equal(normalisePhone('(020) 7123 4567'), '+442071234567');
  assert.equal(normalisePhone('+1 415 555 2671'), '+14155552671');
});

test('impossible phone numbers are refused', () => {
  for (const bad of ['12345', '07700 900', '+44 1234', 'call me', '0000000000', '+999 123456789', '07911 1234567890', '']) assert.equal(normalisePhone(bad), null, bad);
});

test('emails are lower-cased and checked', () => {
  assert.equal(normaliseEmail(' Ana.Silva@Example.COM '), 'ana.silva@example.com');
  for (const bad of ['ana', 'ana@', '@example.com', 'ana@example', 'a b@example.com', 'ana@-x.com']) assert.equal(normaliseEmail(bad), null, bad);
});
