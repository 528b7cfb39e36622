import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { composeRequestId, MAX_REQUEST_ID_LENGTH, requestIdModule } from '../../../shared/domain/teams/request-id.js';

/** A request's id names its team module (a hint for the one-batch read, never trusted over the locator). */
describe('request ids', () => {
  it('name the module', () => {
    const id = composeRequestId('01M969BX2DQKYDG7CAE1A6Y97H', 'Arrangements');
    expect(id).toBe('01M969BX2DQKYDG7CAE1A6Y97H.Arrangements');
    expect(requestIdModule(id)).toBe('Arrangements');
  });

  it('fall back to the plain id when the module would make it too long, or the parts are not an id and a module name', () => {
    expect(composeRequestId('01M969BX2DQKYDG7CAE1A6Y97H', `M${'m'.repeat(40)}`)).toBe('01M969BX2DQKYDG7CAE1A6Y97H');
    expect(composeRequestId('01M9.69', 'Arrangements')).toBe('01M9.69');
    expect(composeRequestId('01M969BX2DQKYDG7CAE1A6Y97H', 'not-a-module')).toBe('01M969BX2DQKYDG7CAE1A6Y97H');
  });

  it.each(['01M969BX2DQKYDG7CAE1A6Y97H', 'a.b', 'a.Bb.Cc', '.Arrangements', 'a.', 'a.__proto__', 'a.constructor', 'a.A'])('%s names no module', (id) => {
    expect(requestIdModule(id)).toBeUndefined();
  });

  it('any id either names no module or round-trips, and always fits the route', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), fc.string({ maxLength: 70 }), (unique, module) => {
        const id = composeRequestId(unique, module);
        if (id !== unique) expect(requestIdModule(id)).toBe(module);
        if (unique.length <= MAX_REQUEST_ID_LENGTH) expect(id.length).toBeLessThanOrEqual(MAX_REQUEST_ID_LENGTH);
      }),
    );
  });
});
