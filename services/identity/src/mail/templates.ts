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

/** The link mail: a one-time link to the reset page. */
export function resetLinkMail({ siteName, displayName, minutes, url }: Common & { url: string }): MailContent {
  const subject = `[${siteName}] Reset your password`;
  const text = [
    `Hello ${displayName},`,
    '',
    `Someone asked to reset the password of your ${siteName} account. To choose a new one, open this link within ${minutes} minutes:`,
    '',
    url,
    '',
    'The link works once.',
    IGNORE,
  ].join('\n');
  const html = mailPage(
    subject,
    `<p>Hello ${escapeHtml(displayName)},</p>
<p>Someone asked to reset the password of your ${escapeHtml(siteName)} account. To choose a new one, open this link within ${minutes} minutes:</p>
<p><a href="${escapeHtml(url)}">Reset my password</a></p>
<p>The link works once.<br>${IGNORE}</p>`,
  );
  return { subject, text, html };
}

/** The code mail: six digits to type into the reset form. */
export function resetCodeMail({ siteName, displayName, minutes, code }: Common & { code: string }): MailContent {
  const subject = `[${siteName}] Your password reset code`;
  const text = [
    `Hello ${displayName},`,
    '',
    `Your ${siteName} password reset code is:`,
    '',
    `    ${code}`,
    '',
    `It is valid for ${minutes} minutes and works once. Never share it.`,
    IGNORE,
  ].join('\n');
  const html = mailPage(
    subject,
    `<p>Hello ${escapeHtml(displayName)},</p>
<p>Your ${escapeHtml(siteName)} password reset code is:</p>
<p style="font-size:24px;font-weight:bold;letter-spacing:4px">${escapeHtml(code)}</p>
<p>It is valid for ${minutes} minutes and works once. Never share it.<br>${IGNORE}</p>`,
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

const NOT_YOU = 'If you did not sign up for this, ignore this message: nothing happens without it.';

/** The verification link mail: proves the address by opening a link. */
export function verifyLinkMail({ siteName, displayName, minutes, url }: Common & { url: string }): MailContent {
  const subject = `[${siteName}] Confirm your email address`;
  const text = [
    `Hello ${displayName},`,
    '',
    `To confirm this address for your ${siteName} account, open this link within ${minutes} minutes:`,
    '',
    url,
    '',
    NOT_YOU,
  ].join('\n');
  const html = mailPage(
    subject,
    `<p>Hello ${escapeHtml(displayName)},</p>
<p>To confirm this address for your ${escapeHtml(siteName)} account, open this link within ${minutes} minutes:</p>
<p><a href="${escapeHtml(url)}">Confirm my email address</a></p>
<p>${NOT_YOU}</p>`,
  );
  return { subject, text, html };
}

/** The verification code mail: six digits to type into the app. */
export function verifyCodeMail({ siteName, displayName, minutes, code }: Common & { code: string }): MailContent {
  const subject = `[${siteName}] Your email confirmation code`;
  const text = [
    `Hello ${displayName},`,
    '',
    `Your ${siteName} email confirmation code is:`,
    '',
    `    ${code}`,
    '',
    `It is valid for ${minutes} minutes. Never share it.`,
    NOT_YOU,
  ].join('\n');
  const html = mailPage(
    subject,
    `<p>Hello ${escapeHtml(displayName)},</p>
<p>Your ${escapeHtml(siteName)} email confirmation code is:</p>
<p style="font-size:24px;font-weight:bold;letter-spacing:4px">${escapeHtml(code)}</p>
<p>It is valid for ${minutes} minutes. Never share it.<br>${NOT_YOU}</p>`,
  );
  return { subject, text, html };
}
