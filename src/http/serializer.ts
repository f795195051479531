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
  return fastJson(json as never) as (data: unknown) => string;
};
