/// <reference lib="dom" />
import { ApiError, call } from './api.js';
import type { CadenceEmail, HistoryEntry, JourneyInstance, RecordHistory } from '../../../shared/domain/replay/timeline.js';

/** Everything the replay of one customer shows, loaded through the public API as the signed-in user. */
export interface Story {
  leadId: string;
  records: RecordHistory[];
  journeys: JourneyInstance[];
  emails: CadenceEmail[];
  /** Singular labels by module. */
  modules: Record<string, string>;
  users: Record<string, string>;
  /** The blueprint field and its states, by module. */
  stages: Record<string, { field: string; states: string[] }>;
  /** Journey state names by state id. */
  states: Record<string, string>;
}

interface RecordView {
  id: string;
  module: string;
  fields: Record<string, unknown>;
}
interface Page<T> {
  items: T[];
  nextCursor?: string;
}

/** Pages a list to its end (bounded: a story is a few records, not a table scan). */
const all = async <T>(token: string, path: string, maxPages = 20): Promise<T[]> => {
  const items: T[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < maxPages; page += 1) {
    const sep = path.includes('?') ? '&' : '?';
    const res = await call<Page<T>>(token, 'GET', `${path}${sep}limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    items.push(...res.items);
    cursor = res.nextCursor;
    if (!cursor) break;
  }
  return items;
};

/** Reference data the user may not be allowed to read is simply left out (the replay still plays). */
const optional = async <T>(load: () => Promise<T>, fallback: T): Promise<T> => {
  try {
    return await load();
  } catch (error) {
    if (error instanceof ApiError && error.problem.status < 500) return fallback;
    throw error;
  }
};

const singular = (label: string) => (label.endsWith('ies') ? `${label.slice(0, -3)}y` : label.endsWith('s') ? label.slice(0, -1) : label);
const enc = encodeURIComponent;

/**
 * The contact a converted lead became: conversion's own rule (the contact with the lead's email, else its
 * phone; the lowest id if several), preferring one that shares the lead's journey instance.
 */
const contactOf = async (token: string, lead: RecordView, instanceIds: string[]): Promise<RecordView | undefined> => {
  for (const field of ['email', 'phone']) {
    const value = lead.fields[field];
    if (typeof value !== 'string' || !value) continue;
    const found = (await call<Page<RecordView>>(token, 'GET', `/v1/records/Contacts/lookup?field=${field}&value=${enc(value)}`)).items.sort((a, b) => a.id.localeCompare(b.id));
    for (const contact of found) {
      const journeys = await optional(() => call<Page<JourneyInstance>>(token, 'GET', `/v1/records/Contacts/${contact.id}/journeys`), { items: [] });
      if (journeys.items.some((j) => instanceIds.includes(j.instanceId))) return contact;
    }
    if (found[0]) return found[0];
  }
  return undefined;
};

/** The cadence emails of the story's leads and contacts: each email step of their enrollments, with its subject template. */
const emailsOf = async (token: string, records: RecordView[]): Promise<CadenceEmail[]> => {
  const cadences = await optional(() => all<{ id: string; name: string; module: string; sender: { name: string }; steps: Array<{ id: string; type: string; subject?: string }> }>(token, '/v1/cadences'), []);
  const emails: CadenceEmail[] = [];
  for (const cadence of cadences) {
    for (const record of records.filter((r) => r.module === cadence.module)) {
      const enrollment = await optional(() => call<{ steps: Array<{ stepId: string; email?: CadenceEmail['events'] }> }>(token, 'GET', `/v1/cadences/${cadence.id}/enrollments/${record.id}`), undefined);
      for (const step of enrollment?.steps ?? []) {
        const subject = cadence.steps.find((s) => s.id === step.stepId && s.type === 'email')?.subject;
        if (step.email && subject) emails.push({ recordId: record.id, cadenceName: cadence.name, senderName: cadence.sender.name, stepId: step.stepId, subject, events: step.email });
      }
    }
  }
  return emails;
};

/**
 * Loads a customer's story from a lead:
 * 1. the lead and its journey instances;
 * 2. if converted, its contact, then the contact's account, travel applications and deals;
 * 3. the tasks related to each of them;
 * 4. the history of every one of those records;
 * 5. the cadence emails of the lead and the contact, module labels, user names, blueprint stages.
 */
export const loadStory = async (token: string, leadId: string): Promise<Story> => {
  const lead = await call<RecordView>(token, 'GET', `/v1/records/Leads/${enc(leadId)}`);
  const journeys = [...(await call<Page<JourneyInstance>>(token, 'GET', `/v1/records/Leads/${lead.id}/journeys`)).items];
  const people: RecordView[] = [lead];
  const contact = lead.fields.converted === true ? await contactOf(token, lead, journeys.map((j) => j.instanceId)) : undefined;
  const business: RecordView[] = [];
  if (contact) {
    people.push(contact);
    journeys.push(...(await call<Page<JourneyInstance>>(token, 'GET', `/v1/records/Contacts/${contact.id}/journeys`)).items);
    const accountId = contact.fields.accountId;
    if (typeof accountId === 'string') business.push(...(await optional(async () => [await call<RecordView>(token, 'GET', `/v1/records/Accounts/${enc(accountId)}`)], [])));
    for (const module of ['TravelApplications', 'Deals']) business.push(...(await optional(() => all<RecordView>(token, `/v1/records/Contacts/${contact.id}/related/${module}`), [])));
  }
  const tasks: RecordView[] = [];
  for (const record of [...people, ...business]) tasks.push(...(await optional(() => all<RecordView>(token, `/v1/records/Tasks?filter[relatedId]=${record.id}`), [])));
  const records: RecordHistory[] = [];
  // A record whose history the user may not read is left out of the story.
  for (const record of [...people, ...business, ...tasks]) records.push({ module: record.module, id: record.id, history: await optional(() => all<HistoryEntry>(token, `/v1/records/${record.module}/${record.id}/history`), []) });
  const journeyIds = [...new Set(journeys.map((j) => j.journeyId))];
  const [emails, modules, users, blueprints, definitions] = await Promise.all([
    emailsOf(token, people),
    optional(() => all<{ name: string; label: string }>(token, '/v1/modules'), []),
    optional(() => all<{ id: string; name?: string }>(token, '/v1/users'), []),
    optional(() => all<{ module: string; draft: { field: string; states: string[] } }>(token, '/v1/blueprints'), []),
    Promise.all(journeyIds.map((id) => optional(() => call<{ definition: { states: Array<{ id: string; name: string }> } }>(token, 'GET', `/v1/journeys/${enc(id)}`), undefined))),
  ]);
  return {
    leadId: lead.id,
    records,
    journeys,
    emails,
    modules: Object.fromEntries(modules.map((m) => [m.name, singular(m.label)])),
    users: Object.fromEntries(users.filter((u) => u.name).map((u) => [u.id, u.name!])),
    stages: Object.fromEntries(blueprints.map((b) => [b.module, { field: b.draft.field, states: b.draft.states }])),
    states: Object.fromEntries(definitions.flatMap((d) => d?.definition.states.map((s) => [s.id, s.name] as const) ?? [])),
  };
};
