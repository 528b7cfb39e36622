import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildTimeline, describeStep, recordTitle, scenes, showValue, type HistoryEntry, type JourneyInstance, type RecordHistory } from '../../../shared/domain/replay/timeline.js';

let seq = 0;
const entry = (occurredAt: string, event: string, changes: HistoryEntry['changes'], extra: Partial<HistoryEntry> = {}): HistoryEntry => ({
  id: `E${String((seq += 1)).padStart(4, '0')}`,
  event,
  actor: 'u-agent',
  via: 'api',
  changes,
  occurredAt,
  correlationId: `c${seq}`,
  ...extra,
});
const created = (fields: Record<string, unknown>) => Object.entries(fields).map(([field, value]) => ({ field, old: null, new: value }));
const JOURNEY = { kind: 'journey', id: 'J1', name: 'Travel customer journey' };

/** The travel-agency story as the API reports it (histories newest first, as GET …/history answers). */
const story = () => {
  const t = (day: number, hh = '00') => `2026-07-0${day}T${hh}:00:00.000Z`;
  const lead: RecordHistory = {
    module: 'Leads',
    id: 'L1',
    history: [
      entry(t(1), 'record.created', created({ firstName: 'Aiko', lastName: 'Sato', email: 'aiko@example.jp', leadStatus: 'New' })),
      entry(t(2), 'cadence.enrolled', [], { actor: 'system', via: 'cadence', reason: 'Matches the enrollment criteria of cadence Travel inquiry follow-up' }),
      entry(t(3), 'email.sent', [], { actor: 'system', via: 'cadence' }),
      entry(t(4), 'record.updated', [{ field: 'leadStatus', old: 'New', new: 'Qualified' }]),
      entry(t(5), 'lead.converted', [{ field: 'converted', old: null, new: true }], { actor: 'system', via: 'journey', automation: JOURNEY }),
    ].reverse(),
  };
  const contact: RecordHistory = { module: 'Contacts', id: 'C1', history: [entry(t(5, '01'), 'record.created', created({ firstName: 'Aiko', lastName: 'Sato' }), { actor: 'system', via: 'journey', automation: JOURNEY })] };
  const same = { correlationId: 'bp-1' };
  const app: RecordHistory = {
    module: 'TravelApplications',
    id: 'A1',
    history: [
      entry(t(6), 'record.created', created({ name: 'Aiko Sato', stage: 'Requirements Check', contactId: 'C1' }), { actor: 'system', via: 'journey', automation: JOURNEY }),
      entry(t(7), 'blueprint.transitioned', [{ field: 'stage', old: 'Requirements Check', new: 'Travel Plan' }], { via: 'blueprint', summary: 'Transition "Requirements checked" of "Travel application": Requirements Check → Travel Plan', ...same }),
      entry(t(7), 'record.updated', [{ field: 'stage', old: 'Requirements Check', new: 'Travel Plan' }], { via: 'blueprint', ...same }),
    ].reverse(),
  };
  const task: RecordHistory = { module: 'Tasks', id: 'T1', history: [entry(t(1, '02'), 'record.created', created({ subject: 'Contact the new lead', assigneeId: 'u-agent', relatedId: 'L1' }), { actor: 'system', via: 'journey', automation: JOURNEY })] };
  const instance: JourneyInstance = {
    journeyId: 'J1',
    journeyName: 'Travel customer journey',
    instanceId: 'I1',
    state: 'customer',
    history: [
      { state: 'lead', enteredAt: t(1), leftAt: t(4), reason: 'Leads created' },
      { state: 'prospect', enteredAt: t(4), leftAt: t(5), reason: 'Leads.leadStatus became Qualified' },
      { state: 'customer', enteredAt: t(5), reason: 'Lead converted' },
    ],
  };
  return { lead, contact, app, task, instance, t };
};

describe('the replay timeline of the travel-agency story', () => {
  const { lead, contact, app, task, instance, t } = story();
  // The instance as seen from the lead and from the contact: one instance.
  const timeline = buildTimeline([app, lead, task, contact, lead], [instance, instance]);
  const all = scenes(timeline);
  const names = {
    modules: { Leads: 'Lead', Contacts: 'Contact', TravelApplications: 'Travel application', Tasks: 'Task' },
    users: { 'u-agent': 'Akari Agent' },
    emails: [{ recordId: 'L1', cadenceName: 'Travel inquiry follow-up', senderName: 'Keiro Travel', stepId: 'thank-you', subject: 'Thank you for your travel inquiry, {{firstName}}', events: { sentAt: t(3) } }],
  };
  const titles = timeline.map((step, i) => describeStep(step, all[i]!, all[i + 1]!, names).title);

  it('orders everything by time, a record change before the journey move it caused, each entry and visit once', () => {
    expect(titles).toEqual([
      'Lead “Aiko Sato” created',
      'Journey “Travel customer journey”: started in lead',
      'Task “Contact the new lead” for Akari Agent',
      'Enrolled in a cadence',
      'Email “Thank you for your travel inquiry, Aiko” sent to aiko@example.jp',
      'Lead “Aiko Sato” updated',
      'Journey “Travel customer journey”: lead → prospect',
      'Lead “Aiko Sato” converted',
      'Journey “Travel customer journey”: prospect → customer',
      'Contact “Aiko Sato” created',
      'Travel application “Aiko Sato” created',
      'Transition "Requirements checked" of "Travel application": Requirements Check → Travel Plan',
    ]);
  });

  it('says which cadence a record entered, and why', () => {
    const i = titles.indexOf('Enrolled in a cadence');
    expect(describeStep(timeline[i]!, all[i]!, all[i + 1]!, names)).toEqual({ title: 'Enrolled in a cadence', by: 'system (cadence)', lines: ['Matches the enrollment criteria of cadence Travel inquiry follow-up'] });
  });

  it('merges the entries one command wrote (same time and correlation) into one step', () => {
    const step = timeline.at(-1)!;
    expect(step.kind === 'record' && step.entries.map((e) => e.event).sort()).toEqual(['blueprint.transitioned', 'record.updated']);
    expect(describeStep(step, all.at(-2)!, all.at(-1)!, names)).toEqual({ title: expect.stringContaining('Requirements checked'), by: 'Akari Agent (blueprint)', lines: ['stage: Requirements Check → Travel Plan'] });
  });

  it('shows each record as it was at each step, with the fields the step changed, and the journey state', () => {
    const afterQualified = all[6]!;
    expect(afterQualified.records.find((r) => r.id === 'L1')).toMatchObject({ fields: { leadStatus: 'Qualified' }, changed: ['leadStatus'] });
    expect(afterQualified.journeys).toEqual([{ instanceId: 'I1', journeyName: 'Travel customer journey', state: 'lead', path: ['lead'], since: t(1), reason: 'Leads created' }]);
    expect(all[7]!.journeys[0]).toMatchObject({ state: 'prospect', path: ['lead', 'prospect'], since: t(4), reason: 'Leads.leadStatus became Qualified' });
    expect(all[7]!.records.every((r) => r.changed.length === 0)).toBe(true);
    expect(all.at(-1)!.records.map((r) => [r.module, r.fields.stage ?? r.fields.leadStatus ?? null])).toEqual([
      ['Leads', 'Qualified'],
      ['Tasks', null],
      ['Contacts', null],
      ['TravelApplications', 'Travel Plan'],
    ]);
    expect(describeStep(timeline[7]!, all[7]!, all[8]!, names).by).toBe('journey “Travel customer journey”');
  });

  it('names states, fields, values and people as people read them when it knows them', () => {
    const labelled = {
      ...names,
      states: { lead: 'Lead', prospect: 'Prospect', customer: 'Customer' },
      field: (module: string, field: string) => (module === 'TravelApplications' && field === 'stage' ? 'Stage' : field),
      value: (_module: string, _field: string, value: unknown) => `‘${String(value)}’`,
    };
    const i = titles.indexOf('Journey “Travel customer journey”: lead → prospect');
    expect(describeStep(timeline[i]!, all[i]!, all[i + 1]!, labelled).title).toBe('Journey “Travel customer journey”: Lead → Prospect');
    expect(describeStep(timeline.at(-1)!, all.at(-2)!, all.at(-1)!, labelled).lines).toEqual(['Stage: ‘Requirements Check’ → ‘Travel Plan’']);
    const deal: RecordHistory = { module: 'Deals', id: 'D2', history: [entry(t(8), 'approval.requested', [], { via: 'approval', summary: 'Submitted for approval "Discount over 10%" (level 1 of 1: u-agent, u-nobody)' })] };
    const line = buildTimeline([deal], []);
    const s = scenes(line);
    expect(describeStep(line[0]!, s[0]!, s[1]!, labelled).title).toBe('Submitted for approval "Discount over 10%" (level 1 of 1: Akari Agent, u-nobody)');
  });

  it('never applies a change to a record before its creation, even when clocks disagree (a task done shows Done, not Open)', () => {
    // The task was created by a timer on the simulated clock, a little "later" than the person's click that closed it.
    const skewed: RecordHistory = {
      module: 'Tasks',
      id: 'T9',
      history: [
        entry(t(5), 'record.created', created({ subject: 'Call the customer', status: 'Open', assigneeId: 'u-agent' }), { actor: 'system', via: 'journey', automation: JOURNEY }),
        entry(t(4), 'record.updated', [{ field: 'status', old: 'Open', new: 'Done' }]),
      ],
    };
    const line = buildTimeline([skewed], []);
    expect(line.map((step) => step.kind === 'record' && step.entries[0]!.event)).toEqual(['record.created', 'record.updated']);
    expect(scenes(line).at(-1)!.records[0]!.fields.status).toBe('Done');
  });

  it('names a command by its most telling entry: an approval asked for at creation, with the creation as a line', () => {
    const deal: RecordHistory = {
      module: 'Deals',
      id: 'D1',
      history: [
        entry(t(8), 'record.created', created({ name: 'Kyoto trip', discountPercent: 15 }), { correlationId: 'k' }),
        entry(t(8), 'approval.requested', [], { correlationId: 'k', via: 'approval', summary: 'Submitted for approval "Discount over 10%" (level 1 of 1: u-manager)' }),
        entry(t(9), 'approval.decided', [], { actor: 'u-manager', via: 'approval', reason: 'Fine', summary: 'Approved "Discount over 10%": Fine' }),
      ],
    };
    const line = buildTimeline([deal], []);
    const s = scenes(line);
    expect(line).toHaveLength(2);
    expect(describeStep(line[0]!, s[0]!, s[1]!, names)).toEqual({ title: 'Submitted for approval "Discount over 10%" (level 1 of 1: u-manager)', by: 'Akari Agent (approval)', lines: ['Deals “Kyoto trip” created'] });
    expect(describeStep(line[1]!, s[1]!, s[2]!, names)).toMatchObject({ title: 'Approved "Discount over 10%": Fine', by: 'u-manager (approval)', lines: [] });
  });

  it('renders the email subject from the record as it was when it was sent, and falls back when the email is unknown', () => {
    const renamed: RecordHistory = { ...lead, history: [...lead.history, entry(t(3, '05'), 'record.updated', [{ field: 'firstName', old: 'Aiko', new: 'Ai' }])] };
    const line = buildTimeline([renamed], []);
    const s = scenes(line);
    const i = line.findIndex((step) => step.kind === 'record' && step.entries[0]!.event === 'email.sent');
    expect(describeStep(line[i]!, s[i]!, s[i + 1]!, names).title).toBe('Email “Thank you for your travel inquiry, Aiko” sent to aiko@example.jp');
    expect(describeStep(line[i]!, s[i]!, s[i + 1]!, {}).title).toBe('Email sent');
  });

  it('shows values as text: a dash for nothing, lists joined, objects as JSON', () => {
    expect([null, undefined, '', ['a', 'b'], { x: 1 }, 3, true].map(showValue)).toEqual(['—', '—', '—', 'a, b', '{"x":1}', '3', 'true']);
  });

  it('names records by name, subject or person, else by id', () => {
    expect(recordTitle({ name: 'Trip' }, 'x')).toBe('Trip');
    expect(recordTitle({ subject: 'Call' }, 'x')).toBe('Call');
    expect(recordTitle({ lastName: 'Sato' }, 'x')).toBe('Sato');
    expect(recordTitle({ name: 3 }, 'x')).toBe('x');
  });

  it('a deleted record stays in the scene, marked deleted; an empty history gives an empty timeline', () => {
    const gone: RecordHistory = { module: 'Deals', id: 'D1', history: [entry(t(1), 'record.created', created({ name: 'Deal' })), entry(t(2), 'record.deleted', [])] };
    expect(scenes(buildTimeline([gone], [])).at(-1)!.records).toEqual([{ module: 'Deals', id: 'D1', fields: { name: 'Deal' }, deleted: true, changed: [] }]);
    expect(buildTimeline([], [])).toEqual([]);
    expect(scenes([])).toEqual([{ records: [], journeys: [] }]);
  });
});

// ---- Properties: any histories the records core could have written. ----

const FIELDS = ['a', 'b', 'c', 'd'] as const;
const value = fc.oneof(fc.string({ maxLength: 4 }), fc.integer(), fc.boolean(), fc.constant(null));
/** A record's life: created with some fields, then updates (a null clears the field); times never go back. */
const life = fc.record({
  initial: fc.dictionary(fc.constantFrom(...FIELDS), value.filter((v) => v !== null), { maxKeys: 4 }),
  updates: fc.array(fc.record({ gap: fc.nat(3), changes: fc.dictionary(fc.constantFrom(...FIELDS), value, { minKeys: 1, maxKeys: 3 }), sameCommand: fc.boolean() }), { maxLength: 8 }),
  start: fc.nat(20),
});
type Life = typeof life extends fc.Arbitrary<infer T> ? T : never;

const at = (n: number) => new Date(Date.UTC(2026, 0, 1) + n * 60_000).toISOString();

/** The history the records core writes for a life (with the right `old` values), newest first, and the current fields. */
const historyOf = (l: Life, r: number): { history: HistoryEntry[]; current: Record<string, unknown> } => {
  const current: Record<string, unknown> = { ...l.initial };
  let time = l.start;
  let n = 0;
  const id = () => `${String(time).padStart(4, '0')}-${r}-${String((n += 1)).padStart(3, '0')}`;
  const history: HistoryEntry[] = [{ id: id(), event: 'record.created', actor: 'u', via: 'api', changes: created(l.initial), occurredAt: at(time), correlationId: `r${r}-0` }];
  for (const u of l.updates) {
    time += u.gap;
    const changes = Object.entries(u.changes).map(([field, v]) => ({ field, old: current[field] ?? null, new: v }));
    for (const c of changes) if (c.new === null) delete current[c.field];
    else current[c.field] = c.new;
    const previous = history.at(-1)!;
    const correlationId = u.sameCommand && u.gap === 0 ? previous.correlationId : `r${r}-${n + 1}`;
    history.push({ id: id(), event: 'record.updated', actor: 'u', via: 'api', changes, occurredAt: at(time), correlationId });
  }
  return { history: history.reverse(), current };
};

const customer = fc.array(life, { minLength: 1, maxLength: 4 }).map((lives) => lives.map((l, r) => ({ module: r % 2 ? 'Contacts' : 'Leads', id: `R${r}`, ...historyOf(l, r) })));
const visits = fc.array(fc.record({ state: fc.constantFrom('lead', 'prospect', 'customer'), gap: fc.nat(5) }), { maxLength: 5 });
const instanceOf = (v: Array<{ state: string; gap: number }>): JourneyInstance => {
  let time = 0;
  const history = v.map((x) => ({ state: x.state, enteredAt: at((time += x.gap)), reason: 'r' }));
  return { journeyId: 'J', journeyName: 'J', instanceId: 'I', state: v.at(-1)?.state ?? 'lead', history };
};

describe('replay properties', () => {
  it('replaying every step gives each record its current values and each journey its current state', () => {
    fc.assert(
      fc.property(customer, visits, fc.nat(), (records, v, seed) => {
        const shuffled = [...records].sort((x, y) => ((x.id.charCodeAt(1) * 31 + seed) % 7) - ((y.id.charCodeAt(1) * 31 + seed) % 7));
        const instance = instanceOf(v);
        const last = scenes(buildTimeline(shuffled, v.length ? [instance] : [])).at(-1)!;
        for (const r of records) expect(last.records.find((x) => x.id === r.id)!.fields).toEqual(r.current);
        expect(last.journeys.map((j) => j.state)).toEqual(v.length ? [instance.state] : []);
        expect(last.journeys[0]?.path ?? []).toEqual(v.map((x) => x.state));
      }),
    );
  });

  it('orders steps by time and keeps every entry and visit exactly once', () => {
    fc.assert(
      fc.property(customer, visits, (records, v) => {
        const timeline = buildTimeline([...records, ...records], v.length ? [instanceOf(v), instanceOf(v)] : []);
        const times = timeline.map((s) => s.at);
        expect(times).toEqual([...times].sort());
        const ids = timeline.flatMap((s) => (s.kind === 'record' ? s.entries.map((e) => e.id) : []));
        expect(ids.sort()).toEqual(records.flatMap((r) => r.history.map((h) => h.id)).sort());
        expect(timeline.filter((s) => s.kind === 'journey')).toHaveLength(v.length);
      }),
    );
  });

  it('each step starts from the values its changes name as old (stepping back shows what the history says was there)', () => {
    fc.assert(
      fc.property(customer, (records) => {
        const timeline = buildTimeline(records, []);
        const all = scenes(timeline);
        timeline.forEach((step, i) => {
          if (step.kind !== 'record' || step.entries[0]!.event === 'record.created') return;
          const before = all[i]!.records.find((r) => r.id === step.recordId)!;
          // Within one merged command the first change of a field names what was there before it.
          const firsts = new Map<string, unknown>();
          for (const c of step.entries.flatMap((e) => e.changes)) if (!firsts.has(c.field)) firsts.set(c.field, c.old);
          for (const [field, old] of firsts) expect(before.fields[field] ?? null).toEqual(old);
        });
      }),
    );
  });

  it('the scene after step i is the same whether played from the start or replayed up to i', () => {
    fc.assert(
      fc.property(customer, visits, fc.nat(), (records, v, k) => {
        const timeline = buildTimeline(records, v.length ? [instanceOf(v)] : []);
        const i = timeline.length ? k % timeline.length : 0;
        expect(scenes(timeline.slice(0, i)).at(-1)).toEqual(scenes(timeline)[i]);
      }),
    );
  });
});
