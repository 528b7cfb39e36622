import { expect, it } from 'vitest';
import { matchesPattern, type EventPattern } from '../../../shared/events/event-pattern.js';

export interface PatternCase {
  scenario: string;
  pattern: EventPattern;
  event: unknown;
  matches: boolean;
}

/** One test per case: the pattern matches the event, or does not. */
export const patternTable = (cases: PatternCase[]): void => {
  it.each(cases)('$scenario', ({ pattern, event, matches }) => {
    expect(matchesPattern(pattern, event)).toBe(matches);
  });
};
