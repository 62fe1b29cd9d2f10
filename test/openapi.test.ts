// The OpenAPI document: the checked-in docs/openapi.json matches the code, it is OpenAPI 3 and
// lists every route Berth serves under /api/v1, a running Berth serves the same document, and
// /docs is a reference page whose HTML and assets all come from Berth itself (works offline).
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateOpenApi, openApiFile, stableJson } from '../scripts/openapi-document.js';
import { startTestBerth } from './support/test-berth.js';
import type { TestBerth } from './support/test-berth.js';

const methods = ['get', 'post', 'put', 'patch', 'delete'] as const;

/** The issue-2 surface, written out so the document cannot silently lose a route Berth must have. */
const foundationRoutes = [
  'GET /api/v1/api-keys/whoami',
  'GET /api/v1/workspaces/{wsId}/api-keys',
  'POST /api/v1/workspaces/{wsId}/api-keys',
  'DELETE /api/v1/workspaces/{wsId}/api-keys/{keyId}',
  'GET /api/v1/workspaces/{wsId}/data-products',
  'GET /api/v1/workspaces/{wsId}/apps',
  'POST /api/v1/workspaces/{wsId}/apps',
  'GET /api/v1/workspaces/{wsId}/apps/stats',
  'GET /api/v1/workspaces/{wsId}/apps/{appId}',
  'PATCH /api/v1/workspaces/{wsId}/apps/{appId}',
  'DELETE /api/v1/workspaces/{wsId}/apps/{appId}',
  'DELETE /api/v1/workspaces/{wsId}/apps/{appId}/permanent',
  'GET /api/v1/workspaces/{wsId}/apps/{appId}/pipeline-state',
  'GET /api/v1/workspaces/{wsId}/apps/{appId}/public-shares',
  'POST /api/v1/workspaces/{wsId}/apps/{appId}/public-shares',
  'DELETE /api/v1/workspaces/{wsId}/apps/{appId}/public-shares/{shareId}',
  'GET /api/v1/workspaces/{wsId}/apps/{appId}/domains',
  'POST /api/v1/workspaces/{wsId}/apps/{appId}/domains',
  'DELETE /api/v1/workspaces/{wsId}/apps/{appId}/domains/{domainId}',
  'GET /api/v1/workspaces/{wsId}/apps/{appId}/source',
  'PATCH /api/v1/workspaces/{wsId}/apps/{appId}/source',
  'GET /api/v1/workspaces/{wsId}/apps/{appId}/env-vars',
  'POST /api/v1/workspaces/{wsId}/apps/{appId}/env-vars',
  'POST /api/v1/workspaces/{wsId}/apps/{appId}/env-vars/bulk',
  'DELETE /api/v1/workspaces/{wsId}/apps/{appId}/env-vars/{envVarId}',
];

/** The Apps API's surface (spec 002, issue 13), under its own tag. */
const appsV1Routes = [
  'GET /api/v1/apps',
  'POST /api/v1/apps',
  'GET /api/v1/apps/{id}',
  'PATCH /api/v1/apps/{id}',
  'DELETE /api/v1/apps/{id}',
  'POST /api/v1/apps/{id}/deploy',
  'POST /api/v1/apps/{id}/restart',
  'POST /api/v1/apps/{id}/build',
  'GET /api/v1/apps/{id}/status',
  'GET /api/v1/apps/{id}/pods',
  'GET /api/v1/apps/{id}/logs',
  'GET /api/v1/apps/{id}/build-log',
  'GET /api/v1/apps/{id}/metrics',
  'GET /api/v1/apps/{id}/deployments',
  'POST /api/v1/apps/{id}/deployments/{deploymentId}/revert',
  'GET /api/v1/apps/{id}/events',
  'GET /api/v1/apps/{id}/audit',
  'GET /api/v1/templates',
];

/** The REST dialect's surface (spec 003, issue 14), under its own tag. */
const restRoutes = [
  'GET /api/apps',
  'POST /api/apps',
  'GET /api/apps/{id}',
  'PATCH /api/apps/{id}',
  'DELETE /api/apps/{id}',
  'POST /api/apps/{id}/restore',
  'DELETE /api/apps/{id}/purge',
  'GET /api/apps/{id}/versions',
  'POST /api/apps/{id}/versions',
  'GET /api/app-versions/{id}/files',
  'POST /api/app-versions/{id}/files',
  'PATCH /api/app-versions/{id}/files',
  'DELETE /api/app-versions/{id}/files',
  'GET /api/app-versions/{id}/files/read',
  'GET /api/apps/{id}/env',
  'PUT /api/apps/{id}/env',
  'DELETE /api/apps/{id}/env',
  'GET /api/apps/{id}/domain',
  'PUT /api/apps/{id}/domain',
  'DELETE /api/apps/{id}/domain',
];

interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string };
  paths: Record<string, Partial<Record<(typeof methods)[number], { responses?: Record<string, unknown> }>>>;
  components?: Record<string, Record<string, unknown>>;
}

function operations(doc: OpenApiDocument): string[] {
  return Object.entries(doc.paths).flatMap(([route, item]) =>
    methods.filter((method) => item[method]).map((method) => `${method.toUpperCase()} ${route}`),
  );
}

/** Every `METHOD /path` the server routes, read from fastify's route tree (`:param` written `{param}`). */
function servedRoutes(tree: string): string[] {
  const stack: string[] = [];
  return tree.split('\n').flatMap((line) => {
    const match = /^([│ ]*)[├└]── (\S+)(?: \(([^)]*)\))?$/.exec(line);
    if (!match) return [];
    const depth = (match[1] ?? '').length / 4;
    stack.length = depth;
    stack.push(match[2] ?? '');
    const full = stack
      .join('')
      .replace(/\/\//g, '/')
      .replace(/:(\w+)/g, '{$1}');
    return (match[3] ?? '')
      .split(', ')
      .filter((method) => method !== '' && method !== 'HEAD')
      .map((method) => `${method} ${full}`);
  });
}

function refs(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(refs);
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, inner]) =>
    key === '$ref' && typeof inner === 'string' ? [inner] : refs(inner),
  );
}

/** XML namespace names are identifiers (SVG data URIs carry them), never fetched. */
const namespaceUri = /^http:\/\/www\.w3\.org\/(2000\/svg|1999\/xlink|1999\/xhtml|XML\/1998\/namespace)$/;

function externalUrls(text: string, origin: string): string[] {
  const code = text.replace(/^\s*\/\/.*$/gm, ''); // whole-line comments are not references
  const urls = code.match(/https?:\/\/[^\s"'`<>()\\]+/g) ?? [];
  return [...new Set(urls)].filter((url) => !url.startsWith(`${origin}/`) && url !== origin && !namespaceUri.test(url));
}

/** A URL in a position where a browser would load it: src/href attributes, CSS url() and @import, fetch(). */
const loadedExternally =
  /(?:\bsrc\s*[=:]\s*|\bhref\s*[=:]\s*|url\(\s*|@import\s+|fetch\(\s*|importScripts\(\s*)["'`]?(?:https?:)?\/\/[^/]/;

describe('OpenAPI document', () => {
  let t: TestBerth;
  let generated: OpenApiDocument;

  beforeAll(async () => {
    [t, generated] = await Promise.all([
      startTestBerth('sqlite'),
      generateOpenApi() as Promise<unknown> as Promise<OpenApiDocument>,
    ]);
  });
  afterAll(async () => t?.close());

  it(`${openApiFile} is what the code generates`, async () => {
    const file = path.resolve(import.meta.dirname, '..', openApiFile);
    const checkedIn = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
    expect(
      checkedIn === (await stableJson(generated)),
      `${openApiFile} is out of date: run \`npm run openapi\` and commit the result`,
    ).toBe(true);
  });

  it('is OpenAPI 3 with an info block, responses on every operation and no dangling $ref', () => {
    expect(generated.openapi).toMatch(/^3\.\d+\.\d+$/);
    expect(generated.info).toMatchObject({ title: expect.any(String), version: expect.any(String) });
    for (const [route, item] of Object.entries(generated.paths)) {
      for (const method of methods) {
        const operation = item[method];
        if (operation) expect(Object.keys(operation.responses ?? {}), `${method} ${route}`).not.toHaveLength(0);
      }
    }
    for (const ref of refs(generated)) {
      const [, section, name] = /^#\/components\/(\w+)\/(.+)$/.exec(ref) ?? [];
      expect(section && name ? generated.components?.[section]?.[name] : undefined, ref).toBeDefined();
    }
  });

  it('documents every route Berth serves under /api/v1 and the REST paths, and the whole issue-2 surface', () => {
    const documented = operations(generated);
    const served = servedRoutes(t.berth.api.printRoutes({ commonPrefix: false })).filter((route) =>
      /^\/api\/(v1\/|apps|app-)/.test(route.split(' ')[1] ?? ''),
    );
    expect(served.length).toBeGreaterThanOrEqual(foundationRoutes.length);
    expect(served.filter((route) => !documented.includes(route))).toEqual([]);
    expect(foundationRoutes.filter((route) => !documented.includes(route))).toEqual([]);
    expect(appsV1Routes.filter((route) => !documented.includes(route))).toEqual([]);
    expect(restRoutes.filter((route) => !documented.includes(route))).toEqual([]);
    expect(documented.filter((route) => !served.includes(route))).toEqual([]);
  });

  it('gives each dialect its own part: the Apps API under its tag with its own error shape, Dooor’s with NestJS errors', () => {
    for (const route of appsV1Routes) {
      const [method, path] = route.split(' ') as [string, string];
      const operation = generated.paths[path]?.[method.toLowerCase() as (typeof methods)[number]] as { tags?: string[]; responses?: Record<string, unknown> } | undefined;
      expect(operation?.tags, route).toEqual(['Apps API (v1)']);
      expect(JSON.stringify(operation?.responses?.['404']), route).toContain('AppsV1Error');
    }
    for (const route of restRoutes) {
      const [method, path] = route.split(' ') as [string, string];
      const operation = generated.paths[path]?.[method.toLowerCase() as (typeof methods)[number]] as { tags?: string[]; responses?: Record<string, unknown> } | undefined;
      expect(operation?.tags, route).toEqual(['REST']);
      expect(JSON.stringify(operation?.responses?.['404']), route).toContain('ErrorResponse');
    }
    const dooor = generated.paths['/api/v1/workspaces/{wsId}/apps']?.get as { tags?: string[]; responses?: Record<string, unknown> } | undefined;
    expect(dooor?.tags).toEqual(['Apps']);
    expect(JSON.stringify(dooor?.responses?.['404'])).toContain('ErrorResponse');
  });

  it('a running Berth serves the same document at /api/openapi.json (and to the docs page)', async () => {
    const served = await t.request('GET', '/api/openapi.json', { key: null });
    expect(served.status).toBe(200);
    expect(served.body).toEqual(generated);
    const forDocs = await t.request('GET', '/docs/json', { key: null });
    expect(forDocs.body).toEqual(generated);
  });

  it('/docs is a reference page that loads only from Berth (works offline)', async () => {
    const origin = new URL(t.url).origin;
    const page = await fetch(`${t.url}/docs`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await page.text();
    expect(html).toMatch(/<title>Berth API reference<\/title>/);
    expect(externalUrls(html, origin)).toEqual([]);

    const assets = [...html.matchAll(/\b(?:src|href)="([^"]+)"/g)].map((m) => new URL(m[1] ?? '', `${t.url}/docs`));
    expect(assets.map((a) => a.pathname)).toEqual(
      expect.arrayContaining([expect.stringMatching(/\.js$/), expect.stringMatching(/\.css$/)]),
    );
    for (const asset of assets) {
      expect(asset.origin, asset.href).toBe(origin);
      const response = await fetch(asset);
      const body = await response.text();
      expect(response.status, asset.pathname).toBe(200);
      expect(body.length, asset.pathname).toBeGreaterThan(0);
      expect(loadedExternally.exec(body)?.[0] ?? null, `${asset.pathname} loads from another host`).toBeNull();
      // Berth's own files (HTML, CSS, the initializer) name no other host at all; the vendored
      // Swagger UI bundle mentions spec and RFC links in strings, so it is held to the rule above.
      if (!/swagger-ui(-bundle|-standalone-preset)?\.js$/.test(asset.pathname)) {
        expect(externalUrls(body, origin), asset.pathname).toEqual([]);
      }
      if (asset.pathname.endsWith('swagger-initializer.js')) {
        // Swagger UI's one default outside request: the validator badge. Off, and the spec comes from Berth.
        expect(body).toMatch(/validatorUrl:\s*null/);
        expect(body).toMatch(/resolveUrl\('\.\/json'\)/);
      }
    }
  });
});
