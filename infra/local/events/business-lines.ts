import type { BusEvent, EventMetadata } from '../../../shared/events/envelope.js';

/**
 * `npm start`'s readable log: one line per business event on the local bus, saying who did what to which
 * record: `12:01:03  u-agent changed leadStatus of Leads 01JB…`. Names are the ones Keiro and its admins
 * define (modules, fields, journeys, blueprints, cadences, rules, processes, states); people are their
 * user ids and records their module and id, because names, emails, phones, field values and message
 * texts are personal data, which no log carries (the guarantee holds locally too). The JSON and EMF lines
 * the Lambdas write are behind `npm start -- --verbose` (or `LOG_FORMAT=json`).
 */

/** Bus traffic that is plumbing, not something a person would call an event of the business. */
const PLUMBING = new Set(['timer.scheduled', 'module.view-backfill-continued']);

type Data = Record<string, unknown>;

const str = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);
const quoted = (name: unknown): string => (str(name) ? `"${str(name)}"` : '');
const record = (module: unknown, id: unknown): string => [str(module), str(id)].filter(Boolean).join(' ');
const list = (values: unknown): string => (Array.isArray(values) ? values.filter((v): v is string => typeof v === 'string').join(', ') : '');
const fieldsChanged = (data: Data): string => list(Array.isArray(data.changes) ? data.changes.map((c: { field?: unknown }) => c.field) : []);

/** Who did it: the automation by its kind and name, else the user id (or `system`). */
const who = (metadata: EventMetadata): string => {
  const automation = metadata.automation;
  return automation ? `${automation.kind.replace(/-/g, ' ')} ${quoted(automation.name)}` : metadata.actor;
};

/** `via kiosk`, `via wizard`…: the path, when it says more than the actor does. */
const path = (metadata: EventMetadata): string =>
  metadata.via && metadata.via !== 'api' && metadata.via !== metadata.actor && !metadata.automation ? ` (via ${metadata.via})` : '';

/** What happened, per event; undefined: the generic sentence. */
const sentences: Record<string, (data: Data, metadata: EventMetadata) => string> = {
  'record.created': (d) => `created ${record(d.module, d.recordId)}`,
  'record.updated': (d) => `changed ${fieldsChanged(d) || 'fields'} of ${record(d.module, d.recordId)}`,
  'record.deleted': (d) => `deleted ${record(d.module, d.recordId)}`,
  'record.linked': (d) => `linked ${record(d.module, d.recordId)} to ${record((d.linkedTo as Data | undefined)?.module, (d.linkedTo as Data | undefined)?.id)}`,
  'lead.converted': (d) => {
    const conversion = (d.conversion ?? {}) as Data;
    const created = Array.isArray(conversion.created) ? conversion.created.map((r: Data) => record(r.module, r.id)) : [];
    const linked = Array.isArray(conversion.linked) ? conversion.linked.map((r: Data) => `${record(r.module, r.id)} (existing)`) : [];
    return `converted ${record(d.module ?? 'Leads', d.recordId)} into ${[...created, ...linked].join(', ') || `Contacts ${str(conversion.contactId) ?? ''}`}`;
  },
  'journey.state-changed': (d) => {
    const customer = (d.customer ?? {}) as Data;
    return `moved ${record(customer.module, customer.id)} ${str(d.from) ? `from ${str(d.from)} ` : 'into the journey at '}${str(d.from) ? `to ${str(d.to)}` : str(d.to)}`;
  },
  'blueprint.transitioned': (d) =>
    d.moved === false
      ? `did ${quoted(d.transitionName)} on ${record(d.module, d.recordId)} (blueprint ${quoted(d.blueprintName)}; ${d.escalated ? 'escalated' : 'waiting for the other branches'})`
      : `moved ${record(d.module, d.recordId)} through ${quoted(d.transitionName)}: ${str(d.from)} → ${str(d.to)} (blueprint ${quoted(d.blueprintName)})`,
  'approval.requested': (d) => `asked ${list(d.approverIds)} to approve ${record(d.module, d.recordId)} (${quoted(d.processName)}, level ${String(d.level)})`,
  'approval.decided': (d) => `${String(d.status)} ${record(d.module, d.recordId)} (${quoted(d.processName)})${str(d.onBehalfOf) ? ` for ${str(d.onBehalfOf)}` : ''}`,
  'approval.escalated': (d) => `escalated the approval of ${record(d.module, d.recordId)} to ${list(d.addedApproverIds)} (${quoted(d.processName)})`,
  'approval.recalled': (d) => `recalled the approval of ${record(d.module, d.recordId)} (${quoted(d.processName)})`,
  'review.requested': (d) => `asked ${list(d.reviewerIds)} to review ${list(d.fields)} of ${record(d.module, d.recordId)} (${quoted(d.processName)})`,
  'review.decided': (d) => `${String(d.status)} the review of ${record(d.module, d.recordId)} (${quoted(d.processName)})`,
  'cadence.enrolled': (d) => `enrolled ${record(d.module, d.recordId)} in cadence ${quoted(d.cadenceName)}`,
  'cadence.unenrolled': (d) => `took ${record(d.module, d.recordId)} out of cadence ${quoted(d.cadenceName)} (${String(d.reason)})`,
  'workflow-rule.executed': (d) => {
    const rec = (d.record ?? {}) as Data;
    const actions = Array.isArray(d.actions) ? d.actions.length : 0;
    return `${d.outcome === 'ran' ? `ran on ${record(rec.module, rec.id)} (${actions} action${actions === 1 ? '' : 's'})` : `did not run on ${record(rec.module, rec.id)} (${String(d.outcome)})`}`;
  },
  'request.submitted': (d) => `submitted request ${record(d.module, d.requestId)}`,
  'request.status-changed': (d) => `moved request ${record(d.module, d.requestId)} from ${str(d.previousStatus) ?? '?'} to ${String(d.status)}`,
  'request.assigned': (d) => `assigned request ${record(d.module, d.requestId)} to ${str(d.assigneeId) ?? 'nobody'}`,
  'request.commented': (d) => `commented on request ${record(d.module, d.requestId)}`,
  'kiosk.notification-requested': (d) => `asked to notify ${[...(Array.isArray(d.userIds) ? d.userIds : []), ...(Array.isArray(d.emails) && d.emails.length > 0 ? [`${d.emails.length} address${d.emails.length === 1 ? '' : 'es'}`] : [])].join(', ') || 'nobody'} (kiosk run ${String(d.runId)})`,
  'kiosk.webhook-requested': (d) => `asked for a webhook call (kiosk run ${String(d.runId)})`,
  'user.created': (d) => `added user ${str((d.user as Data | undefined)?.id) ?? ''} to the directory`,
  'user.updated': (d) => `changed ${fieldsChanged(d) || 'the entry'} of user ${str((d.user as Data | undefined)?.id) ?? ''}`,
  'module.created': (d) => `defined module ${str((d.module as Data | undefined)?.name) ?? ''}`,
  'module.updated': (d) => `changed the definition of module ${str((d.module as Data | undefined)?.name) ?? ''}`,
  'team.created': (d) => `created team space ${quoted((d.team as Data | undefined)?.name)} (${String(d.teamId)})`,
  'process-definition.saved': (d) => `saved ${String(d.kind).replace('-', ' ')} ${quoted(d.name)} on ${str(d.module) ?? ''}${Number(d.publishedVersion) > 0 ? ` (published version ${String(d.publishedVersion)})` : ''}`,
  'workflow-rule.saved': (d) => `saved workflow rule ${quoted(d.name)} on ${str(d.module) ?? ''}`,
  'workflow-rule.deleted': (d) => `deleted workflow rule ${quoted(d.name)} on ${str(d.module) ?? ''}`,
  'wizard.created': (d) => `defined wizard ${quoted(d.name)}`,
  'wizard.updated': (d) => `saved version ${String(d.version)} of wizard ${quoted(d.name)}`,
  'kiosk.created': (d) => `defined kiosk ${quoted(d.name)}`,
  'kiosk.updated': (d) => `saved version ${String(d.version)} of kiosk ${quoted(d.name)}`,
};

/** Cadence email events: which step of which cadence, for which record; never the address. */
const EMAIL_VERBS: Record<string, string> = { sent: 'sent', delivered: 'delivered', opened: 'was opened', clicked: 'was clicked', replied: 'was replied to', bounced: 'bounced', complained: 'was marked as spam' };
const emailSentence = (name: string, d: Data): string | undefined => {
  const verb = EMAIL_VERBS[name.slice('email.'.length)];
  return verb ? `email ${quoted(d.stepId)} of cadence ${quoted(d.cadenceName)} to ${record(d.module, d.recordId)} ${verb}` : undefined;
};

/** The generic sentence: the event's name and what it concerns. */
const generic = (name: string, metadata: EventMetadata): string => {
  const subject = metadata.subject;
  return `${name}${subject ? ` ${subject.module ? `${subject.module} ` : subject.type === 'record' ? '' : `${subject.type} `}${subject.id}` : ''}`;
};

const clockTime = (iso: string | undefined): string => {
  const at = iso ? new Date(iso) : undefined;
  return at && !Number.isNaN(at.getTime()) ? at.toISOString().replace('T', ' ').slice(0, 19) : '????-??-?? ??:??:??';
};

/**
 * The readable line of one bus event, or undefined for plumbing (timers being scheduled, backfill
 * hand-overs). The time is the cloud's business time (it runs ahead with `--time-scale`), in UTC.
 */
export const businessLine = (event: BusEvent): string | undefined => {
  const name = event['detail-type'];
  if (PLUMBING.has(name)) return undefined;
  const metadata = event.detail?.metadata;
  if (!metadata) return undefined;
  const data = (event.detail.data ?? {}) as Data;
  const email = name.startsWith('email.') ? emailSentence(name, data) : undefined;
  if (email) return `${clockTime(metadata.occurredAt)}  ${email}`;
  const sentence = sentences[name]?.(data, metadata) ?? generic(name, metadata);
  const replay = event.detail.replay ? ' [replayed]' : '';
  return `${clockTime(metadata.occurredAt)}  ${who(metadata)} ${sentence}${path(metadata)}${replay}`;
};
