// Replicas now (scale; 0 stops the app), and the autoscaling range and limits (the app's settings).
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'wouter';
import { api, unwrap } from '../../api/client';
import type { App } from '../../api/types';
import { useWorkspaceId } from '../../app/session-context';
import { ErrorMessage } from '../../components/error-message';

export function ScaleTab({ app }: { app: App }) {
  const wsId = useWorkspaceId();
  const queries = useQueryClient();
  const [replicas, setReplicas] = useState(String(app.replicas));
  const [settings, setSettings] = useState({
    minReplicas: String(app.minReplicas),
    maxReplicas: String(app.maxReplicas),
    cpuTargetUtilization: String(app.cpuTargetUtilization),
    cpuLimitMillicores: String(app.cpuLimitMillicores),
    memoryLimitMi: String(app.memoryLimitMi),
  });
  const refresh = () => void queries.invalidateQueries({ queryKey: ['app', wsId, app.id] });
  const scale = useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/workspaces/{wsId}/deploy/scale', { params: { path: { wsId } }, body: { appId: app.id, replicas: Number(replicas) } })),
    onSuccess: refresh,
  });
  const patch = useMutation({
    mutationFn: () =>
      unwrap(
        api.PATCH('/api/v1/workspaces/{wsId}/apps/{appId}', {
          params: { path: { wsId, appId: app.id } },
          body: {
            minReplicas: Number(settings.minReplicas),
            maxReplicas: Number(settings.maxReplicas),
            cpuTargetUtilization: Number(settings.cpuTargetUtilization),
            cpuLimitMillicores: Number(settings.cpuLimitMillicores),
            memoryLimitMi: Number(settings.memoryLimitMi),
          },
        }),
      ),
    onSuccess: refresh,
  });
  const field = (key: keyof typeof settings, label: string) => (
    <div>
      <label htmlFor={`scale-${key}`}>{label}</label>
      <input id={`scale-${key}`} type="number" required min={0} value={settings[key]} onChange={(e) => setSettings((s) => ({ ...s, [key]: e.target.value }))} />
    </div>
  );
  return (
    <div className="grid">
      <form className="card" onSubmit={(e) => { e.preventDefault(); scale.mutate(); }}>
        <h2>Replicas</h2>
        <label htmlFor="replicas">Replicas (0 stops the app, at most 10)</label>
        <input id="replicas" type="number" required min={0} value={replicas} onChange={(e) => setReplicas(e.target.value)} />
        <ErrorMessage error={scale.error} />
        {/* The answer is a snapshot: say when its count was true, and where the live one is. */}
        {scale.data ? (
          <p role="status" className="notice">
            Scaling to {scale.data.requestedReplicas} ({scale.data.currentReplicas} running when asked); the <Link href={`/apps/${app.id}/overview`}>Overview</Link> follows the instances as they start.
          </p>
        ) : null}
        <p>
          <button className="primary" type="submit" disabled={scale.isPending}>
            {scale.isPending ? 'Scaling…' : 'Scale'}
          </button>
        </p>
      </form>
      <form className="card" onSubmit={(e) => { e.preventDefault(); patch.mutate(); }}>
        <h2>Autoscaling and limits</h2>
        <p className="muted">The app autoscales on cpu when the maximum is above the minimum.</p>
        <div className="row">
          {field('minReplicas', 'Minimum replicas')}
          {field('maxReplicas', 'Maximum replicas')}
          {field('cpuTargetUtilization', 'Target cpu %')}
          {field('cpuLimitMillicores', 'Cpu limit (millicores)')}
          {field('memoryLimitMi', 'Memory limit (MiB)')}
        </div>
        <ErrorMessage error={patch.error} />
        {patch.isSuccess ? <p role="status" className="notice">Settings saved.</p> : null}
        <p>
          <button className="primary" type="submit" disabled={patch.isPending}>
            {patch.isPending ? 'Saving…' : 'Save settings'}
          </button>
        </p>
      </form>
    </div>
  );
}
