import { HeadlessKeyError } from './errors.js';

/** How long a tab that finds its token rotated by another waits for that tab's news, looking every POLL_MS. */
const WAIT_MS = 3_000;
const POLL_MS = 50;

/**
 * The wait for the news of a rotation another tab made: the message or the store may reach this
 * tab after it was granted the refresh lock. `look` is asked every POLL_MS, and at once when
 * `heard` says something changed, until it finds the new session or WAIT_MS have passed.
 */
export function rotationNews() {
  let wake: (() => void) | undefined;
  return {
    heard: () => wake?.(),
    async wait<T>(look: () => Promise<T | undefined>): Promise<T | undefined> {
      for (let waited = 0; waited <= WAIT_MS; waited += POLL_MS) {
        const found = await look();
        if (found !== undefined) return found;
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, POLL_MS);
        });
      }
      return undefined;
    },
  };
}

/** A refresh given up for want of that news: refused as an unreachable server's is, so the session is kept and tried again. */
export const rotatedElsewhere = () =>
  new HeadlessKeyError('headlesskey_unavailable', 0, 'Another tab rotated the token; its news has not arrived yet.', {
    status: 0,
    reason: 'rotated_elsewhere',
  });
