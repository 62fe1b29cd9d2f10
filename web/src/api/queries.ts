// Reads every page shares, as TanStack Query hooks over the typed client (one key scheme).
import { useQuery } from '@tanstack/react-query';
import { useWorkspaceId } from '../app/session-context';
import { api, unwrap } from './client';

const terminal = new Set(['succeeded', 'failed', 'cancelled']);
export const isTerminal = (status: string) => terminal.has(status);

export function useApp(appId: string) {
  const wsId = useWorkspaceId();
  return useQuery({
    queryKey: ['app', wsId, appId],
    queryFn: () => unwrap(api.GET('/api/v1/workspaces/{wsId}/apps/{appId}', { params: { path: { wsId, appId } } })),
    refetchInterval: (query) => (query.state.data?.latestDeployment && !isTerminal(query.state.data.latestDeployment.status) ? 2000 : 15_000),
  });
}

/** `refetchInterval`: a page that shows the health beside live figures reads it as often as those. */
export function useHealth(appId: string, refetchInterval = 30_000) {
  const wsId = useWorkspaceId();
  return useQuery({
    queryKey: ['health', wsId, appId],
    queryFn: () => unwrap(api.GET('/api/v1/workspaces/{wsId}/monitoring/apps/{appId}/health', { params: { path: { wsId, appId } } })),
    refetchInterval,
  });
}

export function useDeployments(appId: string, page = 1) {
  const wsId = useWorkspaceId();
  return useQuery({
    queryKey: ['deployments', wsId, appId, page],
    queryFn: () => unwrap(api.GET('/api/v1/workspaces/{wsId}/deploy', { params: { path: { wsId }, query: { appId, page, limit: 20 } } })),
    refetchInterval: (query) => (query.state.data?.data.some((d) => !isTerminal(d.status)) ? 2000 : 15_000),
  });
}

export function useRevisions(appId: string, refetchInterval: number | false = false) {
  const wsId = useWorkspaceId();
  return useQuery({
    queryKey: ['revisions', wsId, appId],
    queryFn: () => unwrap(api.GET('/api/v1/workspaces/{wsId}/deploy/apps/{appId}/revisions', { params: { path: { wsId, appId } } })),
    refetchInterval,
  });
}
