import { createClient, localStorageStore } from './headlesskey-client.js';

// The REST base URL of a running HeadlessKey (`npm start`), or ?api=… to point elsewhere.
const url = new URLSearchParams(location.search).get('api') ?? 'http://127.0.0.1:8080/wp-json/headlesskey/v1';

// localStorage: every tab of this origin shares the session, and a reload keeps it.
const client = createClient({ url, store: localStorageStore() });

const $ = (id) => document.getElementById(id);
const status = (text) => {
  $('status').textContent = text;
};
const failed = (err) => status(`${err.code}: ${err.message}`);

async function render() {
  const session = client.session;
  $('login').hidden = Boolean(session);
  $('account').hidden = !session;
  if (!session) return status('Signed out.');
  status(`Signed in as ${session.user.user_login}; this token expires ${new Date(session.expiresAt).toLocaleTimeString()}.`);
  try {
    $('me').textContent = JSON.stringify(await client.me(), null, 2);
    const { sessions } = await client.sessions();
    $('sessions').replaceChildren(...sessions.map(row));
  } catch (err) {
    // A session found ended is announced (onAuthStateChange below); other failures are shown.
    if (client.session) failed(err);
  }
}

function row(s) {
  const tr = document.createElement('tr');
  for (const text of [s.device + (s.current ? ' (this browser)' : ''), new Date(s.last_seen).toLocaleString()]) {
    const td = document.createElement('td');
    td.textContent = text;
    tr.append(td);
  }
  const end = document.createElement('button');
  end.type = 'button';
  end.textContent = 'End';
  end.onclick = () => client.endSession(s.id).then(render, failed);
  const td = document.createElement('td');
  td.append(end);
  tr.append(td);
  return tr;
}

$('login').onsubmit = async (event) => {
  event.preventDefault();
  const form = new FormData(event.target);
  // A refused sign-in (wrong password, a locked account) is shown; a signed-out page has no other news of it.
  await client.login({ username: form.get('username'), password: form.get('password') }).catch(failed);
};
$('logout').onclick = () => client.logout().catch(failed);

// Sign-ins, refreshes and sign-outs of this tab and of the others.
client.onAuthStateChange(async (event) => {
  await render();
  if (event === 'session_ended') status('Your session was ended elsewhere.');
});
await client.getSession();
await render();
