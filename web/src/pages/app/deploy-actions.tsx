// Start a deployment of an existing app: from its git branch, or from a new folder or tarball.
import { useState } from 'react';
import { useLocation } from 'wouter';
import { api, unwrap } from '../../api/client';
import type { App } from '../../api/types';
import { useWorkspaceId } from '../../app/session-context';
import { ErrorMessage } from '../../components/error-message';
import { ProgressBar } from '../../components/progress-bar';
import { deployUpload } from '../../upload/deploy-upload';
import type { DeployProgress } from '../../upload/deploy-upload';
import { SourcePicker } from '../../upload/source-picker';
import type { PickedSource } from '../../upload/source-picker';

export function DeployActions({ app }: { app: App }) {
  const wsId = useWorkspaceId();
  const [, navigate] = useLocation();
  const [picked, setPicked] = useState<PickedSource | null>(null);
  const [progress, setProgress] = useState<DeployProgress | null>(null);
  const [error, setError] = useState<unknown>(null);
  const run = async (start: () => Promise<{ id: string }>) => {
    setError(null);
    setProgress({ label: 'Starting the deployment' });
    try {
      navigate(`/deployments/${(await start()).id}`);
    } catch (caught) {
      setError(caught);
      setProgress(null);
    }
  };
  return (
    <>
      {app.gitRepoUrl ? (
        <p>
          <button type="button" className="primary" disabled={progress !== null} onClick={() => void run(() => unwrap(api.POST('/api/v1/workspaces/{wsId}/deploy', { params: { path: { wsId } }, body: { appId: app.id } })))}>
            Deploy {app.gitBranch} from git
          </button>
        </p>
      ) : null}
      <SourcePicker value={picked} onChange={setPicked} onError={setError} />
      <p>
        <button type="button" className={app.gitRepoUrl ? '' : 'primary'} disabled={!picked || progress !== null} onClick={() => picked && void run(() => deployUpload({ workspaceId: wsId, appId: app.id, source: picked, onProgress: setProgress }))}>
          Deploy the upload
        </button>
      </p>
      {progress ? <ProgressBar {...progress} /> : null}
      <ErrorMessage error={error} />
    </>
  );
}
