// JSON bodies only (text/plain and others get 415). An absent or empty body is read as `{}`,
// so body-less POSTs and PATCHes whose fields are all optional work; malformed JSON is a 400.
// NUL characters are refused in bodies and URLs alike: PostgreSQL text cannot hold them and no
// Berth field needs one, so both store backends answer the same 400 instead of one of them a 500.
import type { FastifyInstance } from 'fastify';
import { DomainError } from '../domain/errors.js';

const nulEscape = '\\u0000';

function parseJson(text: string): unknown {
  // A NUL can only reach a parsed string through a \u0000 escape (a raw one is invalid JSON).
  if (!text.includes(nulEscape)) return JSON.parse(text) as unknown;
  return JSON.parse(text, (key, value: unknown) => {
    if (key.includes('\0') || (typeof value === 'string' && value.includes('\0'))) {
      throw new DomainError('invalid', 'Request body must not contain NUL (\\u0000) characters');
    }
    return value;
  }) as unknown;
}

export function installJsonParser(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') return done(null, undefined);
    try {
      done(null, parseJson(text));
    } catch (error) {
      // Fastify's own code for it, so every dialect's presenter knows it as malformed JSON.
      done(error instanceof DomainError ? error : Object.assign(new SyntaxError('Malformed JSON body'), { statusCode: 400, code: 'FST_ERR_CTP_INVALID_JSON_BODY' }), undefined);
    }
  });
  app.addHook('onRequest', async (request) => {
    if (request.url.includes('%00'))
      throw new DomainError('invalid', 'Request URL must not contain NUL (%00) characters');
  });
  // Runs before schema validation, which would otherwise refuse `undefined` as "not an object".
  app.addHook('preValidation', async (request) => {
    if (request.body === undefined) request.body = {};
  });
}
