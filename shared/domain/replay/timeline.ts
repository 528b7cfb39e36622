/**
 * The replay of a customer's story (pure): the histories of the records that make up the customer (lead,
 * contact, travel applications, deals, their tasks) and the journey instances that follow them, merged
 * into one timeline ordered by time, and the scene after each step: every record's fields as they were
 * (rebuilt from the history's changes), the journey states, and one line of what happened.
 * Inputs are the public API's shapes (HistoryEntry, a record's journeys, a cadence enrollment's steps).
 */
import { mergeValues, renderTemplate } from '../cadence/template.js';
import { namePeople } from '../records/labels.js';

export interface HistoryChange {
  field: string;
  old: unknown;
  new: unknown;
}
export interface HistoryEntry {
  id: string;
  event: string;
  actor: string;
  via: string;
  automation?: { kind: string; id: string; name: string };
  reason?: string;
  changes: HistoryChange[];
  summary?: string;
  occurredAt: string;
  correlationId: string;
}
export interface RecordHistory {
  module: string;
  id: string;
  /** In any order (the API gives newest first). */
  history: HistoryEntry[];
}
export interface JourneyVisit {
  state: string;
  enteredAt: string;
  leftAt?: string;
  reason: string;
}
export interface JourneyInstance {
  journeyId: string;
  journeyName: string;
  instanceId: string;
  state: string;
  history: JourneyVisit[];
}
/** One email step of a cadence enrollment (its definition's subject template and what happened to it). */
export interface CadenceEmail {
  recordId: string;
  cadenceName: string;
  /** The cadence's sender (`{{sender.name}}`). */
  senderName: string;
  stepId: string;
  subject: string;
  events: Partial<Record<'sentAt' | 'deliveredAt' | 'openedAt' | 'clickedAt' | 'repliedAt' | 'bouncedAt' | 'complainedAt', string>>;
}

export type Step =
  /** History entries of one record written together (same time and correlation: one command). */
  | { kind: 'record'; at: string; module: string; recordId: string; entries: HistoryEntry[] }
  | { kind: 'journey'; at: string; instanceId: string; journeyName: string; state: string; from?: string; reason: string };

export interface RecordState {
  module: string;
  id: string;
  fields: Record<string, unknown>;
  deleted: boolean;
  /** Fields the scene's step changed. */
  changed: string[];
}
export interface JourneyState {
  instanceId: string;
  journeyName: string;
  state: string;
  /** The states visited so far, in order. */
  path: string[];
  /** When and why it entered its state. */
  since: string;
  reason: string;
}
export interface Scene {
  /** The step that led here (undefined before the first). */
  step?: Step;
  /** Records in the order they first appeared. */
  records: RecordState[];
  journeys: JourneyState[];
}

const byTime = <T>(at: (x: T) => string, tie: (x: T) => string) => (a: T, b: T) => at(a).localeCompare(at(b)) || tie(a).localeCompare(tie(b));

/**
 * One record's entries, oldest first (the entry id breaks ties), grouped by command. Its creation comes
 * first whatever the clocks say: an entry stamped before it (an automation on the cloud's simulated
 * clock, a person's click on another) is replayed at the creation's time, never before the record exists.
 */
const recordSteps = (record: RecordHistory): Step[] => {
  const seen = new Set<string>();
  const unique = record.history.filter((h) => !seen.has(h.id) && seen.add(h.id));
  const createdAt = unique.find((h) => h.event === 'record.created')?.occurredAt;
  const at = (h: HistoryEntry) => (createdAt && h.event !== 'record.created' && h.occurredAt < createdAt ? createdAt : h.occurredAt);
  const entries = unique
    .map((h) => ({ ...h, occurredAt: at(h) }))
    .sort((a, b) => a.occurredAt.localeCompare(b.occurredAt) || Number(b.event === 'record.created') - Number(a.event === 'record.created') || a.id.localeCompare(b.id));
  const steps: Array<Extract<Step, { kind: 'record' }>> = [];
  for (const entry of entries) {
    const last = steps.at(-1);
    if (last && last.at === entry.occurredAt && last.entries[0]!.correlationId === entry.correlationId) last.entries.push(entry);
    else steps.push({ kind: 'record', at: entry.occurredAt, module: record.module, recordId: record.id, entries: [entry] });
  }
  return steps;
};

const journeySteps = (instance: JourneyInstance): Step[] =>
  instance.history.map((visit, i) => ({
    kind: 'journey',
    at: visit.enteredAt,
    instanceId: instance.instanceId,
    journeyName: instance.journeyName,
    state: visit.state,
    ...(i > 0 ? { from: instance.history[i - 1]!.state } : {}),
    reason: visit.reason,
  }));

/**
 * The timeline: every history entry and every journey visit once (a record or an instance seen twice,
 * e.g. the same instance from the lead and from the contact, counts once), ordered by time; at the same
 * instant a record's change comes before the journey move it caused.
 */
export const buildTimeline = (records: readonly RecordHistory[], journeys: readonly JourneyInstance[]): Step[] => {
  const recordKeys = new Set<string>();
  const instances = new Set<string>();
  const steps: Array<{ step: Step; order: number }> = [];
  for (const record of records) {
    const key = `${record.module}/${record.id}`;
    if (recordKeys.has(key)) continue;
    recordKeys.add(key);
    for (const step of recordSteps(record)) steps.push({ step, order: 0 });
  }
  for (const instance of journeys) {
    if (instances.has(instance.instanceId)) continue;
    instances.add(instance.instanceId);
    for (const step of journeySteps(instance)) steps.push({ step, order: 1 });
  }
  const tie = ({ step, order }: { step: Step; order: number }) => `${order}${step.kind === 'record' ? step.entries[0]!.id : step.instanceId}`;
  // A stable sort: visits of one instance at the same instant keep their order.
  return steps.sort(byTime((s) => s.step.at, tie)).map((s) => s.step);
};

const applyStep = (previous: Scene, step: Step): Scene => {
  if (step.kind === 'journey') {
    const journeys = previous.journeys.some((j) => j.instanceId === step.instanceId)
      ? previous.journeys.map((j) => (j.instanceId === step.instanceId ? { ...j, state: step.state, path: [...j.path, step.state], since: step.at, reason: step.reason } : j))
      : [...previous.journeys, { instanceId: step.instanceId, journeyName: step.journeyName, state: step.state, path: [step.state], since: step.at, reason: step.reason }];
    return { step, records: previous.records.map((r) => ({ ...r, changed: [] })), journeys };
  }
  const current = previous.records.find((r) => r.module === step.module && r.id === step.recordId);
  const fields = { ...(current?.fields ?? {}) };
  const changed = new Set<string>();
  let deleted = current?.deleted ?? false;
  for (const entry of step.entries) {
    if (entry.event === 'record.deleted') deleted = true;
    for (const change of entry.changes) {
      changed.add(change.field);
      if (change.new === null || change.new === undefined) delete fields[change.field];
      else fields[change.field] = change.new;
    }
  }
  const next: RecordState = { module: step.module, id: step.recordId, fields, deleted, changed: [...changed] };
  const records = current
    ? previous.records.map((r) => (r === current ? next : { ...r, changed: [] }))
    : [...previous.records.map((r) => ({ ...r, changed: [] })), next];
  return { step, records, journeys: previous.journeys };
};

/** The scene before any step, then the scene after each step: `scenes(t)[i + 1]` is after `t[i]`. */
export const scenes = (timeline: readonly Step[]): Scene[] => {
  const out: Scene[] = [{ records: [], journeys: [] }];
  for (const step of timeline) out.push(applyStep(out.at(-1)!, step));
  return out;
};

export interface Names {
  /** Singular labels by module (Leads → Lead). */
  modules?: Readonly<Record<string, string>>;
  users?: Readonly<Record<string, string>>;
  emails?: readonly CadenceEmail[];
  /** Journey state names by state id (`trip-completed` → Trip completed). */
  states?: Readonly<Record<string, string>>;
  /** A field's label and a value as people read it (the module metadata's label, the value formatted by type). */
  field?: (module: string, field: string) => string;
  value?: (module: string, field: string, value: unknown) => string;
}


/** How a person would name a record: its name, subject or first and last name. */
export const recordTitle = (fields: Readonly<Record<string, unknown>>, fallback: string): string => {
  const person = [fields.firstName, fields.lastName].filter((x) => typeof x === 'string' && x).join(' ');
  const title = fields.name ?? fields.subject ?? (person || undefined);
  return typeof title === 'string' && title ? title : fallback;
};

/** A field value as text: empty as a dash, lists joined, objects as JSON. */
export const showValue = (value: unknown): string => {
  if (value === null || value === undefined || value === '') return '—';
  if (Array.isArray(value)) return value.map(showValue).join(', ');
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
};
const show = showValue;

/** Which cadence email an `email.<reaction>` entry is about: the enrollment step whose `<reaction>At` is the entry's time. */
const emailOf = (entry: HistoryEntry, recordId: string, emails: readonly CadenceEmail[]) => {
  const reaction = entry.event.slice('email.'.length);
  return emails.find((e) => e.recordId === recordId && e.events[`${reaction}At` as keyof CadenceEmail['events']] === entry.occurredAt);
};

const EMAIL_VERBS: Record<string, string> = { sent: 'sent', delivered: 'delivered', opened: 'opened', clicked: 'clicked', replied: 'replied to', bounced: 'bounced', complained: 'marked as spam' };

/**
 * What a step did, in one line (`title`), who or what did it (`by`) and details (`lines`): which email
 * (its subject rendered from the record as it was then), which task for whom, which transition or approval.
 * `before` and `after` are the scenes around the step.
 */
export const describeStep = (step: Step, before: Scene, after: Scene, names: Names = {}): { title: string; by: string; lines: string[] } => {
  const user = (id: unknown) => (typeof id === 'string' ? (names.users?.[id] ?? id) : show(id));
  if (step.kind === 'journey') {
    const state = (id: string) => names.states?.[id] ?? id;
    return { title: `Journey “${step.journeyName}”: ${step.from ? `${state(step.from)} → ` : 'started in '}${state(step.state)}`, by: 'journey', lines: [step.reason] };
  }
  const label = names.modules?.[step.module] ?? step.module;
  const was = before.records.find((r) => r.module === step.module && r.id === step.recordId);
  const now = after.records.find((r) => r.module === step.module && r.id === step.recordId)!;
  const name = recordTitle(now.fields, step.recordId);
  // The most telling entry names the step (an approval or a transition rather than the update it made).
  const main = step.entries.find((e) => !e.event.startsWith('record.')) ?? step.entries.find((e) => e.event !== 'record.updated') ?? step.entries[0]!;
  const by = main.automation ? `${main.automation.kind} “${main.automation.name}”` : main.via === 'api' ? user(main.actor) : `${user(main.actor)} (${main.via})`;
  const titleOf = (entry: HistoryEntry): string => {
    if (entry.event === 'record.created' && step.module === 'Tasks') return `Task “${show(now.fields.subject)}” for ${user(now.fields.assigneeId)}`;
    if (entry.event === 'record.created') return `${label} “${name}” created`;
    if (entry.event.startsWith('email.')) {
      const email = emailOf(entry, step.recordId, names.emails ?? []);
      const verb = EMAIL_VERBS[entry.event.slice('email.'.length)] ?? entry.event;
      if (!email) return namePeople(entry.summary ?? `Email ${verb}`, names.users);
      const subject = renderTemplate(email.subject, mergeValues(was?.fields ?? now.fields, { recordId: step.recordId, senderName: email.senderName }), 'header');
      return `Email “${subject}” ${verb}${verb === 'sent' && typeof now.fields.email === 'string' ? ` to ${now.fields.email}` : ''}`;
    }
    if (entry.event === 'cadence.enrolled') return 'Enrolled in a cadence';
    if (entry.event === 'cadence.unenrolled') return 'Left a cadence';
    if (entry.event === 'lead.converted') return `${label} “${name}” converted`;
    if (entry.event === 'record.deleted') return `${label} “${name}” deleted`;
    if (entry.event === 'record.updated') return `${label} “${name}” updated`;
    return namePeople(entry.summary ?? entry.reason ?? `${label} “${name}”: ${entry.event}`, names.users);
  };
  const title = titleOf(main);
  const reason = main.reason && !title.includes(main.reason) ? [namePeople(main.reason, names.users)] : [];
  // The other entries of the command (a creation that also asked for an approval), then what changed.
  const others = step.entries.filter((e) => e !== main && e.event !== 'record.updated').map(titleOf);
  const fieldName = (f: string) => names.field?.(step.module, f) ?? f;
  const valueOf = (f: string, v: unknown) => (names.value ? names.value(step.module, f, v) : show(v));
  const changes = step.entries.filter((e) => e.event !== 'record.created').flatMap((e) => e.changes.map((c) => `${fieldName(c.field)}: ${valueOf(c.field, c.old)} → ${valueOf(c.field, c.new)}`));
  return { title, by, lines: [...new Set([...reason, ...others, ...changes])].filter((l) => l !== title) };
};
