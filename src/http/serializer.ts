import type { FastifySerializerCompiler } from 'fastify/types/schema.js';
import fastJson from 'fast-json-stringify';
import { z } from 'zod';

/**
 * Response serialisation from the route's Zod schema, compiled once to fast-json-stringify. As with a Zod
 * parse, fields the schema doesn't name are dropped (nothing internal can leak), but at a fraction of the
 * cost of re-parsing every response (STACK.md: serialisation is a large share of a small read).
 */
export const serializerCompiler: FastifySerializerCompiler<z.ZodType> = ({ schema }) => {
  const json = z.toJSONSchema(schema, { target: 'draft-7', io: 'output', unrepresentable: 'any' }) as Record<string, unknown>;
  delete json.$schema;
  const stringify = fastJson(flattenNullable(json) as never) as (data: unknown) => string;
  // Services hand back the very same object for an unchanged answer (memoised pages): serialise it once.
  const done = new WeakMap<object, string>();
  return (data: unknown) => {
    if (data === null || typeof data !== 'object') return stringify(data);
    let text = done.get(data);
    if (text === undefined) {
      text = stringify(data);
      done.set(data, text);
    }
    return text;
  };
};

type JsonSchema = Record<string, unknown>;

/**
 * Zod writes `x | null` as `anyOf: [{type: x}, {type: 'null'}]`. fast-json-stringify resolves `anyOf` by
 * running a validator on every value, which made nullable fields the most expensive part of a response;
 * `type: [x, 'null']` says the same and serialises directly.
 */
export function flattenNullable(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(flattenNullable);
  if (node === null || typeof node !== 'object') return node;
  const out: JsonSchema = {};
  for (const [k, v] of Object.entries(node as JsonSchema)) out[k] = flattenNullable(v);
  const anyOf = out.anyOf as JsonSchema[] | undefined;
  if (Array.isArray(anyOf) && anyOf.length === 2) {
    const nullIndex = anyOf.findIndex((b) => b.type === 'null' && Object.keys(b).length === 1);
    const other = anyOf[1 - nullIndex];
    if (nullIndex >= 0 && other && typeof other.type === 'string' && !('anyOf' in other)) {
      const { anyOf: _drop, ...rest } = out;
      return { ...rest, ...other, type: [other.type, 'null'] };
    }
  }
  return out;
}
