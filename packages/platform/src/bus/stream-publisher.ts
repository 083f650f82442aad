import { createInbox, headers, type Msg, type NatsConnection, type Subscription } from '@nats-io/transport-node';

export interface StreamMessage {
  subject: string;
  payload: string | Uint8Array;
  /** `Nats-Msg-Id`: the stream drops a second message with this id inside its duplicate window. */
  msgId: string;
  traceparent?: string | null;
}

/** Why a batch was not stored whole: some of its messages may have been, and a re-send of those is dropped by id. */
export class StreamPublishError extends Error {
  override readonly name = 'StreamPublishError';
}

interface Waiting {
  left: number;
  done(err?: Error): void;
}

/**
 * Publishes messages to JetStream and waits for all of their acks at once, as the Go client's
 * `PublishAsync` does (nats.js has no such call): each message is a plain publish whose reply
 * comes to one wildcard inbox of this publisher. `js.publish` makes a request per message — a
 * subscription entry, a timer and an error object each: under refresh load the tokens service
 * spent about a fifth more CPU per refresh relaying its events that way.
 */
export class StreamPublisher {
  readonly #nc: NatsConnection;
  readonly #inbox = createInbox();
  readonly #sub: Subscription;
  /** The batch each unanswered message belongs to, by its reply token. */
  readonly #pending = new Map<string, Waiting>();
  #next = 0;

  constructor(nc: NatsConnection) {
    this.#nc = nc;
    this.#sub = nc.subscribe(`${this.#inbox}.*`, { callback: (_err, msg) => this.#answered(msg) });
  }

  /** Resolves once the stream has stored every message (or already held it); rejects on the first refusal or after `timeoutMs`. */
  publishAll(messages: readonly StreamMessage[], timeoutMs: number): Promise<void> {
    if (messages.length === 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const tokens: string[] = [];
      const timer = setTimeout(() => batch.done(new StreamPublishError(`no ack within ${timeoutMs} ms`)), timeoutMs);
      const batch: Waiting = {
        left: messages.length,
        done: (err) => {
          clearTimeout(timer);
          for (const token of tokens) this.#pending.delete(token);
          batch.done = () => {};
          if (err) reject(err);
          else resolve();
        },
      };
      try {
        for (const m of messages) {
          const token = (this.#next++).toString(36);
          tokens.push(token);
          this.#pending.set(token, batch);
          const hdrs = headers();
          hdrs.set('Nats-Msg-Id', m.msgId);
          if (m.traceparent) hdrs.set('traceparent', m.traceparent);
          this.#nc.publish(m.subject, m.payload, { reply: `${this.#inbox}.${token}`, headers: hdrs });
        }
      } catch (err) {
        // A closed connection throws at once: the batch fails now, not at its timeout.
        batch.done(err as Error);
      }
    });
  }

  #answered(msg: Msg): void {
    const token = msg.subject.slice(this.#inbox.length + 1);
    const batch = this.#pending.get(token);
    if (!batch) return;
    this.#pending.delete(token);
    const refusal = refusalOf(msg);
    if (refusal) batch.done(new StreamPublishError(refusal));
    else if (--batch.left === 0) batch.done();
  }

  close(): void {
    this.#sub.unsubscribe();
    for (const batch of new Set(this.#pending.values())) batch.done(new StreamPublishError('publisher closed'));
  }
}

/** Why the reply is not a stream's ack, or undefined when it is one. */
function refusalOf(msg: Msg): string | undefined {
  // A status without a body: 503 when no stream listens on the subject.
  if (msg.headers?.hasError) return `status ${msg.headers.code} ${msg.headers.description}`.trim();
  let ack: { stream?: unknown; error?: { description?: unknown } };
  try {
    ack = msg.json();
  } catch {
    return 'reply is not a stream ack';
  }
  if (ack.error) return `stream refused the message: ${String(ack.error.description ?? 'unknown error')}`;
  return typeof ack.stream === 'string' && ack.stream !== '' ? undefined : 'reply is not a stream ack';
}
