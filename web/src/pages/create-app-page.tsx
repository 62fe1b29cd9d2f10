// Create an app from a git URL, or from a folder or .tar.gz the browser uploads, and deploy it:
// the page then moves to the deployment, whose build log streams live.
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { FormEvent } from 'react';
import { useLocation } from 'wouter';
import { api, unwrap } from '../api/client';
import { useWorkspaceId } from '../app/session-context';
import { ErrorMessage } from '../components/error-message';
import { ProgressBar } from '../components/progress-bar';
import { deployUpload } from '../upload/deploy-upload';
import type { DeployProgress } from '../upload/deploy-upload';
import { SourcePicker } from '../upload/source-picker';
import type { PickedSource } from '../upload/source-picker';
import { slugOf } from '../api/slug-of';

type AppType = 'web' | 'api' | 'worker' | 'cron';

export function CreateAppPage() {
  const wsId = useWorkspaceId();
  const [, navigate] = useLocation();
  const queries = useQueryClient();
  const [name, setName] = useState('');
  const [slug, setSlug] = useState('');
  const [slugTouched, setSlugTouched] = useState(false);
  const [type, setType] = useState<AppType>('web');
  const [visibility, setVisibility] = useState<'public' | 'private'>('public');
  const [schedule, setSchedule] = useState('');
  const [sourceKind, setSourceKind] = useState<'git' | 'upload'>('upload');
  const [gitRepoUrl, setGitRepoUrl] = useState('');
  const [gitBranch, setGitBranch] = useState('main');
  const [picked, setPicked] = useState<PickedSource | null>(null);
  const [progress, setProgress] = useState<DeployProgress | null>(null);
  const [error, setError] = useState<unknown>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    try {
      if (sourceKind === 'upload' && !picked) throw new Error('Choose a project folder or a .tar.gz first');
      setProgress({ label: 'Creating the app' });
      const app = await unwrap(
        api.POST('/api/v1/workspaces/{wsId}/apps', {
          params: { path: { wsId } },
          body: {
            name,
            slug: slug || slugOf(name),
            type,
            visibility,
            ...(type === 'cron' ? { schedule } : {}),
            ...(sourceKind === 'git' ? { gitRepoUrl, gitBranch } : {}),
          },
        }),
      );
      await queries.invalidateQueries({ queryKey: ['apps'] });
      const deployment =
        sourceKind === 'git' || !picked
          ? await unwrap(api.POST('/api/v1/workspaces/{wsId}/deploy', { params: { path: { wsId } }, body: { appId: app.id } }))
          : await deployUpload({ workspaceId: wsId, appId: app.id, source: picked, onProgress: setProgress });
      navigate(`/deployments/${deployment.id}`);
    } catch (caught) {
      setError(caught);
      setProgress(null);
    }
  };

  return (
    <>
      <h1>New app</h1>
      <form className="card" onSubmit={(event) => void submit(event)}>
        <div className="row">
          <div>
            <label htmlFor="app-name">Name</label>
            <input id="app-name" required value={name} onChange={(e) => { setName(e.target.value); if (!slugTouched) setSlug(slugOf(e.target.value)); }} />
          </div>
          <div>
            <label htmlFor="app-slug">Slug (in the app's URL)</label>
            <input id="app-slug" required title="Lowercase letters, digits and hyphens; starting and ending with a letter or digit" pattern="[a-z0-9]([a-z0-9\-]*[a-z0-9])?" value={slug} onChange={(e) => { setSlug(e.target.value); setSlugTouched(true); }} />
          </div>
          <div>
            <label htmlFor="app-type">Type</label>
            <select id="app-type" value={type} onChange={(e) => setType(e.target.value as AppType)}>
              <option value="web">web</option>
              <option value="api">api</option>
              <option value="worker">worker</option>
              <option value="cron">cron</option>
            </select>
          </div>
          <div>
            <label htmlFor="app-visibility">Visibility</label>
            <select id="app-visibility" value={visibility} onChange={(e) => setVisibility(e.target.value as 'public' | 'private')}>
              <option value="public">public</option>
              <option value="private">private (needs a key or a share link)</option>
            </select>
          </div>
          {type === 'cron' ? (
            <div>
              <label htmlFor="app-schedule">Schedule (cron)</label>
              <input id="app-schedule" required value={schedule} onChange={(e) => setSchedule(e.target.value)} placeholder="*/5 * * * *" />
            </div>
          ) : null}
        </div>
        <fieldset style={{ marginTop: 16, border: 'none', padding: 0 }}>
          <legend style={{ fontWeight: 600 }}>Source</legend>
          <label className="inline">
            <input type="radio" name="source" checked={sourceKind === 'upload'} onChange={() => setSourceKind('upload')} /> Upload a folder or .tar.gz
          </label>
          <label className="inline">
            <input type="radio" name="source" checked={sourceKind === 'git'} onChange={() => setSourceKind('git')} /> Git repository
          </label>
        </fieldset>
        {sourceKind === 'git' ? (
          <div className="row">
            <div style={{ flex: 1 }}>
              <label htmlFor="git-url">Git URL (https)</label>
              <input id="git-url" required style={{ width: '100%' }} value={gitRepoUrl} onChange={(e) => setGitRepoUrl(e.target.value)} placeholder="https://github.com/org/repo" />
            </div>
            <div>
              <label htmlFor="git-branch">Branch</label>
              <input id="git-branch" required value={gitBranch} onChange={(e) => setGitBranch(e.target.value)} />
            </div>
          </div>
        ) : (
          <SourcePicker value={picked} onChange={setPicked} onError={setError} />
        )}
        <ErrorMessage error={error} />
        {progress ? <ProgressBar {...progress} /> : null}
        <p>
          <button className="primary" type="submit" disabled={progress !== null}>
            Create and deploy
          </button>
        </p>
      </form>
    </>
  );
}
