import { BlockList } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { retrySchedule } from '../../src/webhooks/retry-schedule.ts';
import { newSigningSecret, openSecret, sealSecret } from '../../src/webhooks/secret-box.ts';
import { webhookSettings } from '../../src/webhooks/settings.ts';
import { signatureHeaders } from '../../src/webhooks/signing.ts';
import { TargetRefused, isForbiddenAddress, parseTargetUrl, resolveTarget } from '../../src/webhooks/target-guard.ts';

const DAY = 24 * 3600;
const none = new BlockList();

describe('webhook retry schedule (issue 15)', () => {
  it('by default doubles from 30 s, caps at 12 h and keeps retrying for at least 3 days', () => {
    const delays = webhookSettings({}).retryDelaysSeconds;
    expect(delays.slice(0, 4)).toEqual([30, 60, 120, 240]);
    expect(Math.max(...delays)).toBe(12 * 3600);
    const total = delays.reduce((sum, d) => sum + d, 0);
    expect(total).toBeGreaterThanOrEqual(3 * DAY);
    // It stops soon after: the last wait is what crossed the span.
    expect(total - delays.at(-1)!).toBeLessThan(3 * DAY);
    expect(delays).toHaveLength(16);
  });

  it('takes seconds from the environment, for tests', () => {
    expect(webhookSettings({ WEBHOOK_RETRY_INITIAL_SECONDS: '1', WEBHOOK_RETRY_MAX_INTERVAL_SECONDS: '2', WEBHOOK_RETRY_SPAN_SECONDS: '6' }).retryDelaysSeconds).toEqual([1, 2, 2, 2]);
    expect(retrySchedule({ initialSeconds: 5, maxIntervalSeconds: 100, spanSeconds: 5 })).toEqual([5]);
  });
});

describe('webhook targets: SSRF protection (issue 15)', () => {
  it.each([
    '10.0.0.1', '172.16.5.4', '192.168.0.1', '127.0.0.1', '0.0.0.0', '169.254.169.254', '100.64.0.1', '224.0.0.251', '255.255.255.255',
    '::1', '::', 'fe80::1', 'fd00:ec2::254', 'fc00::1', 'ff02::1', '::ffff:10.0.0.1', '::ffff:7f00:1', '64:ff9b::a00:1',
  ])('refuses %s', (address) => {
    expect(isForbiddenAddress(address, none)).toBe(true);
  });

  it.each(['8.8.8.8', '1.1.1.1', '2606:4700:4700::1111', '::ffff:8.8.8.8'])('accepts the public address %s', (address) => {
    expect(isForbiddenAddress(address, none)).toBe(false);
  });

  it('lets the allow-list admit local receivers, and only those', async () => {
    const { allowedTargets } = webhookSettings({ WEBHOOK_ALLOWED_TARGETS: '127.0.0.1, 10.1.0.0/16' });
    expect(isForbiddenAddress('127.0.0.1', allowedTargets)).toBe(false);
    expect(isForbiddenAddress('10.1.2.3', allowedTargets)).toBe(false);
    expect(isForbiddenAddress('127.0.0.2', allowedTargets)).toBe(true);
    expect(await resolveTarget('http://127.0.0.1:8080/hook', allowedTargets)).toMatchObject({ address: '127.0.0.1', family: 4 });
    await expect(resolveTarget('http://127.0.0.1:8080/hook', none)).rejects.toThrow(TargetRefused);
    expect(() => webhookSettings({ WEBHOOK_ALLOWED_TARGETS: 'localhost' })).toThrow(/not an IP/);
  });

  it('refuses other schemes, credentials in the URL and names that resolve inward', async () => {
    expect(() => parseTargetUrl('ftp://example.com/')).toThrow(TargetRefused);
    expect(() => parseTargetUrl('https://user:pw@example.com/')).toThrow(TargetRefused);
    expect(() => parseTargetUrl('not a url')).toThrow(TargetRefused);
    expect(() => parseTargetUrl(`https://example.com/${'a'.repeat(2048)}`)).toThrow(TargetRefused);
    await expect(resolveTarget('http://0x7f000001/', none)).rejects.toThrow(/127\.0\.0\.1/);
    await expect(resolveTarget('http://[::ffff:169.254.169.254]/', none)).rejects.toThrow(TargetRefused);
    await expect(resolveTarget('http://localhost/', none)).rejects.toThrow(TargetRefused);
    await expect(resolveTarget('http://no-such-host.invalid/', none)).rejects.toThrow(/does not resolve/);
  });
});

describe('webhook signing secrets (issue 15)', () => {
  const settings = webhookSettings({});

  it('are sealed per endpoint: they open for their endpoint only, and not after tampering', () => {
    const secret = newSigningSecret();
    const sealed = sealSecret(settings.secretKeys, 'endpoint-a', secret);
    expect(sealed).not.toContain(secret.slice(6));
    expect(openSecret(settings.secretKeys, 'endpoint-a', sealed)).toBe(secret);
    expect(() => openSecret(settings.secretKeys, 'endpoint-b', sealed)).toThrow();
    const [id, iv, tag, body] = sealed.split('.');
    expect(() => openSecret(settings.secretKeys, 'endpoint-a', [id, iv, tag, `A${body!.slice(1)}`].join('.'))).toThrow();
  });

  it('sign with every live secret (rotation grace) and not with expired ones, verifiable by standardwebhooks', () => {
    const [oldSecret, newSecret, expiredSecret] = [newSigningSecret(), newSigningSecret(), newSigningSecret()];
    const at = new Date();
    const endpoint = {
      _id: 'endpoint-a',
      secrets: [
        { ciphertext: sealSecret(settings.secretKeys, 'endpoint-a', expiredSecret), expiresAt: new Date(at.getTime() - 1000) },
        { ciphertext: sealSecret(settings.secretKeys, 'endpoint-a', oldSecret), expiresAt: new Date(at.getTime() + 3_600_000) },
        { ciphertext: sealSecret(settings.secretKeys, 'endpoint-a', newSecret), expiresAt: null },
      ],
    };
    const body = JSON.stringify({ id: 'evt_1', type: 'invoice.paid', timestamp: at.toISOString(), data: {} });
    const headers = signatureHeaders(settings, endpoint, 'evt_1', at, body);
    expect(headers['webhook-id']).toBe('evt_1');
    expect(headers['webhook-signature']!.split(' ')).toHaveLength(2);
    expect(new Webhook(oldSecret).verify(body, headers)).toMatchObject({ type: 'invoice.paid' });
    expect(new Webhook(newSecret).verify(body, headers)).toMatchObject({ type: 'invoice.paid' });
    expect(() => new Webhook(expiredSecret).verify(body, headers)).toThrow();
    expect(() => new Webhook(newSecret).verify(body.replace('paid', 'void'), headers)).toThrow();
  });
});
