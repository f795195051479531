import type { FastifySchemaCompiler } from 'fastify';
import type { z } from 'zod';
import { ApiError } from './errors.js';
import { suggestNames } from '../lib/suggest.js';

type Issue = z.core.$ZodIssue & { input?: unknown };

function dotted(path: readonly PropertyKey[]): string | undefined {
  return path.length ? path.map(String).join('.') : undefined;
}

/** Zod's first issue → parameter_missing / parameter_invalid / parameter_unknown with `param` (API.md §2). */
/**
 * For a union (e.g. `client`: an id or an object), report the branch the caller evidently meant: the one
 * whose type matched, so a bad `client.phone` is named as such rather than as a bad `client`.
 */
function unwrapUnion(issue: Issue): Issue {
  if (issue.code !== 'invalid_union' || !('errors' in issue) || !issue.errors.length) return issue;
  const branch = issue.errors.find((errs) => !errs.some((e) => e.code === 'invalid_type' && e.path.length === 0));
  const inner = branch?.[0] as Issue | undefined;
  if (!inner) return issue;
  return unwrapUnion({ ...inner, path: [...issue.path, ...inner.path] } as Issue);
}

/**
 * The field names an object schema takes at `path` (through optional, nullable, default, pipe, union, array
 * and record wrappers), for "did you mean" and the text rule; empty when the path leads nowhere known or to a
 * map (a record's keys are not named fields).
 */
export function knownKeysAt(schema: z.ZodType | undefined, path: readonly PropertyKey[]): string[] {
  const def = (schema as { _zod?: { def: Record<string, any> } } | undefined)?._zod?.def;
  if (!def) return [];
  switch (def.type) {
    case 'optional': case 'nullable': case 'default': case 'prefault': case 'readonly': case 'catch': case 'nonoptional':
      return knownKeysAt(def.innerType, path);
    case 'pipe':
      return knownKeysAt(def.in, path);
    case 'union':
      return [...new Set((def.options as z.ZodType[]).flatMap((o) => knownKeysAt(o, path)))];
    case 'array':
      return typeof path[0] === 'number' ? knownKeysAt(def.element, path.slice(1)) : [];
    case 'record':
      return path.length ? knownKeysAt(def.valueType, path.slice(1)) : [];
    case 'object':
      return path.length ? knownKeysAt(def.shape[path[0] as string], path.slice(1)) : Object.keys(def.shape);
    default:
      return [];
  }
}

const quoteList = (names: string[]) => names.map((n) => `\`${n}\``).join(' or ');

/** `schema` (the route's, for this part of the request) lets an unknown field name the one probably meant. */
export function issueToApiError(rawIssues: readonly Issue[], part: string, schema?: z.ZodType): ApiError {
  const issues = rawIssues.map(unwrapUnion);
  // Report unknown fields first: a misspelt field often also shows up as a missing one.
  const issue = issues.find((i) => i.code === 'unrecognized_keys') ?? issues[0]!;
  const where = part === 'querystring' ? 'query parameter' : part === 'headers' ? 'header' : 'field';
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0]!;
    const param = dotted([...issue.path, key])!;
    const suggestions = suggestNames(key, knownKeysAt(schema, issue.path));
    const hint = suggestions.length ? ` Did you mean ${quoteList(suggestions)}?` : '';
    return new ApiError('parameter_unknown', `Unknown ${where} \`${param}\`: this endpoint does not take it.${hint}`, param);
  }
  const param = dotted(issue.path);
  if ((issue.code === 'invalid_type' || issue.code === 'invalid_union') && issue.input === undefined && param) {
    return new ApiError('parameter_missing', `Missing required ${where} \`${param}\`.`, param);
  }
  const message = param ? `Invalid ${where} \`${param}\`: ${issue.message}` : `Invalid request: ${issue.message}`;
  return new ApiError('parameter_invalid', message, param);
}

/**
 * Validates with the route's Zod schema. An absent body validates as `{}` so that each missing required
 * field is named; a path parameter that fails its schema is simply an unknown resource (404).
 */
export const validatorCompiler: FastifySchemaCompiler<z.ZodType> = ({ schema, httpPart }) => {
  // Most list calls send no query at all: its parse (all defaults) is the same every time.
  let emptyQuery: { value: unknown } | undefined;
  return (data) => {
    if (httpPart === 'querystring' && data && typeof data === 'object' && Object.keys(data).length === 0) {
      if (!emptyQuery) {
        const r = schema.safeParse({});
        if (r.success) emptyQuery = { value: Object.freeze(r.data) };
      }
      if (emptyQuery) return { value: emptyQuery.value };
    }
    return validate(schema, httpPart, data);
  };
};

function validate(schema: z.ZodType, httpPart: string | undefined, data: unknown) {
  // No body at all (or JSON `null`, which many clients send for "no body") validates as `{}`, so that each
  // missing required field is named; a body that is JSON but not an object (`[]`, `"x"`, `1`) is refused as such.
  if (httpPart === 'body' && data !== undefined && data !== null && (typeof data !== 'object' || Array.isArray(data))) {
    return { error: new ApiError('parameter_invalid', 'The request body must be a JSON object.') };
  }
  const input = httpPart === 'body' && (data === undefined || data === null) ? {} : data;
  const result = schema.safeParse(input, { reportInput: true });
  if (result.success) return { value: result.data };
  if (httpPart === 'params') return { error: new ApiError('resource_not_found', 'No such resource.') };
  return { error: issueToApiError(result.error.issues as Issue[], httpPart ?? 'body', schema) };
}
