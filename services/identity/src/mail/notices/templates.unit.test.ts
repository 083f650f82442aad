import { describe, expect, it } from 'vitest';
import { securityNoticeMail } from './templates.js';

const FACTS = {
  siteName: 'Engine',
  displayName: 'Ada',
  login: 'ada',
  at: Date.UTC(2026, 11, 7, 6, 40, 12),
  ip: '203.0.113.9',
  userAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14.5; rv:133.0) Gecko/20100101 Firefox/133.0',
};

describe('security notices', () => {
  it('tells which account, when, from which address and device', () => {
    const mail = securityNoticeMail({ ...FACTS, notice: 'password_changed', device: 'ada-laptop' });
    expect(mail.subject).toBe('[Engine] Your password was changed');
    expect(mail.text).toContain('Account: ada');
    expect(mail.text).toContain('When: Mon, 07 Dec 2026 06:40:12 GMT');
    expect(mail.text).toContain('IP address: 203.0.113.9');
    expect(mail.text).toContain('Device: ada-laptop (Firefox 133 on Mac OS 14.5)');
    expect(mail.html).toContain('203.0.113.9');
  });

  it('says a reset came through a mailed link or code, and links nowhere', () => {
    const mail = securityNoticeMail({ ...FACTS, notice: 'password_reset' });
    expect(mail.subject).toBe('[Engine] Your password was reset');
    expect(mail.text).toContain('was reset with a link or code mailed to this address');
    expect(mail.text).not.toMatch(/https?:/);
    expect(mail.html).not.toContain('<a ');
  });

  it('keeps client-given text on one line and out of the markup', () => {
    const mail = securityNoticeMail({
      ...FACTS,
      notice: 'password_changed',
      userAgent: `<script>x</script>\r\nBcc: someone@example.com ${'A'.repeat(500)}`,
      device: 'tab\u0007\u2028two',
    });
    expect(mail.html).not.toContain('<script>');
    expect(mail.text).toContain('Device: tab two (<script>x</script> Bcc: someone@example.com AAA');
    const deviceLine = mail.text.split('\n').find((line) => line.startsWith('Device: '))!;
    expect(deviceLine.length).toBeLessThan(450);
  });

  it('shows an agent that names no browser or OS as it came: an app or a script', () => {
    const mail = securityNoticeMail({ ...FACTS, notice: 'password_changed', userAgent: 'curl/8.5.0' });
    expect(mail.text).toContain('Device: curl/8.5.0');
  });

  it('says unknown for what the request did not tell', () => {
    const mail = securityNoticeMail({ ...FACTS, notice: 'password_changed', ip: '', userAgent: undefined });
    expect(mail.text).toContain('IP address: unknown');
    expect(mail.text).toContain('Device: unknown');
  });
});
