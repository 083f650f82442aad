import { createTransport } from 'nodemailer';
import type { MailContent } from './templates.js';

export interface Mailer {
  /** Hands a mail to the SMTP server; rejects when it is not accepted. */
  send(to: string, content: MailContent): Promise<void>;
  close(): void;
}

/** Generous enough for a slow relay, short enough that a lease (see the mail worker) outlives a try. */
const TIMEOUT_MS = 15_000;

/** An SMTP mailer from a `smtp://` or `smtps://` URL (credentials in the URL, as nodemailer reads them). */
export function smtpMailer(smtpUrl: string, from: string): Mailer {
  const transport = createTransport({
    url: smtpUrl,
    connectionTimeout: TIMEOUT_MS,
    greetingTimeout: TIMEOUT_MS,
    socketTimeout: TIMEOUT_MS,
  });
  return {
    async send(to, { subject, text, html }) {
      await transport.sendMail({ from, to, subject, text, html });
    },
    close: () => transport.close(),
  };
}
