import { freePort } from '@headlesskey/local';
import { SMTPServer } from 'smtp-server';
import { eventually } from './users.js';

/** One mail as the SMTP server received it, its text and HTML parts decoded. */
export interface ReceivedMail {
  /** Envelope recipients, as given to RCPT TO. */
  to: string[];
  subject: string;
  text: string;
  html: string;
  raw: string;
}

export interface Mailbox {
  /** `smtp://127.0.0.1:<port>`, for `HEADLESSKEY_SMTP_URL`. */
  url: string;
  readonly mails: readonly ReceivedMail[];
  /** Mails whose data arrived, accepted or (with `delayMs`) still held. */
  readonly received: number;
  /** Waits for the `n`th mail (1-based) sent to `address`, of those `match` takes (all, unless given). */
  nth(address: string, n: number, timeoutMs?: number, match?: MailFilter): Promise<ReceivedMail>;
  count(address: string, match?: MailFilter): number;
  close(): Promise<void>;
}

export type MailFilter = (mail: ReceivedMail) => boolean;

export interface MailboxOptions {
  /** Holds each DATA reply this long, like a slow relay: latency that must never reach an HTTP answer. */
  delayMs?: number;
  /** Listen here rather than on a free port of its own (a server that comes up late). */
  port?: number;
}

/**
 * A real SMTP server on loopback, on a port below the ephemeral range: the identity service
 * delivers to it exactly as it would to a relay, and tests read what arrived.
 */
export async function startMailbox(opts: MailboxOptions = {}): Promise<Mailbox> {
  const mails: ReceivedMail[] = [];
  let received = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        received++;
        const raw = Buffer.concat(chunks).toString('utf8');
        const accept = () => {
          mails.push({ to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()), ...parseMail(raw), raw });
          callback();
        };
        if (opts.delayMs) setTimeout(accept, opts.delayMs);
        else accept();
      });
    },
  });
  const port = opts.port ?? (await freePort());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const sentTo = (address: string, match: MailFilter = () => true) => mails.filter((m) => m.to.includes(address.toLowerCase()) && match(m));
  return {
    url: `smtp://127.0.0.1:${port}`,
    mails,
    get received() {
      return received;
    },
    nth: (address, n, timeoutMs = 10_000, match) =>
      eventually(async () => sentTo(address, match)[n - 1], timeoutMs, `mail #${n} to ${address}`),
    count: (address, match) => sentTo(address, match).length,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Enough MIME for nodemailer's output: a subject and a multipart/alternative of text and HTML. */
function parseMail(raw: string): { subject: string; text: string; html: string } {
  const [head = '', body = ''] = splitHead(raw);
  const headers = parseHeaders(head);
  const boundary = /boundary="?([^";]+)"?/i.exec(headers['content-type'] ?? '')?.[1];
  const parts = boundary ? body.split(`--${boundary}`).slice(1, -1) : [raw];
  let text = '';
  let html = '';
  for (const part of parts) {
    const [partHead = '', partBody = ''] = splitHead(part.replace(/^\r?\n/, ''));
    const h = parseHeaders(partHead);
    const decoded = decode(partBody, h['content-transfer-encoding']);
    if (h['content-type']?.startsWith('text/plain')) text = decoded;
    if (h['content-type']?.startsWith('text/html')) html = decoded;
  }
  return { subject: headers.subject ?? '', text, html };
}

function splitHead(message: string): [string, string] {
  const at = message.search(/\r?\n\r?\n/);
  if (at === -1) return [message, ''];
  return [message.slice(0, at), message.slice(at).replace(/^\r?\n\r?\n/, '')];
}

function parseHeaders(head: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return headers;
}

function decode(body: string, encoding = '7bit'): string {
  switch (encoding.toLowerCase()) {
    case 'quoted-printable':
      return decodeQuotedPrintable(body);
    case 'base64':
      return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
    default:
      return body;
  }
}

/** `=XX` is a byte, `=` at a line end a soft break, anything else itself (a `%` stays a `%`). */
function decodeQuotedPrintable(body: string): string {
  const text = body.replace(/=\r?\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const hex = text[i] === '=' ? text.slice(i + 1, i + 3) : '';
    if (/^[0-9A-F]{2}$/i.test(hex)) {
      bytes.push(Number.parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(text[i] ?? '', 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}
