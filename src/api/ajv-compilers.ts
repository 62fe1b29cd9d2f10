// Two validators: request bodies are checked strictly (no type coercion: "5" is not 5), while
// query strings and path params, which are always text on the wire, are coerced.
import { Ajv } from 'ajv';
import type { Format, Options } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';

/** A format as a plain predicate (ajv-formats gives a definition object, a function or a RegExp). */
function predicate(format: Format): (value: string) => boolean {
  const check = typeof format === 'object' && !(format instanceof RegExp) ? format.validate : format;
  if (typeof check === 'function') return (value) => (check as (v: string) => unknown)(value) === true;
  const pattern = typeof check === 'string' ? new RegExp(check) : check;
  return (value) => (pattern === true ? true : pattern.test(value));
}

/**
 * RFC 3339 allows a leap second (`…T23:59:60Z`) that a JavaScript Date cannot hold, so
 * `new Date(value)` behind a valid `date-time` field would be Invalid Date. Refused here, once,
 * for every date-time field of every dialect.
 */
function representableDateTime(): (value: string) => boolean {
  const rfc3339 = predicate(addFormats.default.get('date-time', 'full'));
  return (value) => rfc3339(value) && !Number.isNaN(Date.parse(value));
}

function makeAjv(options: Options): Ajv {
  // verbose: errors carry their schema, so a pattern can name its rule in words (`x-pattern-message`).
  const ajv = new Ajv({ allErrors: true, verbose: true, removeAdditional: false, useDefaults: true, strict: false, ...options });
  addFormats.default(ajv);
  ajv.addFormat('date-time', { type: 'string', validate: representableDateTime() });
  return ajv;
}

export function createValidatorCompiler(): FastifySchemaCompiler<unknown> {
  const strict = makeAjv({ coerceTypes: false });
  const coercing = makeAjv({ coerceTypes: 'array' });
  return ({ schema, httpPart }) => (httpPart === 'body' ? strict : coercing).compile(schema as object);
}
