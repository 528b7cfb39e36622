import { describe, expect, it } from 'vitest';
import { TRAVEL_INQUIRY_FOLLOW_UP } from '../../../shared/domain/cadence/demo.js';
import { TRAVEL_CUSTOMER_JOURNEY } from '../../../shared/domain/journey/demo.js';
import { durationMs } from '../../../shared/domain/journey/definition.js';
import { DEMO_TIME_SCALE, STORY_MARGIN_MS, storyMaxTimeScale } from '../../../infra/local/demo/time-scale.js';

const DAY = 86_400_000;

describe("the story's margin of the cloud's time", () => {
  it('is the tightest bound the demo definitions put on the story: the cadence calls 2 days after the follow-up, the journey goes quiet 12 days after the story’s 2-day wait', () => {
    const call = TRAVEL_INQUIRY_FOLLOW_UP.steps.find((s) => s.id === 'call');
    const followUp = TRAVEL_INQUIRY_FOLLOW_UP.steps.find((s) => s.id === 'follow-up');
    expect([call?.parent, call?.condition]).toEqual(['follow-up', { event: 'notReplied', within: { amount: 2, unit: 'days' } }]);
    expect(followUp?.condition?.within).toEqual({ amount: 2, unit: 'days' });
    const goneQuiet = TRAVEL_CUSTOMER_JOURNEY.transitions.find((t) => t.id === 'gone-quiet');
    const quietMs = goneQuiet?.trigger.type === 'timeInState' ? durationMs(goneQuiet.trigger.after) : 0;
    expect(STORY_MARGIN_MS).toBe(Math.min(2 * DAY, quietMs - 2 * DAY));
  });

  it('sets the fastest pace: 1 minute for what follows an event allows 2,880×; the demo’s 3,600× leaves it 48 s', () => {
    expect(storyMaxTimeScale(60_000)).toBe(2880);
    expect(STORY_MARGIN_MS / DEMO_TIME_SCALE).toBe(48_000);
  });
});
