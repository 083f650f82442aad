import { afterAll, beforeAll } from 'vitest';
import { type Mailbox, type ReceivedMail, startMailbox } from './mailbox.js';
import { type HttpReply, startTestSystem, type TestSystem } from './system.js';

/** A second policy-proof password, not on any common list. */
export const NEW_PASSWORD = 'a brand new passphrase for testing';

/** The environment that points identity at a test mailbox and a fixed reset page. */
export function mailEnv(smtpUrl: string): Record<string, string> {
  return {
    HEADLESSKEY_SMTP_URL: smtpUrl,
    HEADLESSKEY_MAIL_FROM: 'HeadlessKey <no-reply@example.test>',
    HEADLESSKEY_RESET_URL: 'https://app.example.test/reset?login={login}&key={key}',
  };
}

/** A reset link or code mail, not a security notice (which tells of a change already made). */
export const isResetMail = (mail: ReceivedMail): boolean => !isNotice(mail);
export const isNotice = (mail: ReceivedMail): boolean => / Your password was (changed|reset)$/.test(mail.subject);

export const forgot = (system: TestSystem, login: string, delivery: 'link' | 'otp', headers?: Record<string, string>) =>
  system.post<{ message: string }>('/forgot-password', { login, delivery }, headers);

/** The reset link of a link mail, from its text part. */
export function linkOf(mail: ReceivedMail): URL {
  const found = /https:\/\/app\.example\.test\/reset\?\S+/.exec(mail.text)?.[0];
  if (!found) throw new Error(`no reset link in: ${mail.text}`);
  return new URL(found);
}

/** The key of a link mail, as the frontend would take it from its URL. */
export const keyOf = (mail: ReceivedMail): string => linkOf(mail).searchParams.get('key') ?? '';

/** The 6-digit code of a code mail. */
export function codeOf(mail: ReceivedMail): string {
  const found = /^\s+(\d{6})\s*$/m.exec(mail.text)?.[1];
  if (!found) throw new Error(`no code in: ${mail.text}`);
  return found;
}

/** Validate of a token: 200 while its session lives. */
export const validate = (system: TestSystem, token: string): Promise<HttpReply<{ code?: string }>> =>
  system.post('/token/validate', { token });

/**
 * A test file's system mailing resets to its own SMTP mailbox: both started before the file's
 * tests (`use` hands them to the file's own variables), both stopped after. `env` adds to the system's.
 */
export function withMailSystem(use: (system: TestSystem, mailbox: Mailbox) => void, env: Record<string, string> = {}): void {
  let mailbox: Mailbox | undefined;
  let system: TestSystem | undefined;
  beforeAll(async () => {
    mailbox = await startMailbox();
    system = await startTestSystem({ env: { ...mailEnv(mailbox.url), ...env } });
    use(system, mailbox);
  });
  afterAll(async () => {
    await system?.stop();
    await mailbox?.close();
  });
}
