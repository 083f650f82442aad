import { Route, Switch } from 'wouter';
import { SiteList } from './SiteList.js';
import { SitePage } from './SitePage.js';
import '../ui/buttons.css';
import '../ui/panels.css';

/** Connected sites (single sign-on): the list (and connecting one) at `/sso`, one site at `/sso/{key}`. */
export function SsoScreen() {
  return (
    <Switch>
      <Route path="/" component={SiteList} />
      <Route path="/:key">{(params) => <SitePage key={params.key} siteKey={params.key} />}</Route>
    </Switch>
  );
}

export default SsoScreen;
