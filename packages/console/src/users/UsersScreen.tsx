import { Route, Switch } from 'wouter';
import { UserList } from './UserList.js';
import { UserPage } from './UserPage.js';
import '../ui/buttons.css';
import './users.css';

/** Users (issue 9's API): the list at `/users`, and one user's page at `/users/{id}`. */
export function UsersScreen() {
  return (
    <Switch>
      <Route path="/" component={UserList} />
      <Route path="/:id">{(params) => <UserPage id={params.id} />}</Route>
    </Switch>
  );
}

export default UsersScreen;
