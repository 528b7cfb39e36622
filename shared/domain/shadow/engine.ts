/**
 * The shadow engine (pure): a definition replayed over the recorded changes of a window, on a simulated
 * clock, through the same engines the live consumers call (workflow rules: decideRules; journeys:
 * startInstance, onEvent, onTimer; approval processes: triggerFires, startApproval). It returns what the definition would have done, counted by outcome,
 * with samples and the side-by-side of two replays. State is plain JSON: a paged job saves it between pages.
 */
import type { JourneyDefinition } from '../journey/definition.js';
import type { WorkflowRule } from '../workflow/rule.js';
import { cadenceMismatches, emptyCadenceState, fireCadenceWakes, replayCadenceChange, type CadenceReplayState, type CadenceSubject } from './cadence.js';
import { blueprintMismatches, emptyBlueprintState, fireBlueprintWakes, replayBlueprintChange, type BlueprintReplayState, type BlueprintSubject } from './blueprint.js';
import type { ShadowChange } from './change.js';
import { approvalMismatches, emptyApprovalState, emptyDirectory, replayApprovalChange, type ApprovalReplayState, type ApprovalSubject, type ShadowDirectory } from './approval.js';
import { emptyJourneyState, fireJourneyTimers, journeyFigures, journeyMismatches, replayJourneyChange, type JourneyReplayState } from './journey.js';
import { compare, countsOf, emptyTally, samplesOf, type Tally } from './tally.js';
import { emptyRuleState, fireRuleWakes, replayRuleChange, ruleMismatches, type RuleReplayState } from './workflow-rule.js';

/** What a replay tries: a definition of a kind the engine replays, with the id it is saved under (if any). */
export type ShadowSubject =
  | { kind: 'workflowRule'; rule: WorkflowRule }
  | { kind: 'journey'; journeyId: string; definition: JourneyDefinition }
  | CadenceSubject
  | BlueprintSubject
  | ApprovalSubject;

export interface ReplayState {
  tally: Tally;
  rule?: RuleReplayState;
  journey?: JourneyReplayState;
  cadence?: CadenceReplayState;
  blueprint?: BlueprintReplayState;
  approval?: ApprovalReplayState;
  /** The simulated clock: the time of the last change replayed. */
  clock?: string;
  replayed: number;
}

export const startReplay = (subject: ShadowSubject): ReplayState => ({
  tally: emptyTally(),
  ...(subject.kind === 'workflowRule'
    ? { rule: emptyRuleState() }
    : subject.kind === 'cadence'
      ? { cadence: emptyCadenceState() }
      : subject.kind === 'blueprint'
        ? { blueprint: emptyBlueprintState() }
        : subject.kind === 'approvalProcess'
          ? { approval: emptyApprovalState() }
          : { journey: emptyJourneyState() }),
  replayed: 0,
});

/** Moves the simulated clock to `until`: waits and deadlines due by then fire, in time order. */
export const advanceClock = (subject: ShadowSubject, state: ReplayState, until: string): void => {
  if (subject.kind === 'workflowRule') fireRuleWakes(subject.rule, state.tally, state.rule!, until);
  else if (subject.kind === 'cadence') fireCadenceWakes(subject, state.tally, state.cadence!, until);
  else if (subject.kind === 'blueprint') fireBlueprintWakes(subject, state.tally, state.blueprint!, until);
  else if (subject.kind === 'journey') fireJourneyTimers(subject.definition, state.tally, state.journey!, until);
  // Approvals wake nothing the past can tell: reminders and escalations hang on when a person decides.
  if (!state.clock || until > state.clock) state.clock = until;
};

/**
 * Replays changes (in replay order, after every change already replayed) into `state`, mutating it:
 * before each change the clock moves to its time, then the change goes through the kind's engine.
 */
export const replay = (subject: ShadowSubject, state: ReplayState, changes: readonly ShadowChange[], directory: ShadowDirectory = emptyDirectory()): ReplayState => {
  for (const change of changes) {
    advanceClock(subject, state, change.at);
    if (subject.kind === 'workflowRule') replayRuleChange(subject.rule, state.tally, state.rule!, change);
    else if (subject.kind === 'cadence') replayCadenceChange(subject, state.tally, state.cadence!, change);
    else if (subject.kind === 'blueprint') replayBlueprintChange(subject, state.tally, state.blueprint!, change);
    else if (subject.kind === 'approvalProcess') replayApprovalChange(subject, state.tally, state.approval!, change, directory);
    else replayJourneyChange(subject.definition, subject.journeyId, state.tally, state.journey!, change);
    state.replayed += 1;
  }
  return state;
};

/** The run's result: the draft's outcomes, and beside them the published version's (when there is one), as of the window's end. */
export const shadowResult = (draft: { subject: ShadowSubject; state: ReplayState }, published: { subject: ShadowSubject; state: ReplayState; version: number } | undefined, windowEnd: string) => {
  advanceClock(draft.subject, draft.state, windowEnd);
  if (published) advanceClock(published.subject, published.state, windowEnd);
  const recorded = published
    ? published.subject.kind === 'workflowRule'
      ? ruleMismatches(published.state.rule!)
      : published.subject.kind === 'cadence'
        ? cadenceMismatches(published.state.cadence!)
        : published.subject.kind === 'blueprint'
          ? blueprintMismatches(published.state.blueprint!)
          : published.subject.kind === 'approvalProcess'
            ? approvalMismatches(published.state.approval!)
            : journeyMismatches(published.state.journey!, published.state.tally)
    : undefined;
  return {
    counts: countsOf(draft.state.tally),
    samples: samplesOf(draft.state.tally),
    ...(published
      ? { comparison: { publishedVersion: published.version, counts: countsOf(published.state.tally), ...compare(draft.state.tally, published.state.tally), ...(recorded ? { recorded } : {}) } }
      : {}),
    limits: draft.state.tally.limits,
    ...(draft.subject.kind === 'journey' ? { journey: journeyFigures(draft.subject.definition, draft.subject.journeyId, draft.state.journey!, windowEnd) } : {}),
  };
};
