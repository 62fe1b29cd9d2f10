// Reads of managed databases the database pages share (one key scheme: ['database…', wsId, …]).
// A database that is still provisioning is polled until it is RUNNING or has failed.
import { useQuery } from '@tanstack/react-query';
import { useWorkspaceId } from '../app/session-context';
import { api, unwrap } from './client';

const provisioning = (status: string | undefined) => status === 'PROVISIONING';

export function useDatabase(dbId: string) {
  const wsId = useWorkspaceId();
  return useQuery({
    queryKey: ['database', wsId, dbId],
    queryFn: () => unwrap(api.GET('/api/v1/workspaces/{wsId}/databases/{dbId}', { params: { path: { wsId, dbId } } })),
    refetchInterval: (query) => (provisioning(query.state.data?.status) ? 1000 : 15_000),
  });
}

export function useDatabaseRuntime(dbId: string) {
  const wsId = useWorkspaceId();
  return useQuery({
    queryKey: ['database-status', wsId, dbId],
    queryFn: () => unwrap(api.GET('/api/v1/workspaces/{wsId}/databases/{dbId}/status', { params: { path: { wsId, dbId } } })),
    // Each second while it provisions or Berth restarts its server: the attempt and the wait change.
    refetchInterval: (query) => (provisioning(query.state.data?.status) || (query.state.data?.restartAttempt ?? null) !== null ? 1000 : 10_000),
  });
}

/** The database's audit trail (its card; refreshed after each query run, which is audited). */
export const auditQueryKey = (wsId: string, dbId: string) => ['database-audit', wsId, dbId];

/** Apps of the workspace by id, for names in attachment lists and the attach form (first 100). */
export function useAppChoices() {
  const wsId = useWorkspaceId();
  return useQuery({
    queryKey: ['apps', wsId, 'choices'],
    queryFn: () => unwrap(api.GET('/api/v1/workspaces/{wsId}/apps', { params: { path: { wsId }, query: { page: 1, limit: 100 } } })),
  });
}
