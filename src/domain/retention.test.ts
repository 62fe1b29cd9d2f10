import { describe, expect, it } from 'vitest';
import { keptTrees, prunableOfApp, type AppRetention, type RetainedRevision } from './retention.js';

/** Revisions newest first: `web-00005` … `web-00001`, each with its own artifact unless given. */
function revisions(count: number, imageRefs: Record<number, string> = {}): RetainedRevision[] {
  return Array.from({ length: count }, (_, i) => {
    const n = count - i;
    return { id: `rev${n}`, name: `web-0000${n}`, imageRef: imageRefs[n] ?? `sha256:${n}`, artifactDir: `/b/revisions/dep${n}` };
  });
}

function anApp(overrides: Partial<AppRetention> = {}): AppRetention {
  return { revisions: revisions(5), inTraffic: new Set(), running: new Set(), stopping: new Set(), inFlight: [], ...overrides };
}

const refs = (kept: ReturnType<typeof keptTrees>) => [...kept.imageRefs].sort();
const dirs = (kept: ReturnType<typeof keptTrees>) => [...kept.revisionDirs].sort();

describe('keptTrees', () => {
  it('keeps the newest N revisions of each app, artifacts and trees', () => {
    const kept = keptTrees({ apps: [anApp()], buildImageRefs: [], keepRevisions: 2 });
    expect(refs(kept)).toEqual(['sha256:4', 'sha256:5']);
    expect(dirs(kept)).toEqual(['/b/revisions/dep4', '/b/revisions/dep5']);
  });

  it('keeps older revisions that hold traffic, even 0 % with a tag, or run instances (warm)', () => {
    const app = anApp({ inTraffic: new Set(['rev1', 'rev2']), running: new Set(['rev3']) });
    expect(refs(keptTrees({ apps: [app], buildImageRefs: [], keepRevisions: 1 }))).toEqual(['sha256:1', 'sha256:2', 'sha256:3', 'sha256:5']);
  });

  it('keeps the tree of a revision whose instances are draining, not its artifact', () => {
    const kept = keptTrees({ apps: [anApp({ stopping: new Set(['rev1']) })], buildImageRefs: [], keepRevisions: 1 });
    expect(refs(kept)).toEqual(['sha256:5']);
    expect(dirs(kept)).toEqual(['/b/revisions/dep1', '/b/revisions/dep5']);
  });

  it('keeps what deployments in flight roll out: their artifact and the revision they create', () => {
    const app = anApp({ inFlight: [{ revisionName: 'web-00002', imageRef: 'sha256:new' }, { revisionName: null, imageRef: null }] });
    const kept = keptTrees({ apps: [app], buildImageRefs: [], keepRevisions: 1 });
    expect(refs(kept)).toEqual(['sha256:2', 'sha256:5', 'sha256:new']);
    expect(dirs(kept)).toEqual(['/b/revisions/dep2', '/b/revisions/dep5']);
  });

  it('keeps an artifact a pruned revision shares with a kept one (of this app or another)', () => {
    const app = anApp({ revisions: revisions(4, { 1: 'sha256:same' }) });
    const other = anApp({ revisions: [{ id: 'x1', name: 'api-00001', imageRef: 'sha256:shared', artifactDir: '/b/revisions/x1' }] });
    const mine = anApp({ revisions: revisions(3, { 1: 'sha256:shared', 3: 'sha256:same' }) });
    const kept = keptTrees({ apps: [app, other, mine], buildImageRefs: [], keepRevisions: 1 });
    // web-00001 of the first app is pruned (its tree goes) but its artifact is web-00003's of the third.
    expect(refs(kept)).toEqual(['sha256:4', 'sha256:same', 'sha256:shared']);
    expect(dirs(kept)).not.toContain('/b/revisions/dep1');
  });

  it("keeps the artifacts of the apps' newest builds (spec 003) and skips images' empty trees", () => {
    const app = anApp({ revisions: [{ id: 'i1', name: 'img-00001', imageRef: 'reg/x@sha256:1', artifactDir: '' }] });
    const kept = keptTrees({ apps: [app], buildImageRefs: ['sha256:build'], keepRevisions: 1 });
    expect(refs(kept)).toEqual(['reg/x@sha256:1', 'sha256:build']);
    expect(dirs(kept)).toEqual([]);
  });

  it('keeps nothing of an app beyond N when nothing else holds it', () => {
    expect(refs(keptTrees({ apps: [anApp()], buildImageRefs: [], keepRevisions: 10 }))).toHaveLength(5);
    expect(refs(keptTrees({ apps: [], buildImageRefs: [], keepRevisions: 1 }))).toEqual([]);
  });
});

describe('prunableOfApp', () => {
  const own = (app: AppRetention, buildRefs: string[] = []) => ({ imageRefs: [...app.revisions.map((r) => r.imageRef), ...buildRefs], revisionDirs: app.revisions.map((r) => r.artifactDir) });

  it("offers the app's own output beyond the newest N, and spares an artifact another app's kept revision shares", () => {
    const app = anApp();
    const sharer = anApp({ revisions: [{ id: 'o1', name: 'other-00001', imageRef: 'sha256:2', artifactDir: '/b/revisions/o1' }] });
    const alone = prunableOfApp({ apps: [app], buildImageRefs: [], keepRevisions: 2, own: own(app) });
    expect(refs(alone)).toEqual(['sha256:1', 'sha256:2', 'sha256:3']);
    const shared = prunableOfApp({ apps: [app, sharer], buildImageRefs: [], keepRevisions: 2, own: own(app) });
    expect(refs(shared)).toEqual(['sha256:1', 'sha256:3']);
    expect(dirs(shared)).toEqual(['/b/revisions/dep1', '/b/revisions/dep2', '/b/revisions/dep3']);
  });

  it("offers everything of a deleted app (absent from apps) but what a kept build holds, and never another app's output", () => {
    const app = anApp({ revisions: revisions(2) });
    const pruned = prunableOfApp({ apps: [], buildImageRefs: ['sha256:2'], keepRevisions: 2, own: own(app, ['sha256:b', '']) });
    expect(refs(pruned)).toEqual(['sha256:1', 'sha256:b']);
    expect(dirs(pruned)).toEqual(['/b/revisions/dep1', '/b/revisions/dep2']);
  });
});
