import { describe, expect, it } from 'vitest';
import { businessLine } from '../../../infra/local/events/business-lines.js';
import type { BusEvent, EventMetadata } from '../../../shared/events/envelope.js';

const event = (name: string, data: Record<string, unknown>, metadata: Partial<EventMetadata> = {}): BusEvent => ({
  version: '0',
  id: 'bus-1',
  source: 'keiro',
  'detail-type': name,
  account: '000000000000',
  region: 'ap-northeast-1',
  time: '2026-12-06T09:15:30.000Z',
  resources: [],
  detail: { metadata: { id: 'e-1', occurredAt: '2026-12-08T09:15:30.123Z', actor: 'u-agent', correlationId: 'c-1', via: 'api', ...metadata }, data },
});

describe('the readable line of a business event', () => {
  it('says when (the cloud\'s time), who, what and which record', () => {
    expect(businessLine(event('record.created', { module: 'Leads', recordId: '01LEAD', changes: [] }, { via: 'wizard' }))).toBe('2026-12-08 09:15:30  u-agent created Leads 01LEAD (via wizard)');
    expect(businessLine(event('record.updated', { module: 'Leads', recordId: '01LEAD', changes: [{ field: 'leadStatus', old: 'New', new: 'Qualified' }, { field: 'phone', old: null, new: '090-1234-5678' }] }))).toBe(
      '2026-12-08 09:15:30  u-agent changed leadStatus, phone of Leads 01LEAD',
    );
  });

  it('names an automation by its kind and name', () => {
    const line = businessLine(
      event('journey.state-changed', { journeyId: 'j-1', journeyVersion: 1, instanceId: 'i-1', from: 'lead', to: 'prospect', reason: 'fieldChanged', version: 2, customer: { module: 'Leads', id: '01LEAD' } }, { actor: 'system', via: 'journey', automation: { kind: 'journey', id: 'j-1', name: 'Travel customer journey' } }),
    );
    expect(line).toBe('2026-12-08 09:15:30  journey "Travel customer journey" moved Leads 01LEAD from lead to prospect');
    expect(
      businessLine(event('workflow-rule.executed', { ruleId: 'r', name: 'High-value deal alert', module: 'Deals', version: 1, sourceEventId: 'e', sourceEvent: 'record.updated', record: { module: 'Deals', id: '01DEAL' }, outcome: 'ran', depth: 1, actions: [{ index: 0, type: 'createTask', status: 'done' }, { index: 1, type: 'sendEmail', status: 'done' }] }, { automation: { kind: 'workflow-rule', id: 'r', name: 'High-value deal alert' } })),
    ).toBe('2026-12-08 09:15:30  workflow rule "High-value deal alert" ran on Deals 01DEAL (2 actions)');
  });

  it('tells processes by the names their admins gave them', () => {
    expect(
      businessLine(event('blueprint.transitioned', { module: 'TravelApplications', recordId: '01APP', blueprintId: 'b', blueprintName: 'Travel application', blueprintVersion: 1, transitionId: 't', transitionName: 'Requirements checked', kind: 'normal', from: 'Requirements Check', to: 'Travel Plan', moved: true, escalated: false, checklist: [] })),
    ).toBe('2026-12-08 09:15:30  u-agent moved TravelApplications 01APP through "Requirements checked": Requirements Check → Travel Plan (blueprint "Travel application")');
    expect(businessLine(event('approval.decided', { module: 'Deals', recordId: '01DEAL', approvalId: 'a', processId: 'p', processName: 'Discount over 10%', level: 1, status: 'approved', decidedBy: 'u-manager' }, { actor: 'u-manager' }))).toBe(
      '2026-12-08 09:15:30  u-manager approved Deals 01DEAL ("Discount over 10%")',
    );
    expect(businessLine(event('cadence.enrolled', { cadenceId: 'c', cadenceName: 'Travel inquiry follow-up', cadenceVersion: 1, enrollmentId: 'en', module: 'Leads', recordId: '01LEAD', trigger: 'automatic' }, { actor: 'system', via: 'cadence' }))).toBe(
      '2026-12-08 09:15:30  system enrolled Leads 01LEAD in cadence "Travel inquiry follow-up" (via cadence)',
    );
  });

  it('never carries an address, a field value, a comment or a message text', () => {
    const email = businessLine(event('email.sent', { cadenceId: 'c', cadenceName: 'Travel inquiry follow-up', cadenceVersion: 1, enrollmentId: 'en', module: 'Leads', recordId: '01LEAD', stepId: 'thank-you', messageId: 'm', to: 'mika.honda@example.jp', at: '2026-12-08T09:15:30.000Z' }));
    expect(email).toBe('2026-12-08 09:15:30  email "thank-you" of cadence "Travel inquiry follow-up" to Leads 01LEAD sent');
    const lines = [
      email,
      businessLine(event('record.updated', { module: 'Leads', recordId: '01LEAD', changes: [{ field: 'phone', old: null, new: '090-1234-5678' }] })),
      businessLine(event('request.status-changed', { requestId: 'rq', module: 'Arrangements', teamId: 't', requesterId: 'u-requester', title: 'Flights for Mika Honda', status: 'Done', previousStatus: 'In Progress', comment: 'Booked for Mika Honda' }, { actor: 'u-ops' })),
      businessLine(event('kiosk.notification-requested', { runId: 'run', nodeId: 'n', step: 1, channels: ['email'], subject: 'Dates of Mika Honda moved', message: 'Her daughter has exams', userIds: ['u-agent'], emails: ['mika.honda@example.jp'] }, { via: 'kiosk' })),
    ].join('\n');
    expect(lines).not.toMatch(/mika|honda|090|exams|Booked/i);
    expect(lines).toContain('moved request Arrangements rq from In Progress to Done');
    expect(lines).toContain('asked to notify u-agent, 1 address (kiosk run run)');
  });

  it('tells directory and definition changes by id and by the names admins gave', () => {
    expect(businessLine(event('user.created', { user: { id: 'u-ops', name: 'Osamu Ops', email: 'u-ops@keiro.example', orgRole: 'member' }, changes: [] }, { actor: 'system' }))).toBe('2026-12-08 09:15:30  system added user u-ops to the directory');
    expect(businessLine(event('team.created', { teamId: 't-ops', team: { id: 't-ops', name: 'Operations', tabs: [], version: 1 } }, { actor: 'u-admin' }))).toBe('2026-12-08 09:15:30  u-admin created team space "Operations" (t-ops)');
    expect(businessLine(event('process-definition.saved', { kind: 'approval-process', id: 'p', module: 'Deals', name: 'Discount over 10%', revision: 1, publishedVersion: 1 }, { actor: 'u-admin' }))).toBe(
      '2026-12-08 09:15:30  u-admin saved approval process "Discount over 10%" on Deals (published version 1)',
    );
  });

  it('leaves out the plumbing, and says the rest generically', () => {
    expect(businessLine(event('timer.scheduled', { kind: 'cadence', key: 'k', wakeAt: 'x', token: 't' }))).toBeUndefined();
    expect(businessLine(event('team.member-added', { teamId: 't-1', userId: 'u-ops' }, { actor: 'u-admin', subject: { type: 'team', id: 't-1' } }))).toBe('2026-12-08 09:15:30  u-admin team.member-added team t-1');
  });
});
