import UAParser from 'ua-parser-js';

/** The device a User-Agent names: what an administrator reads in the activity log. */
export interface Device {
  /** `Chrome 120`, `Mobile Safari 17`; null when the agent names no browser (curl, a bot). */
  browser: string | null;
  /** `Windows 10`, `iOS 17.2`. */
  os: string | null;
  /** ua-parser's device type, `desktop` for a browser on no particular device, else `unknown`. */
  type: string;
}

const UNKNOWN: Device = Object.freeze({ browser: null, os: null, type: 'unknown' });
/** Longer agents are cut before parsing: the parser's regexes are not meant for megabytes. */
const MAX_AGENT = 512;

export function deviceOf(userAgent: string | null | undefined): Device {
  if (!userAgent) return UNKNOWN;
  const { browser, os, device } = new UAParser(userAgent.slice(0, MAX_AGENT)).getResult();
  const browserName = joined(browser.name, browser.major);
  const osName = joined(os.name, os.version);
  const type = device.type ?? (browserName || osName ? 'desktop' : 'unknown');
  return { browser: browserName, os: osName, type };
}

function joined(name: string | undefined, version: string | undefined): string | null {
  if (!name) return null;
  return version ? `${name} ${version}` : name;
}
