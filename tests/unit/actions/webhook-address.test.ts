import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isForbiddenWebhookAddress } from '../../../shared/domain/actions/webhook-address.js';
import { signWebhook } from '../../../shared/adapters/webhooks.js';

describe('webhook address guard', () => {
  it.each([
    '127.0.0.1', '127.1.2.3', '10.0.0.1', '172.16.0.1', '172.31.255.255', '192.168.1.1', '169.254.169.254', '0.0.0.0', '100.64.0.1', '224.0.0.1', '255.255.255.255',
    '::1', '::', 'fe80::1', 'fc00::1', 'fd12:3456::1', '::ffff:127.0.0.1', '::ffff:169.254.169.254', '::127.0.0.1', 'ff02::1', '64:ff9b::a9fe:a9fe', '2002:a9fe:a9fe::1', 'not-an-ip',
  ])('refuses %s', (address) => {
    expect(isForbiddenWebhookAddress(address)).toBe(true);
  });

  it.each(['93.184.216.34', '8.8.8.8', '172.32.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8'])('allows %s', (address) => {
    expect(isForbiddenWebhookAddress(address)).toBe(false);
  });

  it('signs "<t>.<body>" with HMAC-SHA256', () => {
    const expected = createHmac('sha256', 'k').update('1700000000.{"a":1}').digest('hex');
    expect(signWebhook('k', 1_700_000_000, '{"a":1}')).toBe(`t=1700000000,v1=${expected}`);
  });
});
