import { describe, expect, it } from 'vitest';
import { changeGroups, changedRecordCount, countRows, counted, words, isFinished, nextPollDelay, outcomeText, progressOf, sampleGroups, signed } from '../../../functions/console/ui/shadow-view.js';
import { runningRun, workflowRuleRun } from '../../fixtures/shadow/runs.js';

const result = workflowRuleRun.result!;

describe('the console’s view of a shadow run', () => {
  it('asks again soon, then half as long again each time, never more than 5 s apart', () => {
    const delays = Array.from({ length: 12 }, (_, attempt) => nextPollDelay(attempt));
    expect(delays.slice(0, 4)).toEqual([400, 600, 900, 1350]);
    for (let i = 1; i < delays.length; i += 1) expect(delays[i]).toBeGreaterThanOrEqual(delays[i - 1]!);
    expect(Math.max(...delays)).toBe(5_000);
    expect(nextPollDelay(-3)).toBe(400);
  });

  it('stops asking once the run is done or failed', () => {
    expect(['queued', 'running', 'done', 'failed'].map((status) => isFinished({ status: status as never }))).toEqual([false, false, true, true]);
  });

  it('says how far a run is, as a fraction once the window is counted', () => {
    expect(progressOf(runningRun)).toEqual({ text: 'Replaying… 2,500 of 10,000 record changes', fraction: 0.25 });
    expect(progressOf({ status: 'running', progress: { changesReplayed: 40 } })).toEqual({ text: 'Replaying… 40 record changes so far', fraction: null });
    expect(progressOf({ status: 'running', progress: { changesReplayed: 0, changesTotal: 0 } }).fraction).toBe(1);
    expect(progressOf({ status: 'queued', progress: { changesReplayed: 0 } }).fraction).toBeNull();
    expect(progressOf(workflowRuleRun)).toEqual({ text: 'Done: 10,000 record changes replayed', fraction: 1 });
  });

  it('puts the draft’s counts beside the published version’s, one row per outcome either produced, by kind', () => {
    expect(countRows(result)).toEqual([
      { kind: 'email', label: 'High-value deal', draft: 14, published: 9, change: 5 },
      { kind: 'task', label: 'Plan the high-value deal', draft: 14, published: 9, change: 5 },
      { kind: 'notification', label: 'Deal over a million', draft: 0, published: 2, change: -2 },
    ]);
    const { comparison: _, ...alone } = result;
    expect(countRows(alone).map((r) => [r.label, r.draft, r.published, r.change])).toEqual([
      ['High-value deal', 14, undefined, undefined],
      ['Plan the high-value deal', 14, undefined, undefined],
    ]);
    expect(countRows({ counts: [] })).toEqual([]);
  });

  it('groups the records that change outcome by what they gain, lose, or move between, the largest group first', () => {
    const groups = changeGroups(result.comparison!);
    expect(groups.added).toEqual([
      { title: 'Task: Plan the high-value deal', records: [{ module: 'Deals', id: 'D001' }, { module: 'Deals', id: 'D002' }] },
      { title: 'Email: High-value deal', records: [{ module: 'Deals', id: 'D001' }] },
    ]);
    expect(groups.removed).toEqual([{ title: 'Notification: Deal over a million', records: [{ module: 'Deals', id: 'D007' }] }]);
    expect(groups.moved).toEqual([{ title: 'Email: High-value deal → Task: Plan the high-value deal', records: [{ module: 'Deals', id: 'D009' }] }]);
    expect(changeGroups({ added: [], removed: [], moved: [] })).toEqual({ added: [], removed: [], moved: [] });
    // Five outcomes change, on four records (D001 gains a task and an email).
    expect(changedRecordCount(result.comparison!)).toBe(4);
    expect(changedRecordCount({ added: [], removed: [], moved: [] })).toBe(0);
  });

  it('shows only the outcomes that have samples, in the order of the counts', () => {
    expect(sampleGroups(result).map((g) => [g.kind, g.items.length])).toEqual([['task', 2]]);
  });

  it('names outcomes and signs changes in words people read', () => {
    expect(outcomeText({ kind: 'transitionBlocked', label: 'Travel Plan → Manager Approval' })).toBe('Transition blocked: Travel Plan → Manager Approval');
    expect(outcomeText({ kind: 'skipped', label: '' })).toBe('Skipped');
    expect([signed(3), signed(-2), signed(0), signed(12_000)]).toEqual(['+3', '−2', '0', '+12,000']);
    expect(['record.updated', 'createTask', 'sendEmail', 'blueprint.transitioned', 'approval-started'].map(words)).toEqual(['Record updated', 'Create task', 'Send email', 'Blueprint transitioned', 'Approval started']);
    expect([counted(1, 'record'), counted(0, 'record'), counted(2_500, 'customer'), counted(2, 'person', 'people')]).toEqual(['1 record', '0 records', '2,500 customers', '2 people']);
  });
});
