/**
 * What the console shows of a shadow run, worked out from `GET /v1/shadow-runs/{id}` alone: how long
 * to wait before asking again, the progress in words, the counts of the draft beside the published
 * version's, and the changes grouped by outcome. Pure (no DOM), so unit tests cover it.
 */
import type { ShadowResult, ShadowRunView } from '../../shadow/schemas.js';

type Outcome = ShadowResult['counts'][number];
export type OutcomeKind = Outcome['kind'];
type Comparison = NonNullable<ShadowResult['comparison']>;

/** The days a try replays: "Try it on the last 30 days". */
export const TRY_DAYS = 30;

/**
 * Polling with backoff: the first look soon (a small window is done in a moment), then each wait half
 * as long again, never more than 5 s apart, so a long run costs few requests and a short one shows at once.
 */
export const nextPollDelay = (attempt: number): number => Math.min(5_000, Math.round(400 * 1.5 ** Math.max(0, attempt)));

export const isFinished = (run: Pick<ShadowRunView, 'status'>): boolean => run.status === 'done' || run.status === 'failed';

const number = new Intl.NumberFormat(undefined);

/** How far the run is, in words, and as a fraction once the window is counted (null before). */
export const progressOf = (run: Pick<ShadowRunView, 'status' | 'progress'>): { text: string; fraction: number | null } => {
  const { changesReplayed, changesTotal } = run.progress;
  if (run.status === 'queued') return { text: 'Waiting to start…', fraction: null };
  if (run.status === 'done') return { text: `Done: ${number.format(changesReplayed)} record changes replayed`, fraction: 1 };
  if (run.status === 'failed') return { text: 'The run failed', fraction: null };
  if (changesTotal === undefined) return { text: `Replaying… ${number.format(changesReplayed)} record changes so far`, fraction: null };
  return { text: `Replaying… ${number.format(changesReplayed)} of ${number.format(changesTotal)} record changes`, fraction: changesTotal === 0 ? 1 : Math.min(1, changesReplayed / changesTotal) };
};

/** Each kind of outcome in words, in the order the result lists them. */
export const OUTCOME_KINDS: Record<OutcomeKind, string> = {
  email: 'Email',
  task: 'Task',
  fieldUpdate: 'Field update',
  notification: 'Notification',
  webhook: 'Webhook call',
  recordCreated: 'Record created',
  transitionOffered: 'Transition offered',
  transitionBlocked: 'Transition blocked',
  approvalStarted: 'Approval started',
  enrollment: 'Enrollment',
  journeyEntered: 'Journey entered',
  journeyMove: 'Journey move',
  skipped: 'Skipped',
};
const KIND_ORDER = Object.keys(OUTCOME_KINDS);

/** One outcome as a person reads it: its kind and what tells it apart (`Email: Thank you`). */
export const outcomeText = (outcome: Pick<Outcome, 'kind' | 'label'>): string => (outcome.label ? `${OUTCOME_KINDS[outcome.kind] ?? outcome.kind}: ${outcome.label}` : (OUTCOME_KINDS[outcome.kind] ?? outcome.kind));

const keyOf = (o: Pick<Outcome, 'kind' | 'label'>) => `${o.kind}\u0000${o.label}`;
const byKindThenLabel = (a: Pick<Outcome, 'kind' | 'label'>, b: Pick<Outcome, 'kind' | 'label'>) => KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) || a.label.localeCompare(b.label);

export interface CountRow {
  kind: OutcomeKind;
  label: string;
  draft: number;
  /** What the published version did (undefined: nothing to compare). */
  published: number | undefined;
  /** draft − published (undefined: nothing to compare). */
  change: number | undefined;
}

/** The draft's counts beside the published version's, one row per outcome either of them produced. */
export const countRows = (result: Pick<ShadowResult, 'counts' | 'comparison'>): CountRow[] => {
  const published = result.comparison ? new Map(result.comparison.counts.map((c) => [keyOf(c), c.count])) : undefined;
  const outcomes = new Map<string, Pick<Outcome, 'kind' | 'label'>>();
  for (const c of [...result.counts, ...(result.comparison?.counts ?? [])]) outcomes.set(keyOf(c), { kind: c.kind, label: c.label });
  const draft = new Map(result.counts.map((c) => [keyOf(c), c.count]));
  return [...outcomes.values()].sort(byKindThenLabel).map((o) => {
    const d = draft.get(keyOf(o)) ?? 0;
    const p = published ? (published.get(keyOf(o)) ?? 0) : undefined;
    return { kind: o.kind, label: o.label, draft: d, published: p, change: p === undefined ? undefined : d - p };
  });
};

/** A machine name in words: `record.updated` → "Record updated", `createTask` → "Create task". */
export const words = (name: string): string => {
  const spaced = name.replace(/[._-]+/g, ' ').replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase().trim();
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
};

/** A count with its noun: "1 record", "2 records". */
export const counted = (n: number, one: string, many = `${one}s`): string => `${number.format(n)} ${n === 1 ? one : many}`;

/** A change in a count, signed: `+3`, `−2`, `0`. */
export const signed = (n: number): string => (n > 0 ? `+${number.format(n)}` : n < 0 ? `−${number.format(-n)}` : '0');

export interface ChangeGroup {
  /** What the records gain, lose, or move between. */
  title: string;
  records: Array<{ module: string; id: string }>;
}

/**
 * The side-by-side's records grouped by what changes for them: for each outcome the draft adds, the
 * records that gain it; for each it removes, the records that lose it; for each move, from → to.
 */
export const changeGroups = (comparison: Pick<Comparison, 'added' | 'removed' | 'moved'>): { added: ChangeGroup[]; removed: ChangeGroup[]; moved: ChangeGroup[] } => {
  const group = <T>(items: readonly T[], titleOf: (item: T) => string, recordOf: (item: T) => { module: string; id: string }): ChangeGroup[] => {
    const groups = new Map<string, ChangeGroup>();
    for (const item of items) {
      const title = titleOf(item);
      const g = groups.get(title) ?? { title, records: [] };
      g.records.push(recordOf(item));
      groups.set(title, g);
    }
    return [...groups.values()].sort((a, b) => b.records.length - a.records.length || a.title.localeCompare(b.title));
  };
  return {
    added: group(comparison.added, (a) => outcomeText(a.outcome), (a) => a.record),
    removed: group(comparison.removed, (r) => outcomeText(r.outcome), (r) => r.record),
    moved: group(comparison.moved, (m) => `${outcomeText(m.from)} → ${outcomeText(m.to)}`, (m) => m.record),
  };
};

/** How many distinct records change outcome (one record may gain one outcome and lose another). */
export const changedRecordCount = (comparison: Pick<Comparison, 'added' | 'removed' | 'moved'>): number =>
  new Set([...comparison.added, ...comparison.removed, ...comparison.moved].map((c) => `${c.record.module}/${c.record.id}`)).size;

/** The samples of one outcome, in the order of the count rows. */
export const sampleGroups = (result: Pick<ShadowResult, 'samples'>): ShadowResult['samples'] => [...result.samples].filter((s) => s.items.length > 0).sort(byKindThenLabel);
