import { METRICS } from '@headlesskey/contracts';
import { recorder } from '@headlesskey/platform';

/** How many password checks wait for a bcrypt slot, recorded at each change. */
export const passwordChecksQueued = recorder(METRICS.passwordChecksQueued);
/** Password checks refused for load. */
export const passwordChecksShed = recorder(METRICS.passwordChecksShed);
