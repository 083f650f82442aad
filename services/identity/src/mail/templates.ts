/** A mail's content, as plain text and as HTML showing the same thing. */
export interface MailContent {
  subject: string;
  text: string;
  html: string;
}

interface Common {
  siteName: string;
  displayName: string;
  minutes: number;
}

const IGNORE = 'If you did not ask for this, ignore this message: your password stays as it is.';
const NOT_YOU = 'If you did not sign up for this, ignore this message: nothing happens without it.';

/** What a mail of one purpose says around its link or code; `site` is the site's name, escaped for HTML where it goes there. */
interface Wording {
  subject: (site: string) => string;
  intro: (site: string, minutes: number) => string;
  /** The link's words (link mails). */
  action?: string;
  /** Closing lines, after the link or code. */
  closing: (minutes: number) => string[];
}

const RESET_LINK: Wording = {
  subject: (site) => `[${site}] Reset your password`,
  intro: (site, minutes) =>
    `Someone asked to reset the password of your ${site} account. To choose a new one, open this link within ${minutes} minutes:`,
  action: 'Reset my password',
  closing: () => ['The link works once.', IGNORE],
};
const RESET_CODE: Wording = {
  subject: (site) => `[${site}] Your password reset code`,
  intro: (site) => `Your ${site} password reset code is:`,
  closing: (minutes) => [`It is valid for ${minutes} minutes and works once. Never share it.`, IGNORE],
};
const VERIFY_LINK: Wording = {
  subject: (site) => `[${site}] Confirm your email address`,
  intro: (site, minutes) => `To confirm this address for your ${site} account, open this link within ${minutes} minutes:`,
  action: 'Confirm my email address',
  closing: () => [NOT_YOU],
};
const VERIFY_CODE: Wording = {
  subject: (site) => `[${site}] Your email confirmation code`,
  intro: (site) => `Your ${site} email confirmation code is:`,
  closing: (minutes) => [`It is valid for ${minutes} minutes. Never share it.`, NOT_YOU],
};

/** The link mail: a one-time link to the reset page. */
export const resetLinkMail = (parts: Common & { url: string }) => linkMail(RESET_LINK, parts);
/** The code mail: six digits to type into the reset form. */
export const resetCodeMail = (parts: Common & { code: string }) => codeMail(RESET_CODE, parts);
/** The verification link mail: proves the address by opening a link. */
export const verifyLinkMail = (parts: Common & { url: string }) => linkMail(VERIFY_LINK, parts);
/** The verification code mail: six digits to type into the app. */
export const verifyCodeMail = (parts: Common & { code: string }) => codeMail(VERIFY_CODE, parts);

function linkMail(words: Wording, { siteName, displayName, minutes, url }: Common & { url: string }): MailContent {
  const subject = words.subject(siteName);
  const closing = words.closing(minutes);
  const text = [`Hello ${displayName},`, '', words.intro(siteName, minutes), '', url, '', ...closing].join('\n');
  const html = mailPage(
    subject,
    `<p>Hello ${escapeHtml(displayName)},</p>
<p>${words.intro(escapeHtml(siteName), minutes)}</p>
<p><a href="${escapeHtml(url)}">${words.action ?? url}</a></p>
<p>${closing.join('<br>')}</p>`,
  );
  return { subject, text, html };
}

function codeMail(words: Wording, { siteName, displayName, minutes, code }: Common & { code: string }): MailContent {
  const subject = words.subject(siteName);
  const closing = words.closing(minutes);
  const text = [`Hello ${displayName},`, '', words.intro(siteName, minutes), '', `    ${code}`, '', ...closing].join('\n');
  const html = mailPage(
    subject,
    `<p>Hello ${escapeHtml(displayName)},</p>
<p>${words.intro(escapeHtml(siteName), minutes)}</p>
<p style="font-size:24px;font-weight:bold;letter-spacing:4px">${escapeHtml(code)}</p>
<p>${closing.join('<br>')}</p>`,
  );
  return { subject, text, html };
}

/** A whole HTML mail around `body`, titled `title`. */
export function mailPage(title: string, body: string): string {
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>
<body style="font-family:sans-serif">
${body}
</body></html>`;
}

/** Names and URLs come from users and configuration: none of them may become markup. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}
