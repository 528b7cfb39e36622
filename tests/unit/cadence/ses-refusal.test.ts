import { AccountSuspendedException, BadRequestException, LimitExceededException, MessageRejected, SendingPausedException, TooManyRequestsException } from '@aws-sdk/client-sesv2';
import { describe, expect, it } from 'vitest';
import { isPermanentSesRefusal } from '../../../functions/cadences/send-step.js';

const meta = (httpStatusCode: number) => ({ $metadata: { httpStatusCode } });

// Which SES answers end a cadence step as failed (refused for good) and which only delay it (dead-lettered
// after the retries, replayable): functions/cadences/README.md → "Sending".
describe('isPermanentSesRefusal', () => {
  it('a 4xx that is not throttling is a refusal for good', () => {
    expect(isPermanentSesRefusal(new MessageRejected({ message: 'Email address is not verified.', ...meta(400) }))).toBe(true);
    expect(isPermanentSesRefusal(new BadRequestException({ message: 'bad', ...meta(400) }))).toBe(true);
    expect(isPermanentSesRefusal(new AccountSuspendedException({ message: 'suspended', ...meta(400) }))).toBe(true);
  });

  it('throttling, a paused account, a 5xx, a network error or a plain error are not', () => {
    expect(isPermanentSesRefusal(new TooManyRequestsException({ message: 'slow down', ...meta(429) }))).toBe(false);
    expect(isPermanentSesRefusal(new LimitExceededException({ message: 'limit', ...meta(400) }))).toBe(false);
    expect(isPermanentSesRefusal(new SendingPausedException({ message: 'paused', ...meta(400) }))).toBe(false);
    expect(isPermanentSesRefusal(Object.assign(new Error('Service unavailable.'), { name: 'ServiceUnavailable', ...meta(503) }))).toBe(false);
    expect(isPermanentSesRefusal(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))).toBe(false);
    expect(isPermanentSesRefusal(new Error('No send slot under the account send rate within 30 s'))).toBe(false);
    expect(isPermanentSesRefusal('not an error')).toBe(false);
    expect(isPermanentSesRefusal(null)).toBe(false);
  });
});
