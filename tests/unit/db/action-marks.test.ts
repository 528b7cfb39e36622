import { describe, expect, it } from 'vitest';
import { ActionAlreadyDone, actionMarks, CreatedOnceAlready, MailClaimTaken } from '../../../shared/db/action-runs.js';
import type { TransactItem } from '../../../shared/db/transact.js';

const item = (name: string): TransactItem => ({ Put: { TableName: 't', Item: { PK: name, SK: name }, ConditionExpression: 'attribute_not_exists(PK)' } });

describe("actionMarks: an action's marks in its record write, and what a failed one means", () => {
  it('orders the outcome marker, the once marker, then the claims', () => {
    const marks = actionMarks(item('outcome'), { once: item('once'), claims: [item('claim-1'), item('claim-2')] });
    expect(marks.items.map((i) => i.Put?.Item?.PK)).toEqual(['outcome', 'once', 'claim-1', 'claim-2']);
    expect(actionMarks(item('outcome')).items).toHaveLength(1);
  });

  it('the outcome marker says the most: done by another delivery, whatever else failed with it', () => {
    const marks = actionMarks(item('outcome'), { once: item('once'), claims: [item('claim')] });
    expect(marks.failure([0, 1, 2])).toBeInstanceOf(ActionAlreadyDone);
    expect(marks.failure([1, 2])).toBeInstanceOf(CreatedOnceAlready);
    expect(marks.failure([2])).toBeInstanceOf(MailClaimTaken);
    expect(marks.failure([])).toBeUndefined();
  });

  it('without a once marker the item after the outcome is a claim; an index past the marks names nothing', () => {
    const marks = actionMarks(item('outcome'), { claims: [item('claim')] });
    expect(marks.failure([1])).toBeInstanceOf(MailClaimTaken);
    expect(actionMarks(item('outcome')).failure([1])).toBeUndefined();
    expect(actionMarks(item('outcome'), { once: item('once') }).failure([2])).toBeUndefined();
  });

  it('each is a 409 (a lost race), never a 400', () => {
    for (const error of [new ActionAlreadyDone(), new CreatedOnceAlready(), new MailClaimTaken()]) expect(error.kind).toBe('conflict');
  });
});
