// Alerts of the whole workspace.
import { AlertsList } from '../components/alerts-list';

export function AlertsPage() {
  return (
    <>
      <h1>Alerts</h1>
      <AlertsList />
    </>
  );
}
