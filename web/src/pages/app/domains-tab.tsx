// Custom domains: add, the DNS records to create (verification instructions), verify, remove
// (asked first: the domain stops answering and its certificate stops being served). A worker or
// cron app takes no requests: no form to add one, only why (and any domain it has, to remove).
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, unwrap } from '../../api/client';
import { noHttpNote, takesHttp } from '../../api/app-kind';
import type { App } from '../../api/types';
import { useWorkspaceId } from '../../app/session-context';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { ErrorMessage } from '../../components/error-message';
import { StatusBadge } from '../../components/status-badge';

export function DomainsTab({ app }: { app: App }) {
  const wsId = useWorkspaceId();
  const queries = useQueryClient();
  const path = { wsId, appId: app.id };
  const domains = useQuery({ queryKey: ['domains', wsId, app.id], queryFn: () => unwrap(api.GET('/api/v1/workspaces/{wsId}/apps/{appId}/domains', { params: { path } })) });
  const refresh = () => void queries.invalidateQueries({ queryKey: ['domains', wsId, app.id] });
  const [domain, setDomain] = useState('');
  const [removing, setRemoving] = useState<{ id: string; domain: string } | null>(null);
  const add = useMutation({ mutationFn: () => unwrap(api.POST('/api/v1/workspaces/{wsId}/apps/{appId}/domains', { params: { path }, body: { domain } })), onSuccess: () => { setDomain(''); refresh(); } });
  const verify = useMutation({ mutationFn: (domainId: string) => unwrap(api.POST('/api/v1/workspaces/{wsId}/apps/{appId}/domains/{domainId}/verify', { params: { path: { ...path, domainId } } })), onSettled: refresh });
  const remove = useMutation({ mutationFn: (domainId: string) => unwrap(api.DELETE('/api/v1/workspaces/{wsId}/apps/{appId}/domains/{domainId}', { params: { path: { ...path, domainId } } })), onSuccess: refresh });
  return (
    <>
      {takesHttp(app.type) ? null : <p className="notice">{noHttpNote(app)} No custom domain can lead to it.</p>}
      {takesHttp(app.type) ? (
        <form className="card" onSubmit={(e) => { e.preventDefault(); add.mutate(); }}>
          <div className="row">
            <div>
              <label htmlFor="domain-name">Domain</label>
              <input id="domain-name" required value={domain} onChange={(e) => setDomain(e.target.value)} placeholder="api.example.com" />
            </div>
            <button type="submit" className="primary" disabled={add.isPending}>
              {add.isPending ? 'Adding…' : 'Add domain'}
            </button>
          </div>
          <ErrorMessage error={add.error} />
        </form>
      ) : null}
      <ErrorMessage error={domains.error ?? verify.error ?? remove.error} />
      {(domains.data ?? []).map((d) => (
        <div className="card" key={d.id}>
          <h2>
            {d.domain} <StatusBadge status={d.verified ? 'verified' : 'pending'} label={d.verified ? 'verified' : 'not verified'} />
          </h2>
          <p>TLS: {d.tlsStatus}</p>
          {!d.verified ? <p>To verify, create these records at your DNS provider, then press Verify:</p> : <p>Records:</p>}
          <table>
            <caption className="sr-only">DNS records for {d.domain}</caption>
            <thead>
              <tr>
                <th scope="col">Type</th>
                <th scope="col">Name</th>
                <th scope="col">Value</th>
              </tr>
            </thead>
            <tbody>
              {d.dnsRecords.map((r, i) => (
                <tr key={i}>
                  <td>{r.type}</td>
                  <td>
                    <code>{r.name}</code>
                  </td>
                  <td>
                    <code>{r.value}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="row">
            {!d.verified ? (
              <button type="button" disabled={verify.isPending} onClick={() => verify.mutate(d.id)}>
                {verify.isPending ? 'Verifying…' : `Verify ${d.domain}`}
              </button>
            ) : null}
            <button type="button" className="danger" onClick={() => setRemoving(d)}>
              Remove {d.domain}
            </button>
          </p>
        </div>
      ))}
      {domains.data?.length === 0 ? <p>No custom domains.</p> : null}
      {removing ? (
        <ConfirmDialog
          title={`Remove ${removing.domain}?`}
          confirmLabel="Remove domain"
          onCancel={() => setRemoving(null)}
          onConfirm={() => {
            remove.mutate(removing.id);
            setRemoving(null);
          }}
        >
          <p>
            {removing.domain} stops leading to {app.name}, and its TLS certificate is revoked and stops being served: HTTPS requests to {removing.domain} will fail.
          </p>
        </ConfirmDialog>
      ) : null}
    </>
  );
}
