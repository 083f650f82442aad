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
import { type HttpOptions, httpSender } from './http.js';

/**
 * The public routes, one typed call each, holding no state: what a server or a script uses, and
 * what the session client is built on. Paths and shapes are those of docs/api.md.
 */
export interface Api {
  /** `POST /token`: log in. */
  token(body: LoginBody): Promise<LoginReply>;
  /** `POST /login`: the same login, answered with the plugin's profile body. */
  login(body: LoginBody): Promise<LoginProfileReply>;
  /** `POST /register`: a new subscriber, logged in. */
  register(body: RegisterBody): Promise<RegisterReply>;
  /** `POST /token/refresh`: rotates the token; the one presented dies. */
  refresh(token: string): Promise<TokenReply>;
  /** `POST /token/revoke`: ends the token's session. */
  revoke(token: string): Promise<MessageReply>;
  /** `POST /token/validate`: whether the token and its session are live, with its claims. */
  validate(token: string): Promise<ValidateReply>;
  forgotPassword(body: ForgotPasswordBody): Promise<MessageReply>;
  resetPassword(body: ResetPasswordBody): Promise<MessageReply>;
  /** `POST /change-password`: ends every session of the caller, this one included. */
  changePassword(token: string, body: ChangePasswordBody): Promise<MessageReply>;
  verifyEmail(body: VerifyEmailBody): Promise<MessageReply>;
  resendVerification(body: ResendVerificationBody): Promise<MessageReply>;
  /** `GET /me`. */
  me(token: string): Promise<UserView>;
  /** `GET /sessions`: the caller's sessions, the token's own marked `current`. */
  sessions(token: string): Promise<SessionsReply>;
  /** `DELETE /sessions/{id}`. */
  endSession(token: string, id: string): Promise<EndSessionReply>;
  /** `POST /sso/exchange`: a connected site's signed token for a local session. */
  ssoExchange(body: SsoExchangeBody): Promise<TokenReply>;
}

export function createApi(opts: HttpOptions): Api {
  const send = httpSender(opts);
  return {
    token: (body) => send('/token', { body }),
    login: (body) => send('/login', { body }),
    register: (body) => send('/register', { body }),
    // The token goes in the header: a body is logged by more proxies than an Authorization header.
    refresh: (token) => send('/token/refresh', { body: {}, token }),
    revoke: (token) => send('/token/revoke', { body: {}, token }),
    validate: (token) => send('/token/validate', { body: {}, token }),
    forgotPassword: (body) => send('/forgot-password', { body }),
    resetPassword: (body) => send('/reset-password', { body }),
    changePassword: (token, body) => send('/change-password', { body, token }),
    verifyEmail: (body) => send('/verify-email', { body }),
    resendVerification: (body) => send('/verify-email/resend', { body }),
    me: (token) => send('/me', { token }),
    sessions: (token) => send('/sessions', { token }),
    endSession: (token, id) => send(`/sessions/${encodeURIComponent(id)}`, { method: 'DELETE', token }),
    ssoExchange: ({ timestamp, ...body }) =>
      timestamp === undefined
        ? send('/sso/exchange', { body })
        : send('/sso/exchange', {
            body: { token: body.token },
            headers: {
              'x-headlesskey-site': body.site_key,
              'x-headlesskey-timestamp': timestamp,
              'x-headlesskey-signature': body.signature,
            },
          }),
  };
}
