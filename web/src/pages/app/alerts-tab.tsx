// The app's alerts.
import type { App } from '../../api/types';
import { AlertsList } from '../../components/alerts-list';

export function AlertsTab({ app }: { app: App }) {
  return <AlertsList appId={app.id} />;
}
