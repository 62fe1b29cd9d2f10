// Routes of the console; every page but sign-in needs a session.
import { Redirect, Route, Switch } from 'wouter';
import { Shell } from './app/shell';
import { useSession } from './app/session-context';
import { AlertsPage } from './pages/alerts-page';
import { ApiKeysPage } from './pages/api-keys-page';
import { AppPage } from './pages/app/app-page';
import { AppsPage } from './pages/apps-page';
import { CreateAppPage } from './pages/create-app-page';
import { CreateDatabasePage } from './pages/create-database-page';
import { DatabasePage } from './pages/database/database-page';
import { DatabasesPage } from './pages/databases-page';
import { DeploymentPage } from './pages/deployment-page';
import { OverviewPage } from './pages/overview-page';
import { SignInPage } from './pages/sign-in-page';

export function App() {
  const { session } = useSession();
  if (!session) return <SignInPage />;
  return (
    <Shell>
      <Switch>
        <Route path="/">
          <Redirect to="/apps" />
        </Route>
        <Route path="/sign-in">
          <Redirect to="/apps" />
        </Route>
        <Route path="/apps" component={AppsPage} />
        <Route path="/apps/new" component={CreateAppPage} />
        <Route path="/apps/:appId/:tab?">{(params) => <AppPage appId={params.appId} tab={params.tab ?? 'overview'} />}</Route>
        <Route path="/databases" component={DatabasesPage} />
        <Route path="/databases/new" component={CreateDatabasePage} />
        <Route path="/databases/:dbId">{(params) => <DatabasePage dbId={params.dbId} />}</Route>
        <Route path="/deployments/:deployId">{(params) => <DeploymentPage deployId={params.deployId} />}</Route>
        <Route path="/overview" component={OverviewPage} />
        <Route path="/alerts" component={AlertsPage} />
        <Route path="/api-keys" component={ApiKeysPage} />
        <Route>
          <h1>Page not found</h1>
        </Route>
      </Switch>
    </Shell>
  );
}
