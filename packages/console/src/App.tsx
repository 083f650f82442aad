import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { Redirect, Route, Router, Switch } from 'wouter';
import { AuthProvider, useAuth } from './auth.js';
import { consoleBase } from './env.js';
import { Shell } from './Shell.js';
import { SignIn } from './SignIn.js';
import { SettingsScreen } from './settings/SettingsScreen.js';

const queries = new QueryClient({ defaultOptions: { queries: { retry: 1, refetchOnWindowFocus: false } } });

function Screens() {
  const { session, user } = useAuth();
  // `user` is set only once the roles were checked: a session alone may be a refused one's.
  if (!session || !user) return <SignIn />;
  return (
    <Shell>
      <Switch>
        <Route path="/settings" component={SettingsScreen} />
        <Route>
          <Redirect to="/settings" replace />
        </Route>
      </Switch>
    </Shell>
  );
}

export function App() {
  return (
    <QueryClientProvider client={queries}>
      <AuthProvider>
        <Router base={consoleBase()}>
          <Screens />
        </Router>
      </AuthProvider>
    </QueryClientProvider>
  );
}
