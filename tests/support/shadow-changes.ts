import type { ShadowChange } from '../../shared/domain/shadow/change.js';
import type { ShadowDirectory } from '../../shared/domain/shadow/approval.js';
import { replay, shadowResult, startReplay, type ReplayState, type ShadowSubject } from '../../shared/domain/shadow/engine.js';

/**
 * The shadow replayers' unit tests build recorded history changes (shared/domain/shadow/change.ts) and
 * replay them here: one set of builders, so every replayer is fed changes of the same shape.
 */

/** `at(n)`: the time `n` units (an hour, a minute: each test picks its own) after `start`. */
export const timeFrom =
  (start: string, unitMs: number) =>
  (n: number): string =>
    new Date(Date.parse(start) + n * unitMs).toISOString();

let sequence = 0;
/** History entry ids in the order built: replay orders changes at the same time by them. */
const nextEventId = (): string => `E${String((sequence += 1)).padStart(8, '0')}`;

/** A change with what a test leaves out empty: no fields, no field changes, made by a person (depth 0). */
export const shadowChange = (change: Pick<ShadowChange, 'event' | 'at' | 'module' | 'recordId'> & Partial<ShadowChange>): ShadowChange => ({
  eventId: nextEventId(),
  fields: {},
  changes: [],
  depth: 0,
  ...change,
});

/** Where and when a record change happened; `fields` are ones the record has that the change does not list (e.g. its name). */
export type ChangeOf = Pick<ShadowChange, 'at' | 'module' | 'recordId'> & Partial<Omit<ShadowChange, 'event' | 'changes'>>;

type Fields = Record<string, unknown>;
const fieldChanges = (before: Fields, after: Fields) => Object.entries(after).map(([field, value]) => ({ field, old: before[field] ?? null, new: value }));

/** `record.created` with `values`, each listed as a change from null. */
export const recordCreated = (where: ChangeOf, values: Fields): ShadowChange =>
  shadowChange({ ...where, event: 'record.created', fields: { ...where.fields, ...values }, changes: fieldChanges({}, values) });

/** `record.updated` of a record that had `before`: `changed` are its new values, each listed as a change from its old one. */
export const recordUpdated = (where: ChangeOf, before: Fields, changed: Fields): ShadowChange =>
  shadowChange({ ...where, event: 'record.updated', fields: { ...where.fields, ...before, ...changed }, changes: fieldChanges(before, changed) });

/** The draft replayed over `changes` (and the published version beside it, as version 1), up to `end`. */
export const replayed = (subject: ShadowSubject, changes: ShadowChange[], end: string, options: { published?: ShadowSubject; directory?: ShadowDirectory } = {}) => {
  const { published, directory } = options;
  const state = replay(subject, startReplay(subject), changes, directory);
  const beside = published ? { subject: published, state: replay(published, startReplay(published), changes, directory), version: 1 } : undefined;
  return { state, result: shadowResult({ subject, state }, beside, end) };
};

export type ReplayedResult = ReturnType<typeof replayed>['result'];

/** The draft replayed in two pages, its state saved as JSON between them (as the paged job does), up to `end`. */
export const replayedInPages = (subject: ShadowSubject, changes: ShadowChange[], cut: number, end: string, directory?: ShadowDirectory): ReplayedResult => {
  const first = replay(subject, startReplay(subject), changes.slice(0, cut), directory);
  const resumed = replay(subject, JSON.parse(JSON.stringify(first)) as ReplayState, changes.slice(cut), directory);
  return shadowResult({ subject, state: resumed }, undefined, end);
};

/** How many outcomes of this kind (and label, when given) the replay counted. */
export const countOf = (result: ReplayedResult, kind: string, label?: string): number =>
  result.counts.filter((c) => c.kind === kind && (label === undefined || c.label === label)).reduce((n, c) => n + c.count, 0);

/** The sample records of one kind and label. */
export const samplesOf = (result: ReplayedResult, kind: string, label: string) => result.samples.find((s) => s.kind === kind && s.label === label)?.items ?? [];
