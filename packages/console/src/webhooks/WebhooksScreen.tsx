import { Route, Switch } from 'wouter';
import { WebhookList } from './WebhookList.js';
import { WebhookPage } from './WebhookPage.js';
import '../ui/buttons.css';
import '../ui/panels.css';
import './webhooks.css';

/** Webhook endpoints: the list (and adding one) at `/webhooks`, one endpoint at `/webhooks/{id}`. */
export function WebhooksScreen() {
  return (
    <Switch>
      <Route path="/" component={WebhookList} />
      <Route path="/:id">{(params) => <WebhookPage key={params.id} id={params.id} />}</Route>
    </Switch>
  );
}

export default WebhooksScreen;
