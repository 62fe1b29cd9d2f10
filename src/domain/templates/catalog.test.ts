// The shipped catalog is valid data: ids are unique slugs, every template passes the rules a
// request would (settings, source), and the kinds the Apps API promises are there.
import { describe, expect, it } from 'vitest';
import { appSettingsProblems, defaultSettings, slugProblem } from '../app.js';
import { normaliseGitUrl } from '../git-url.js';
import { inCoreWords } from '../wording.js';
import { findTemplate, templateCatalog } from './catalog.js';

describe('the template catalog', () => {
  it('has unique, slug-like ids', () => {
    const ids = templateCatalog.map((t) => t.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(slugProblem(id)).toBeNull();
  });

  it.each(templateCatalog.map((t) => [t.id, t] as const))('%s passes the app rules and names its source', (_id, t) => {
    const settings = { ...defaultSettings(t.name, t.id), type: t.type, port: t.port, buildCommand: t.buildCommand, cpuLimitMillicores: t.resources.cpuMillicores, memoryLimitMi: t.resources.memoryMi, readinessPath: t.readinessPath, readinessType: t.readinessType };
    expect(appSettingsProblems(settings).map(inCoreWords)).toEqual([]);
    if (t.source.type === 'GIT') expect(normaliseGitUrl(t.source.gitRepoUrl ?? '')).toMatchObject({ ok: true });
    if (t.source.type === 'IMAGE') expect(t.source.imageRef).toMatch(/^[a-z0-9./-]+:[\w.-]+$/);
    for (const key of Object.keys(t.env)) expect(key).toMatch(/^[A-Za-z_][A-Za-z0-9_]*$/);
  });

  it('offers a static site, a Node.js web app, a Python web app and an image-based service', () => {
    expect(findTemplate('static-site')?.source.type).toBe('UPLOAD');
    expect(findTemplate('node-web')?.source.type).toBe('GIT');
    expect(findTemplate('python-web')?.source.type).toBe('GIT');
    expect(findTemplate('nginx')?.source.type).toBe('IMAGE');
    expect(findTemplate('nope')).toBeNull();
  });
});
