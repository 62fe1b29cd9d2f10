// What the API fuzz test throws at Berth: valid bodies per endpoint, the same bodies mutated
// (wrong types, out-of-range numbers, huge strings, nulls, nested junk, unknown or missing fields),
// arbitrary JSON, raw text that is barely JSON, and random query strings.
import fc from 'fast-check';
import type { Arbitrary } from 'fast-check';
import { appStatuses, appTypes, limits, readinessTypes, sourceTypes, visibilities } from '../../src/domain/app.js';
import { scopes } from '../../src/domain/scopes.js';

export type Body = Record<string, unknown>;

/** One request's payload: a value sent as JSON, or raw text with a content type of its own. */
export type Payload = { kind: 'json'; value: unknown } | { kind: 'raw'; text: string; contentType: string | null };

const inRange = (range: { min: number; max: number }) => fc.integer({ min: range.min, max: range.max });
/** Stored by the test before fuzzing, so some valid bodies clash with them (409). */
export const taken = { slugs: ['fuzz-target', 'fuzz-other'], domain: 'taken.example.test' } as const;

const word = fc.stringMatching(/^[a-z][a-z0-9]{0,11}$/);
const slug = fc.oneof(
  { arbitrary: fc.tuple(word, fc.nat({ max: 1e9 })).map(([w, n]) => `${w}-${n.toString(36)}`), weight: 9 },
  { arbitrary: fc.constantFrom(...taken.slugs), weight: 1 },
);
const farFuture = fc
  .integer({ min: 2, max: 3650 })
  .map((days) => new Date(Date.now() + days * 86_400_000).toISOString());
/** Timestamps at the edges of RFC 3339 and of JavaScript dates: leap seconds, Feb 29, year 9999, the past. */
const edgyTimestamp = fc.oneof(
  fc.constantFrom(
    '2030-06-30T23:59:60Z',
    '2030-07-01T01:59:60+02:00',
    '2031-02-29T00:00:00Z',
    '2032-02-29T00:00:00Z',
    '2030-01-01t00:00:00z',
    '2030-01-01 00:00:00Z',
    '2030-01-01T00:00:00.123456789Z',
    '2030-01-01T00:00:00+23:59',
    '2030-13-01T00:00:00Z',
    '9999-12-31T23:59:59.999Z',
    '0000-01-01T00:00:00Z',
    '1970-01-01T00:00:00Z',
    '2030-01-01',
  ),
  fc
    .date({ min: new Date(-62_000_000_000_000), max: new Date(253_402_300_799_000), noInvalidDate: true })
    .map((d) => d.toISOString()),
);
const expiry = fc.oneof({ arbitrary: farFuture, weight: 3 }, { arbitrary: edgyTimestamp, weight: 1 });

const appFields = {
  name: fc.string({ minLength: 1, maxLength: 100 }).filter((s) => s.trim() !== '' && !s.includes('\0')),
  slug,
  description: fc.option(fc.string({ maxLength: 200 }).filter((s) => !s.includes('\0'))),
  type: fc.constantFrom(...appTypes.filter((t) => t !== 'cron')),
  gitRepoUrl: fc.option(word.map((w) => `https://github.com/org/${w}`)),
  gitBranch: fc.constantFrom('main', 'develop', 'release/1.2'),
  gitInstallationId: fc.option(fc.nat().map(String)),
  dockerfilePath: fc.option(fc.constantFrom('Dockerfile', 'deploy/Dockerfile')),
  autoDeploy: fc.boolean(),
  releaseCommand: fc.option(fc.constantFrom('npm run migrate', 'echo ready')),
  visibility: fc.constantFrom(...visibilities),
  cpuLimitMillicores: inRange(limits.cpuMillicores),
  memoryLimitMi: inRange(limits.memoryMi),
  cpuTargetUtilization: inRange(limits.cpuTarget),
  readinessPath: fc.constantFrom('/', '/healthz', '/ready?full=1'),
  readinessType: fc.constantFrom(...readinessTypes),
};

const replicas = fc
  .tuple(inRange(limits.replicas), inRange(limits.replicas))
  .map(([a, b]) => ({ minReplicas: Math.min(a, b), maxReplicas: Math.max(a, b) }));

const createApp: Arbitrary<Body> = fc
  .tuple(fc.record(appFields, { requiredKeys: ['name', 'slug'] }), fc.option(replicas, { nil: undefined }))
  .map(([fields, r]) => ({ ...fields, ...r }));

const patchApp: Arbitrary<Body> = fc
  .tuple(fc.record(appFields, { requiredKeys: [] }), fc.option(replicas, { nil: undefined }))
  .map(([fields, r]) => ({ ...fields, ...r }));

const source: Arbitrary<Body> = fc.oneof(
  fc.record(
    {
      type: fc.constant('GIT'),
      gitRepoUrl: appFields.gitRepoUrl.map((u) => u ?? 'https://github.com/org/x'),
      gitBranch: fc.option(appFields.gitBranch),
    },
    { requiredKeys: ['type', 'gitRepoUrl'] },
  ),
  fc.record({ type: fc.constant('UPLOAD') }),
  fc.record(
    {
      type: fc.constant('IMAGE'),
      imageRef: fc.constantFrom('nginx:1.27', 'ghcr.io/org/app:v2', 'registry.example.com/org/app'),
      imageRegistryAuthRef: fc.option(word),
    },
    { requiredKeys: ['type', 'imageRef'] },
  ),
);

const envVar = fc.record(
  {
    key: fc
      .stringMatching(/^[A-Z_][A-Z0-9_]{0,30}$/)
      .filter((k) => !['PORT', 'BERTH_APP_ID', 'BERTH_REVISION', 'CORTEXDB_CONNECTION', 'HARBOR_PROJECT'].includes(k)),
    value: fc.string({ maxLength: 200 }).filter((s) => !s.includes('\0')),
    isSecret: fc.boolean(),
  },
  { requiredKeys: ['key', 'value'] },
);

const share: Arbitrary<Body> = fc.record(
  { expiresAt: fc.option(expiry), requireAuth: fc.boolean() },
  { requiredKeys: [] },
);

const domain: Arbitrary<Body> = fc.record(
  {
    domain: fc.oneof(
      {
        arbitrary: fc.tuple(word, fc.nat({ max: 1e9 })).map(([w, n]) => `${w}-${n.toString(36)}.example.test`),
        weight: 9,
      },
      { arbitrary: fc.constantFrom(taken.domain, taken.domain.toUpperCase(), `${taken.domain}.`), weight: 1 },
    ),
    targetPort: fc.option(fc.integer({ min: 1, max: 65535 })),
  },
  { requiredKeys: ['domain'] },
);

const apiKey: Arbitrary<Body> = fc.record(
  {
    name: fc.string({ minLength: 1, maxLength: 100 }).filter((s) => s.trim() !== '' && !s.includes('\0')),
    scopes: fc.subarray([...scopes], { minLength: 1 }),
    expiresAt: fc.option(expiry),
  },
  { requiredKeys: ['name', 'scopes'] },
);

/** Plausible bodies of each create and update endpoint: mostly valid, some clash with stored data (409) or carry an edgy timestamp. */
export const validBodies = {
  createApp,
  patchApp,
  source,
  envVar: envVar as Arbitrary<Body>,
  bulkEnvVars: fc.array(envVar, { minLength: 1, maxLength: 8 }).map((vars) => ({ vars })) as Arbitrary<Body>,
  share,
  domain,
  apiKey,
};

const hugeString = fc.integer({ min: 1_000, max: 1_300_000 }).map((n) => 'x'.repeat(n));
const outOfRange = fc.constantFrom(
  -1,
  0,
  0.5,
  49,
  63,
  101,
  32_001,
  131_073,
  2 ** 31,
  2 ** 53 + 2,
  -(2 ** 63),
  1e308,
  -1e308,
  5e-324,
);
const nested = fc.integer({ min: 2, max: 3000 }).map((depth) => {
  let value: unknown = 'deep';
  for (let i = 0; i < depth; i++) value = i % 2 === 0 ? [value] : { a: value };
  return value;
});
const oddKeys = fc.constantFrom(
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  '',
  ' ',
  'name ',
  'NAME',
  'a.b',
  '$ref',
);

/** Anything that could sit where a field's value belongs. */
export const junk: Arbitrary<unknown> = fc.oneof(
  { arbitrary: fc.constant(null), weight: 3 },
  { arbitrary: fc.jsonValue({ maxDepth: 3 }), weight: 4 },
  { arbitrary: outOfRange, weight: 3 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 40 }), weight: 2 },
  {
    arbitrary: fc.constantFrom(
      '',
      ' ',
      '\t\n',
      '\u0000',
      'null',
      '1',
      'true',
      '0x10',
      '../../etc/passwd',
      'http://x',
      'javascript:alert(1)',
      'a'.repeat(300),
    ),
    weight: 3,
  },
  {
    arbitrary: fc.constantFrom(
      ...appTypes,
      ...appStatuses,
      ...sourceTypes,
      ...scopes,
      'WEB',
      'git',
      'IMAGE ',
      'apps:*',
    ),
    weight: 2,
  },
  { arbitrary: edgyTimestamp, weight: 1 },
  { arbitrary: hugeString, weight: 1 },
  { arbitrary: nested, weight: 1 },
  { arbitrary: fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 600 }), weight: 1 },
);

type Mutation = (body: Body) => Body;

const mutation: Arbitrary<Mutation> = fc.oneof(
  // a known field gets a value of the wrong kind
  fc.tuple(fc.nat(), junk).map(([i, value]): Mutation => (body) => {
    const keys = Object.keys(body);
    const key = keys.length > 0 ? keys[i % keys.length] : 'name';
    return { ...body, [key ?? 'name']: value };
  }),
  // a required or optional field goes missing
  fc.nat().map((i): Mutation => (body) => {
    const keys = Object.keys(body);
    const drop = keys[i % Math.max(1, keys.length)];
    return Object.fromEntries(Object.entries(body).filter(([key]) => key !== drop));
  }),
  // unknown fields, including ones named like Object.prototype members
  fc.tuple(fc.oneof(oddKeys, fc.string({ maxLength: 12 })), junk).map(([key, value]): Mutation => (body) => {
    const copy: Body = { ...body };
    Object.defineProperty(copy, key, { value, enumerable: true, writable: true, configurable: true });
    return copy;
  }),
  // an array field holds junk items
  fc.array(junk, { minLength: 1, maxLength: 4 }).map((items): Mutation => (body) => {
    const key = Object.keys(body).find((k) => Array.isArray(body[k]));
    return key ? { ...body, [key]: [...(body[key] as unknown[]), ...items] } : body;
  }),
);

function mutated(valid: Arbitrary<Body>): Arbitrary<Body> {
  return fc
    .tuple(valid, fc.array(mutation, { minLength: 1, maxLength: 3 }))
    .map(([body, mutations]) => mutations.reduce((b, m) => m(b), body));
}

/** Text that is not quite a JSON object, or JSON in a content type Berth does not take. */
const rawText: Arbitrary<Payload> = fc.oneof(
  fc
    .constantFrom(
      '{',
      '{"name": }',
      '{"name":"a",}',
      "{'name':'a'}",
      '{"cpuLimitMillicores": 1e400}',
      '{"cpuLimitMillicores": -0, "memoryLimitMi": 1.0}',
      '{"name":"a","name":"b","slug":"dup-keys"}',
      '{"name":"\\ud800","slug":"lone-surrogate"}',
      '{"name":"a\\u0000b","slug":"nul"}',
      '[]',
      '"just a string"',
      '42',
      'null',
      'true',
      '\uFEFF{"name":"bom","slug":"bom"}',
      '   ',
      '{"__proto__":{"isAdmin":true},"name":"p","slug":"proto"}',
    )
    .map((text): Payload => ({ kind: 'raw', text, contentType: 'application/json' })),
  fc
    .string({ unit: 'binary', maxLength: 200 })
    .map((text): Payload => ({ kind: 'raw', text, contentType: 'application/json' })),
  fc
    .tuple(
      fc.jsonValue({ maxDepth: 2 }),
      fc.constantFrom(
        'text/plain',
        'application/x-www-form-urlencoded',
        'multipart/form-data; boundary=x',
        'application/json; charset=utf-16',
        'application/jsonx',
        'APPLICATION/JSON',
        'application/json; charset=latin1',
        'application/vnd.api+json',
      ),
    )
    .map(([value, contentType]): Payload => ({ kind: 'raw', text: JSON.stringify(value) ?? 'null', contentType })),
);

/** Every kind of payload for an endpoint whose valid bodies `valid` describes. */
export function payloads(valid: Arbitrary<Body>): Arbitrary<Payload> {
  const json = (value: Arbitrary<unknown>) => value.map((v): Payload => ({ kind: 'json', value: v }));
  return fc.oneof(
    { arbitrary: json(valid), weight: 2 },
    { arbitrary: json(mutated(valid)), weight: 8 },
    { arbitrary: json(fc.dictionary(fc.string({ maxLength: 20 }), junk, { maxKeys: 6 })), weight: 2 },
    { arbitrary: json(fc.jsonValue({ maxDepth: 4 })), weight: 2 },
    { arbitrary: rawText, weight: 2 },
  );
}

const queryKey = fc.oneof(
  fc.constantFrom(
    'page',
    'limit',
    'type',
    'status',
    'search',
    'page[]',
    'limit[0]',
    'sort',
    '__proto__',
    'constructor',
    'hasOwnProperty',
    '',
  ),
  fc.string({ maxLength: 10 }),
);
const queryValue = fc.oneof(
  fc.constantFrom(
    '',
    '0',
    '-1',
    '1',
    '2',
    '1e3',
    '1.5',
    '100',
    '101',
    '1000001',
    'NaN',
    'Infinity',
    '0x10',
    ' 1',
    'true',
    'null',
    '[]',
    '%',
  ),
  fc.constantFrom(...appTypes, ...appStatuses, 'WEB', 'all'),
  fc.integer().map(String),
  fc.double().map(String),
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.integer({ min: 150, max: 20_000 }).map((n) => 'q'.repeat(n)),
);

/** A query string (without `?`): encoded pairs, repeated keys, or raw malformed fragments. */
export const queryString: Arbitrary<string> = fc.oneof(
  { arbitrary: fc.constant(''), weight: 1 },
  {
    arbitrary: fc
      .array(fc.tuple(queryKey, queryValue), { maxLength: 6 })
      .map((pairs) => pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&')),
    weight: 6,
  },
  {
    arbitrary: fc.constantFrom(
      '%',
      '%zz',
      'page=%E0%A4%A',
      '&&&',
      '=',
      'page',
      'page=1&page=2',
      'limit=10&limit=x',
      'search=%00',
      'search[a]=1',
      'page=1;limit=2',
      '?page=2',
      'search=a+b%2Bc',
    ),
    weight: 2,
  },
);
