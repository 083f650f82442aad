import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { Suspense } from 'react';
import { Redirect, Route, Router, Switch } from 'wouter';
import { AuthProvider, useAuth } from './auth.js';
import { consoleBase } from './env.js';
import { Shell } from './Shell.js';
import { SignIn } from './SignIn.js';
import { HOME, SCREENS } from './screens.js';

const queries = new QueryClient({ defaultOptions: { queries: { retry: 1, refetchOnWindowFocus: false } } });

function Screens() {
  const { session, user } = useAuth();
  // `user` is set only once the roles were checked: a session alone may be a refused one's.
  if (!session || !user) return <SignIn />;
  return (
    <Shell>
      <Suspense fallback={<p>Loading…</p>}>
        <Switch>
          {SCREENS.map(({ path, component }) => (
            <Route key={path} path={path} component={component} nest />
          ))}
          <Route>
            <Redirect to={HOME} replace />
          </Route>
        </Switch>
      </Suspense>
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
