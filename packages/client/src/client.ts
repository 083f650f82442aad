import type {
  ChangePasswordBody,
  EndSessionReply,
  ForgotPasswordBody,
  LoginBody,
  LoginProfileReply,
  LoginReply,
  MessageReply,
  RegisterBody,
  RegisterReply,
  ResendVerificationBody,
  ResetPasswordBody,
  SessionsReply,
  SsoExchangeBody,
  TokenReply,
  UserView,
  ValidateReply,
  VerifyEmailBody,
} from './contract.js';
import { authorized, fetchWithSession } from './fetch.js';
import { type Api, createApi } from './routes.js';
import type { Session } from './session.js';
import { type AuthListener, SessionKeeper } from './session-keeper.js';
import { memoryStore, type TokenStore } from './store.js';

export interface ClientOptions {
  /** The REST base URL: `https://auth.example.com/wp-json/headlesskey/v1`. */
  url: string;
  /** Where the session is kept: `memoryStore()` (the default), `sessionStorageStore()`, `localStorageStore()`, or your own. */
  store?: TokenStore;
  /** The name the session is stored, locked and announced under; two clients of one origin need two. Default `headlesskey.session`. */
  storageKey?: string;
  /** How long before expiry the token is refreshed, in ms. Default 60 s. */
  refreshMargin?: number;
  /** Refresh on a timer before expiry (default), or only when a call finds the token expired. */
  autoRefresh?: boolean;
  /** Tell the other tabs of the origin about sign-ins, refreshes and sign-outs (default true). */
  crossTab?: boolean;
  fetch?: typeof fetch;
}

export interface HeadlessKeyClient {
  /** The stateless calls, for a token you hold yourself. */
  readonly api: Api;
  /** The session once the store was read: call it before the first render. */
  getSession(): Promise<Session | null>;
  /** The session as this tab knows it now, or null. */
  readonly session: Session | null;
  onAuthStateChange(listener: AuthListener): () => void;
  /** `POST /token`; the device's secret is kept and sent on its next logins. */
  login(body: LoginBody): Promise<LoginReply>;
  /** `POST /login`, the plugin's profile answer; signs in as `login` does. */
  loginProfile(body: LoginBody): Promise<LoginProfileReply>;
  register(body: RegisterBody): Promise<RegisterReply>;
  ssoExchange(body: SsoExchangeBody): Promise<TokenReply>;
  /** Rotates the token now (once, whoever else asks); null when the server ended the session. */
  refresh(): Promise<Session | null>;
  /** `POST /token/revoke`: ends the session on the server, here and in the other tabs. */
  logout(): Promise<void>;
  /** `POST /token/validate` of the session's token, or of another. */
  validate(token?: string): Promise<ValidateReply>;
  forgotPassword(body: ForgotPasswordBody): Promise<MessageReply>;
  resetPassword(body: ResetPasswordBody): Promise<MessageReply>;
  verifyEmail(body: VerifyEmailBody): Promise<MessageReply>;
  resendVerification(body: ResendVerificationBody): Promise<MessageReply>;
  /** Ends every session of the user, this one too: signed out afterwards. */
  changePassword(body: ChangePasswordBody): Promise<MessageReply>;
  me(): Promise<UserView>;
  sessions(): Promise<SessionsReply>;
  /** Ends one session; ending this one signs out. */
  endSession(id: string): Promise<EndSessionReply>;
  /** `fetch` for your own API: the bearer added, one refresh and one retry when the token expired. */
  authFetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response>;
  /** Stops the refresh timer and leaves the tab channel. */
  close(): void;
}

/**
 * A HeadlessKey client for a browser, Node or an edge runtime: every public route, typed, and a
 * session that looks after itself — stored, refreshed before expiry once for every tab, and
 * announced through `onAuthStateChange`.
 */
export function createClient(opts: ClientOptions): HeadlessKeyClient {
  const api = createApi(opts);
  const store = opts.store ?? memoryStore();
  const key = opts.storageKey ?? 'headlesskey.session';
  const deviceKey = `${key}.device`;
  const keeper = new SessionKeeper({
    api,
    store,
    key,
    refreshMargin: opts.refreshMargin ?? 60_000,
    autoRefresh: opts.autoRefresh ?? true,
    now: Date.now,
    ...(opts.crossTab === false ? { channel: false as const } : {}),
  });
  const withToken = authorized(keeper);
  const signIn = async <T extends LoginReply | LoginProfileReply>(reply: T) => {
    await store.set(deviceKey, reply.device_secret);
    await keeper.signIn(reply);
    return reply;
  };
  const loginBody = async (body: LoginBody) => ({
    ...body,
    device_secret: body.device_secret ?? (await store.get(deviceKey)) ?? undefined,
  });

  return {
    api,
    getSession: () => keeper.ready.then(() => keeper.current()),
    get session() {
      return keeper.current();
    },
    onAuthStateChange: (listener) => keeper.onChange(listener),
    login: async (body) => signIn(await api.token(await loginBody(body))),
    loginProfile: async (body) => signIn(await api.login(await loginBody(body))),
    register: async (body) => {
      const reply = await api.register(body);
      await keeper.signIn({ ...reply.token_response, user: reply.user });
      return reply;
    },
    ssoExchange: async (body) => {
      const reply = await api.ssoExchange(body);
      await keeper.signIn(reply);
      return reply;
    },
    refresh: () => keeper.refresh(),
    logout: async () => {
      await keeper.ready;
      const session = keeper.current();
      // Forgotten here first: a server out of reach still leaves this browser signed out.
      await keeper.end('signed_out');
      if (session) await api.revoke(session.token);
    },
    validate: async (token) => {
      await keeper.ready;
      return api.validate(token ?? keeper.current()?.token ?? '');
    },
    forgotPassword: (body) => api.forgotPassword(body),
    resetPassword: (body) => api.resetPassword(body),
    verifyEmail: (body) => api.verifyEmail(body),
    resendVerification: (body) => api.resendVerification(body),
    changePassword: async (body) => {
      const reply = await withToken((token) => api.changePassword(token, body));
      await keeper.end('signed_out');
      return reply;
    },
    me: () => withToken((token) => api.me(token)),
    sessions: () => withToken((token) => api.sessions(token)),
    endSession: async (id) => {
      const reply = await withToken((token) => api.endSession(token, id));
      if (id === keeper.current()?.sessionId) await keeper.end('signed_out');
      return reply;
    },
    authFetch: fetchWithSession(keeper, opts.fetch),
    close: () => keeper.close(),
  };
}
