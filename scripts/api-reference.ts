/**
 * Writes docs/api-reference.md from the server's OpenAPI document (scripts/openapi-document.ts): every
 * operation with its scope, parameters, body fields, responses and examples, every object, every error code
 * and `slot_unavailable` reason. `npm run docs` rewrites it; test/api-reference.test.ts fails when it is stale.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openApiDocument } from './openapi-document.js';
import { V1_ERROR_CODES } from '../src/http/schemas.js';
import { ERROR_STATUS } from '../src/http/errors.js';

type Json = Record<string, any>;
const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

export const REFERENCE_PATH = fileURLToPath(new URL('../docs/api-reference.md', import.meta.url));

const anchor = (text: string) => text.toLowerCase().replace(/[^a-z0-9 -]/g, '').trim().replace(/\s+/g, '-');
const cell = (text: string | undefined) => (text ?? '').replace(/\n+/g, ' ').replace(/\|/g, '\\|');
const json = (value: unknown) => ['```json', compact(value, ''), '```'].join('\n');

/** JSON with short objects and arrays on one line, so examples stay readable. */
function compact(value: unknown, indent: string): string {
  const line = inline(value);
  if (value === null || typeof value !== 'object' || line.length + indent.length <= 100) return line;
  const inner = `${indent}  `;
  if (Array.isArray(value)) return `[\n${value.map((v) => inner + compact(v, inner)).join(',\n')}\n${indent}]`;
  return `{\n${Object.entries(value).map(([k, v]) => `${inner}${JSON.stringify(k)}: ${compact(v, inner)}`).join(',\n')}\n${indent}}`;
}
function inline(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(inline).join(', ')}]`;
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  const entries = Object.entries(value);
  return entries.length ? `{ ${entries.map(([k, v]) => `${JSON.stringify(k)}: ${inline(v)}`).join(', ')} }` : '{}';
}

/** A schema's type in a few words: `string (≤ 100)`, `integer 1–100, default 25`, [Booking](#booking), `string or object`. */
function typeOf(schema: Json | undefined, doc: Json): string {
  if (!schema) return '';
  if (schema.$ref) {
    const name = schema.$ref.split('/').pop();
    return `[${name}](#${anchor(name)})`;
  }
  if (schema.anyOf) return schema.anyOf.map((s: Json) => typeOf(s, doc)).join(' or ');
  const types = ([] as string[]).concat(schema.type ?? 'any');
  const nullable = types.includes('null') || (schema.enum ?? []).includes(null);
  let base = types.filter((t) => t !== 'null').join(' or ');
  if (schema.enum) base = schema.enum.filter((v: unknown) => v !== null).map((v: unknown) => `\`${v}\``).join(', ');
  else if (schema.const !== undefined) base = `\`${schema.const}\``;
  else if (base === 'array') base = `array of ${typeOf(schema.items, doc)}`;
  const limits: string[] = [];
  if (schema.minimum !== undefined && schema.maximum !== undefined && Math.abs(schema.maximum) < 1e15) limits.push(`${schema.minimum}–${schema.maximum}`);
  if (schema.maxLength !== undefined) limits.push(`≤ ${schema.maxLength} chars`);
  if (schema.default !== undefined) limits.push(`default ${JSON.stringify(schema.default)}`);
  return `${base}${limits.length ? ` (${limits.join(', ')})` : ''}${nullable ? ', or null' : ''}`;
}

/** The fields of an object schema as table rows, nested objects (and an object branch of a union) dotted. */
function fieldRows(schema: Json, doc: Json, prefix = ''): string[] {
  const rows: string[] = [];
  const required: string[] = schema.required ?? [];
  for (const [name, raw] of Object.entries<Json>(schema.properties ?? {})) {
    const field = `${prefix}${name}`;
    rows.push(`| \`${field}\` | ${cell(typeOf(raw, doc))} | ${required.includes(name) ? 'yes' : ''} | ${cell(raw.description)} |`);
    const nested = raw.type === 'object' ? raw : raw.anyOf?.find((s: Json) => s.type === 'object');
    if (nested?.properties) rows.push(...fieldRows(nested, doc, `${field}.`));
    if (raw.type === 'array' && raw.items?.properties) rows.push(...fieldRows(raw.items, doc, `${field}[].`));
  }
  return rows;
}

function renderOperation(path: string, method: string, op: Json, doc: Json): string[] {
  const out: string[] = [`### ${op.summary}`, '', `\`${method.toUpperCase()} ${path}\` · scope \`${op.security?.[0]?.bearerAuth?.join(', ') ?? '—'}\` · operationId \`${op.operationId}\``, ''];
  if (op.description) out.push(op.description, '');
  const params = (op.parameters ?? []).map((p: Json) => (p.$ref ? p.$ref.split('/').slice(1).reduce((o: Json, k: string) => o[k], doc) : p));
  if (params.length) {
    out.push('| parameter | in | type | required | description |', '|---|---|---|---|---|');
    for (const p of params) out.push(`| \`${p.name}\` | ${p.in} | ${cell(typeOf(p.schema, doc))} | ${p.required ? 'yes' : ''} | ${cell(p.description)}${p.example !== undefined ? ` Example: \`${p.example}\`.` : ''} |`);
    out.push('');
  }
  const body = op.requestBody?.content?.['application/json'];
  if (body) {
    out.push(`Body (JSON${op.requestBody.required ? '' : ', optional'}):`, '', '| field | type | required | description |', '|---|---|---|---|', ...fieldRows(body.schema, doc), '');
    if (body.example !== undefined) out.push(json(body.example), '');
  }
  out.push('| status | answer |', '|---|---|');
  for (const [status, response] of Object.entries<Json>(op.responses)) {
    const schema = response.content?.['application/json']?.schema;
    out.push(`| ${status} | ${cell(response.description)}${schema && Number(status) < 400 ? ` ${typeOf(schema, doc)}` : ''} |`);
  }
  out.push('');
  const ok = Object.entries<Json>(op.responses).find(([s]) => s.startsWith('2'))?.[1]?.content?.['application/json'];
  if (ok?.example !== undefined) out.push(`<details><summary>Example answer</summary>`, '', json(ok.example), '', '</details>', '');
  return out;
}

/** The whole page, deterministic for a given document. */
export function renderReference(doc: Json): string {
  const ops = Object.entries<Json>(doc.paths).flatMap(([path, item]) => METHODS.filter((m) => item[m]).map((method) => ({ path, method, op: item[method] })));
  const tags: string[] = (doc.tags ?? []).map((t: Json) => t.name);
  for (const { op } of ops) for (const t of op.tags ?? []) if (!tags.includes(t)) tags.push(t);
  const out: string[] = [
    '# API reference (v1)',
    '',
    '<!-- Generated by `npm run docs` (scripts/api-reference.ts) from the server\'s OpenAPI document; do not edit by hand. -->',
    '',
    `Generated from the OpenAPI ${doc.openapi} document that the server publishes at \`GET /v1/openapi.json\` and renders at \`/docs\`. `
      + 'Conventions (authentication, errors, lists, instants, idempotency, rate limits) are in [api.md](api.md); design choices in [api-notes.md](api-notes.md). '
      + 'Examples use the demo shop that `npm start` creates on an empty database (its ids are fixed: see README, "Walkthrough").',
    '',
    doc.info.description,
    '',
    '## Operations',
    '',
    '| operation | method and path | scope |',
    '|---|---|---|',
    ...ops.map(({ path, method, op }) => `| [${op.summary}](#${anchor(op.summary)}) | \`${method.toUpperCase()} ${path}\` | \`${op.security?.[0]?.bearerAuth?.join(', ') ?? ''}\` |`),
    '',
  ];
  for (const tag of tags) {
    const description = (doc.tags ?? []).find((t: Json) => t.name === tag)?.description;
    out.push(`## ${tag}`, '', ...(description ? [description, ''] : []));
    for (const { path, method, op } of ops.filter((o) => (o.op.tags ?? [])[0] === tag)) out.push(...renderOperation(path, method, op, doc));
  }
  out.push('## Objects', '');
  for (const [name, schema] of Object.entries<Json>(doc.components.schemas)) {
    out.push(`### ${name}`, '', '| field | type | always present | description |', '|---|---|---|---|', ...fieldRows(schema, doc), '');
    if (schema.examples?.[0]) out.push('<details><summary>Example</summary>', '', json(schema.examples[0]), '', '</details>', '');
  }
  const error = doc.components.schemas.Error.properties.error.properties;
  out.push('## Error codes', '', 'Every error has the `Error` envelope. Branch on `code`; `message` is for people and may change.', '', '| status | code | when |', '|---|---|---|');
  for (const code of error.code.enum as (keyof typeof V1_ERROR_CODES)[]) out.push(`| ${ERROR_STATUS[code]} | \`${code}\` | ${cell(V1_ERROR_CODES[code])} |`);
  out.push('', '### Why a time cannot be booked (`reason` of `409 slot_unavailable`)', '', '| reason | when |', '|---|---|');
  for (const line of (error.reason.description as string).split('\n').filter((l) => l.startsWith('- '))) {
    const [, reason, when] = /^- `(\w+)`: (.*)$/.exec(line) ?? [];
    if (reason) out.push(`| \`${reason}\` | ${cell(when)} |`);
  }
  out.push('');
  return `${out.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  fs.writeFileSync(REFERENCE_PATH, renderReference(await openApiDocument()));
  console.log(`wrote ${path.relative(process.cwd(), REFERENCE_PATH)}`);
}
