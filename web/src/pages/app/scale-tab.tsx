// Replicas now (scale; 0 stops the app), and the autoscaling range and limits (the app's settings).
// The fields show Berth's values as the app is read again (replicas also change through the CLI,
// the API and the autoscaler); a field the user has typed in keeps their value until it is saved.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'wouter';
import { api, unwrap } from '../../api/client';
import type { App } from '../../api/types';
import { useWorkspaceId } from '../../app/session-context';
import { ErrorMessage } from '../../components/error-message';

type SettingKey = 'minReplicas' | 'maxReplicas' | 'cpuTargetUtilization' | 'cpuLimitMillicores' | 'memoryLimitMi';
type Drafts = Partial<Record<'replicas' | SettingKey, string>>;

export function ScaleTab({ app }: { app: App }) {
  const wsId = useWorkspaceId();
  const queries = useQueryClient();
  /** What the user typed and has not saved yet; a field without a draft shows Berth's value. */
  const [drafts, setDrafts] = useState<Drafts>({});
  const valueOf = (key: keyof Drafts) => drafts[key] ?? String(app[key]);
  const edit = (key: keyof Drafts, value: string) => setDrafts((all) => ({ ...all, [key]: value }));
  /** Saved: read the app again, then let Berth's values show where the user typed nothing since. */
  const settle = async (sent: Drafts) => {
    await queries.invalidateQueries({ queryKey: ['app', wsId, app.id] });
    setDrafts((all) => Object.fromEntries(Object.entries(all).filter(([key, value]) => sent[key as keyof Drafts] !== value)));
  };
  const settingKeys: SettingKey[] = ['minReplicas', 'maxReplicas', 'cpuTargetUtilization', 'cpuLimitMillicores', 'memoryLimitMi'];
  const scale = useMutation({
    mutationFn: (sent: Drafts) => unwrap(api.POST('/api/v1/workspaces/{wsId}/deploy/scale', { params: { path: { wsId } }, body: { appId: app.id, replicas: Number(sent.replicas) } })),
    onSuccess: (_answer, sent) => settle(sent),
  });
  const patch = useMutation({
    mutationFn: (sent: Drafts) =>
      unwrap(
        api.PATCH('/api/v1/workspaces/{wsId}/apps/{appId}', {
          params: { path: { wsId, appId: app.id } },
          body: Object.fromEntries(settingKeys.map((key) => [key, Number(sent[key])])) as Record<SettingKey, number>,
        }),
      ),
    onSuccess: (_answer, sent) => settle(sent),
  });
  /** Said while a typed value differs from Berth's, so the user knows what saving replaces. */
  const nowOnBerth = (key: keyof Drafts) =>
    drafts[key] !== undefined && drafts[key] !== String(app[key]) ? <span className="muted"> (Berth has {app[key]})</span> : null;
  const field = (key: SettingKey, label: string) => (
    <div>
      <label htmlFor={`scale-${key}`}>{label}</label>
      <input id={`scale-${key}`} type="number" required min={0} value={valueOf(key)} onChange={(e) => edit(key, e.target.value)} />
      {nowOnBerth(key)}
    </div>
  );
  return (
    <div className="grid">
      <form className="card" onSubmit={(e) => { e.preventDefault(); scale.mutate({ replicas: valueOf('replicas') }); }}>
        <h2>Replicas</h2>
        <label htmlFor="replicas">Replicas (0 stops the app, at most 10)</label>
        <input id="replicas" type="number" required min={0} value={valueOf('replicas')} onChange={(e) => edit('replicas', e.target.value)} />
        {nowOnBerth('replicas')}
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
      <form className="card" onSubmit={(e) => { e.preventDefault(); patch.mutate(Object.fromEntries(settingKeys.map((key) => [key, valueOf(key)]))); }}>
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
