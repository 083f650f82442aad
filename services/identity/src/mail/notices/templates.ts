import { deviceOf } from '@headlesskey/platform';
import type { SecurityNotice } from '../../credential/reset/jobs.js';
import { escapeHtml, type MailContent, mailPage } from '../templates.js';

export interface NoticeFacts {
  siteName: string;
  displayName: string;
  login: string;
  notice: SecurityNotice;
  /** When the password was changed, ms since the epoch. */
  at: number;
  /** The client address and device of the request that changed it, as the gateway saw them. */
  ip?: string;
  userAgent?: string;
  device?: string;
}

const WHAT: Record<SecurityNotice, { subject: string; done: string }> = {
  password_changed: { subject: 'Your password was changed', done: 'was changed' },
  password_reset: { subject: 'Your password was reset', done: 'was reset with a link or code mailed to this address' },
};
/** A User-Agent is the client's own text: kept short enough to read. */
const MAX_AGENT = 200;

/**
 * Tells the owner that their password changed: who (the account), when, from which address and
 * device, and what to do if it was not them. It holds nothing secret (no key, code, token or
 * password) and no link: it asks for nothing, so a copy of it is worth nothing to a phisher.
 */
export function securityNoticeMail(facts: NoticeFacts): MailContent {
  const { subject: what, done } = WHAT[facts.notice];
  const subject = `[${facts.siteName}] ${what}`;
  const details: [string, string][] = [
    ['Account', facts.login],
    ['When', new Date(facts.at).toUTCString()],
    ['IP address', facts.ip || 'unknown'],
    ['Device', deviceLine(facts)],
  ];
  const intro = `The password of your ${facts.siteName} account ${done}. Every session of the account was ended.`;
  const ifNot = `If this was not you, ask for a password reset now to take the account back, and tell the ${facts.siteName} administrators.`;
  const text = [
    `Hello ${facts.displayName},`,
    '',
    intro,
    '',
    ...details.map(([label, value]) => `${label}: ${value}`),
    '',
    'If this was you, there is nothing to do.',
    ifNot,
  ].join('\n');
  const rows = details.map(([label, value]) => `<tr><th align="left">${label}</th><td>${escapeHtml(value)}</td></tr>`).join('\n');
  const html = mailPage(
    subject,
    `<p>Hello ${escapeHtml(facts.displayName)},</p>
<p>${escapeHtml(intro)}</p>
<table>
${rows}
</table>
<p>If this was you, there is nothing to do.<br>${escapeHtml(ifNot)}</p>`,
  );
  return { subject, text, html };
}

/**
 * The device the client named and the browser and OS its User-Agent names (`Firefox 133 on Mac OS
 * 14.5`), as the owner would recognise them; an agent that names neither (an app, a script) is
 * shown as it came, on one line.
 */
function deviceLine(facts: NoticeFacts): string {
  const device = oneLine(facts.device, MAX_AGENT);
  const { browser, os } = deviceOf(facts.userAgent);
  const agent = (browser && os ? `${browser} on ${os}` : browser || os) || oneLine(facts.userAgent, MAX_AGENT);
  if (device && agent) return `${device} (${agent})`;
  return device || agent || 'unknown';
}

/** Client-given text never breaks the mail's lines, nor runs on for pages. */
function oneLine(value: string | undefined, max: number): string {
  return (value ?? '')
    .replace(/[\s\p{Cc}]+/gu, ' ')
    .trim()
    .slice(0, max);
}
