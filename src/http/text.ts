import type { z } from 'zod';
import { ApiError } from './errors.js';
import { knownKeysAt } from './validation.js';

/**
 * The text rule of API.md §5, for every string a request carries (JSON body, query, path), identically on both
 * storage engines: well-formed Unicode (no lone UTF-16 surrogates, which JSON's `\uD800` escapes can produce),
 * no NUL (U+0000) and no other C0 control character except tab, line feed and carriage return (free text:
 * notes, messages). PostgreSQL refuses NUL in `text` outright and SQLite would store it, so the rule is applied
 * here, before any query, rather than left to the engines. Tab and newlines are allowed only in free text
 * (FREE_TEXT_FIELDS: notes, reasons, messages, descriptions); a name, an email or an id is one line.
 *
 * Object keys that would reach an object's prototype (`__proto__`, `constructor`, `prototype`) are never
 * taken: where the schema names its fields they are unknown fields (`parameter_unknown`, as any other unknown
 * field would be), inside a map keyed by ids or weekdays they are unknown keys (`parameter_invalid`).
 */

// C0 controls (NUL included) but tab (U+0009), LF (U+000A) and CR (U+000D), which free text may hold...
const FORBIDDEN_CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;
// ...and every control character in any other string (names, emails, ids, query parameters, path ids).
// DEL (U+007F) and the C1 controls (U+0080–U+009F, e.g. U+009B, a terminal's escape) are refused everywhere.
const ANY_CONTROL = /[\u0000-\u001F\u007F-\u009F]/;
/** The free-text fields (multi-line in the Hub and the booking page): booking and client notes, reasons, messages, descriptions. */
const FREE_TEXT_FIELDS = new Set(['notes', 'reason', 'message', 'description', 'website']);
// A high surrogate not followed by a low one, or a low one not preceded by a high one.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
const MAX_DEPTH = 64;

export type RequestPart = 'body' | 'querystring' | 'params';

interface Problem {
  path: (string | number)[];
  kind: 'control' | 'ill_formed' | 'prototype_key' | 'too_deep';
}

function findProblem(value: unknown, path: (string | number)[]): Problem | undefined {
  if (typeof value === 'string') {
    const field = path[path.length - 1];
    if ((typeof field === 'string' && FREE_TEXT_FIELDS.has(field) ? FORBIDDEN_CONTROL : ANY_CONTROL).test(value)) return { path, kind: 'control' };
    if (LONE_SURROGATE.test(value)) return { path, kind: 'ill_formed' };
    return undefined;
  }
  if (value === null || typeof value !== 'object') return undefined;
  if (path.length > MAX_DEPTH) return { path, kind: 'too_deep' };
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const p = findProblem(value[i], [...path, i]);
      if (p) return p;
    }
    return undefined;
  }
  for (const key of Object.keys(value)) {
    if (PROTOTYPE_KEYS.has(key)) return { path: [...path, key], kind: 'prototype_key' };
    if (ANY_CONTROL.test(key) || LONE_SURROGATE.test(key)) return { path: [...path, key], kind: 'control' };
    const p = findProblem((value as Record<string, unknown>)[key], [...path, key]);
    if (p) return p;
  }
  return undefined;
}

const WHERE: Record<RequestPart, string> = { body: 'field', querystring: 'query parameter', params: 'path parameter' };

/**
 * Checks one part of a request against the text rule above. `schema` is the route's zod schema for that part
 * (to tell a named field from a map key). Returns the refusal, or undefined when the part is clean.
 * Errors: `parameter_invalid` (control character, ill-formed text, a prototype key in a map, nesting over 64
 * levels) or `parameter_unknown` (a prototype key where the schema names its fields); `param` is the dotted path.
 */
export function textRefusal(part: RequestPart, value: unknown, schema?: z.ZodType): ApiError | undefined {
  const problem = findProblem(value, []);
  if (!problem) return undefined;
  const param = problem.path.length ? problem.path.map(String).join('.') : undefined;
  const where = WHERE[part];
  switch (problem.kind) {
    case 'control':
      return new ApiError('parameter_invalid', `Invalid ${where} \`${param}\`: text may not contain NUL or other control characters (tab and newline only in notes and other free text).`, param);
    case 'ill_formed':
      return new ApiError('parameter_invalid', `Invalid ${where} \`${param}\`: text must be well-formed Unicode (no lone surrogates).`, param);
    case 'too_deep':
      return new ApiError('parameter_invalid', `Invalid ${where} \`${param}\`: nested more than ${MAX_DEPTH} levels deep.`, param);
    case 'prototype_key': {
      const parent = problem.path.slice(0, -1);
      if (part !== 'body' || knownKeysAt(schema, parent).length > 0) {
        return new ApiError('parameter_unknown', `Unknown ${where} \`${param}\`: this endpoint does not take it.`, param);
      }
      return new ApiError('parameter_invalid', `Invalid ${where} \`${param}\`: \`${problem.path[problem.path.length - 1]}\` is not a valid key here.`, param);
    }
  }
}

/**
 * The query string's own encoding (API.md §5): each name and value must be valid percent-encoded UTF-8. The
 * query parser leaves a broken sequence (`%FF`, `%C3%28`, a bare `%`) in place as literal text, which would
 * then pass for a well-formed string; refused here instead. `url` is the raw request target. Errors:
 * `parameter_invalid`, `param` naming the parameter when its name can be read.
 */
export function queryEncodingRefusal(url: string): ApiError | undefined {
  const at = url.indexOf('?');
  if (at < 0) return undefined;
  for (const pair of url.slice(at + 1).split('&')) {
    const eq = pair.indexOf('=');
    const rawName = eq < 0 ? pair : pair.slice(0, eq);
    let name: string | undefined;
    try {
      name = decodeURIComponent(rawName.replace(/\+/g, ' '));
      if (eq >= 0) decodeURIComponent(pair.slice(eq + 1).replace(/\+/g, ' '));
    } catch {
      const shown = name !== undefined && !FORBIDDEN_CONTROL.test(name) && name.length <= 100 ? name : undefined;
      return new ApiError('parameter_invalid', `Invalid query parameter${shown !== undefined ? ` \`${shown}\`` : ''}: not valid percent-encoded UTF-8.`, shown);
    }
  }
  return undefined;
}
