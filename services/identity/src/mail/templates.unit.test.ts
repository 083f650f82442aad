import { describe, expect, it } from 'vitest';
import { resetUrl } from './reset-url.js';
import { escapeHtml, resetCodeMail, resetLinkMail, verifyCodeMail, verifyLinkMail } from './templates.js';

describe('reset mails', () => {
  it('puts the same link in the text and, escaped, in the HTML', () => {
    const url = 'https://app.example.com/reset?login=ada&key=k1';
    const mail = resetLinkMail({ siteName: 'Engine', displayName: 'Ada', minutes: 60, url });
    expect(mail.subject).toBe('[Engine] Reset your password');
    expect(mail.text).toContain(url);
    expect(mail.html).toContain('href="https://app.example.com/reset?login=ada&amp;key=k1"');
    expect(mail.text).toContain('60 minutes');
  });

  it('never lets a display name or site name become markup', () => {
    const mail = resetCodeMail({ siteName: '<b>Site</b>', displayName: '<script>x</script>', minutes: 10, code: '012345' });
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).toContain('&lt;script&gt;x&lt;/script&gt;');
    expect(mail.text).toContain('012345');
    expect(mail.html).toContain('012345');
  });

  it('escapes the five HTML-special characters', () => {
    expect(escapeHtml(`&<>"'`)).toBe('&amp;&lt;&gt;&quot;&#39;');
  });
});

describe('verification mails', () => {
  it('say what they confirm, with the link or the code in both parts', () => {
    const url = 'https://app.example.com/verify?login=ada&key=k1';
    const link = verifyLinkMail({ siteName: 'Engine', displayName: 'Ada', minutes: 1440, url });
    expect(link.subject).toBe('[Engine] Confirm your email address');
    expect(link.text).toContain(url);
    expect(link.html).toContain('href="https://app.example.com/verify?login=ada&amp;key=k1"');
    expect(link.text).not.toContain('password');
    const code = verifyCodeMail({ siteName: '<i>E</i>', displayName: 'Ada', minutes: 30, code: '004211' });
    expect(code.subject).toBe('[<i>E</i>] Your email confirmation code');
    expect(code.html).toContain('&lt;i&gt;E&lt;/i&gt;');
    expect(code.text).toContain('    004211');
  });
});

describe('reset URL', () => {
  it('URL-encodes the login and key into their placeholders', () => {
    const template = 'https://app.example.com/reset?login={login}&key={key}';
    expect(resetUrl(template, 'ada lovelace+1@x', 'a/b=c')).toBe(
      'https://app.example.com/reset?login=ada%20lovelace%2B1%40x&key=a%2Fb%3Dc',
    );
  });

  it('fills a template without a login placeholder, and repeated placeholders', () => {
    expect(resetUrl('https://a.example/r/{key}#{key}', 'ada', 'k&1')).toBe('https://a.example/r/k%261#k%261');
  });
});
