// One readable line per field problem, with unions (enums, nullables) folded into one line.
import { Type } from '@sinclair/typebox';
import { describe, expect, it } from 'vitest';
import { createValidatorCompiler } from './ajv-compilers.js';
import { validationMessages } from './validation-messages.js';

const schema = Type.Object({
  kind: Type.Union([Type.Literal('web'), Type.Literal('api')]),
  note: Type.Optional(Type.Union([Type.String({ maxLength: 3 }), Type.Null()])),
  when: Type.Optional(Type.Union([Type.String({ format: 'date-time' }), Type.Null()])),
  tags: Type.Optional(Type.Array(Type.Union([Type.Literal('a'), Type.Literal('b')]))),
  provider: Type.Optional(Type.Union([Type.Literal('A'), Type.Literal('B'), Type.Null()])),
  count: Type.Optional(Type.Integer({ minimum: 1 })),
});

function messagesFor(body: unknown): string[] {
  const validate = createValidatorCompiler()({ schema, method: 'POST', url: '/', httpPart: 'body' }) as {
    (data: unknown): boolean;
    errors?: Parameters<typeof validationMessages>[0] | null;
  };
  expect(validate(body)).toBe(false);
  return validationMessages(validate.errors ?? [], 'body');
}

describe('validationMessages', () => {
  it('names the allowed values of a union of literals once', () => {
    expect(messagesFor({ kind: 'cron' })).toEqual(['kind must be one of: web, api']);
    expect(messagesFor({ kind: 'web', tags: ['a', 'c', 5] })).toEqual([
      'tags[1] must be one of: a, b',
      'tags[2] must be one of: a, b',
    ]);
  });

  it('folds the types of a nullable field, and keeps only the alternative the value matched', () => {
    expect(messagesFor({ kind: 'web', note: 5 })).toEqual(['note must be of type string or null']);
    expect(messagesFor({ kind: 'web', note: 'long' })).toEqual(['note must NOT have more than 3 characters']);
    expect(messagesFor({ kind: 'web', when: 'soon' })).toEqual(['when must match format "date-time"']);
  });

  it('names null among the values of a nullable enum, in one line', () => {
    expect(messagesFor({ kind: 'web', provider: 'c' })).toEqual(['provider must be one of: A, B, null']);
    expect(messagesFor({ kind: 'web', provider: 5 })).toEqual(['provider must be one of: A, B, null']);
  });

  it('lists every field problem', () => {
    expect(messagesFor({ count: 1.5 })).toEqual(['kind is required', 'count must be an integer']);
    expect(messagesFor({ kind: 'x', count: 0 })).toEqual(['kind must be one of: web, api', 'count must be >= 1']);
  });
});
