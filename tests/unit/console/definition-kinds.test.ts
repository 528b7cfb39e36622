import { describe, expect, it } from 'vitest';
import { draftOf, isDefinitionKind, moduleOf, nameOf, parseDraft, standingOf } from '../../../functions/console/ui/definition-kinds.js';

const blueprint = { id: 'B1', module: 'TravelApplications', name: 'Travel application', draft: { name: 'Travel application', module: 'TravelApplications', field: 'stage' }, revision: 4, publishedVersion: 2, createdAt: 'x', updatedAt: 'x', createdBy: 'u', updatedBy: 'u' };
const rule = { id: 'R1', version: 3, createdBy: 'u-admin', createdAt: 'x', updatedAt: 'x', name: 'High-value deal alert', module: 'Deals', trigger: { type: 'fieldChange' }, actions: [], active: true };
const journey = { id: 'J1', name: 'Travel customer journey', version: 2, active: true, activeVersion: 2, definition: { name: 'Travel customer journey', states: [] }, createdAt: 'x', updatedAt: 'x' };

describe('the definitions the console lets an admin try', () => {
  it('takes the draft out of what GET answers: a blueprint’s draft, a journey’s definition, a flat definition without its metadata', () => {
    expect(draftOf('blueprint', blueprint)).toEqual(blueprint.draft);
    expect(draftOf('journey', journey)).toEqual(journey.definition);
    expect(draftOf('workflowRule', rule)).toEqual({ name: 'High-value deal alert', module: 'Deals', trigger: { type: 'fieldChange' }, actions: [], active: true });
    expect(Object.keys(draftOf('cadence', { id: 'C1', version: 1, active: false, createdAt: 'x', updatedAt: 'x', name: 'Follow-up', module: 'Leads', steps: [] }))).toEqual(['name', 'module', 'steps']);
  });

  it('names a definition, its module and where it stands', () => {
    expect([nameOf('blueprint', blueprint), moduleOf('blueprint', blueprint), standingOf('blueprint', blueprint)]).toEqual(['Travel application', 'TravelApplications', 'published version 2 · draft revision 4']);
    expect(standingOf('blueprint', { ...blueprint, publishedVersion: 0 })).toBe('never published');
    expect([nameOf('workflowRule', rule), standingOf('workflowRule', rule)]).toEqual(['High-value deal alert', 'version 3 · active']);
    expect([moduleOf('journey', journey), standingOf('journey', journey)]).toEqual([undefined, 'version 2 · active']);
    expect(nameOf('cadence', { id: 'C9' })).toBe('C9');
  });

  it('accepts only a JSON object as a draft, and says why not otherwise', () => {
    expect(parseDraft('{"name":"x"}')).toEqual({ draft: { name: 'x' } });
    for (const bad of ['', '{', '[1]', 'null', '"text"', '42']) expect(parseDraft(bad)).toEqual({ error: expect.any(String) });
    expect(parseDraft('[]')).toEqual({ error: 'The draft must be a JSON object (a definition)' });
  });

  it('knows the five kinds and nothing else', () => {
    expect(['blueprint', 'workflowRule', 'approvalProcess', 'cadence', 'journey'].every(isDefinitionKind)).toBe(true);
    expect([null, '', 'wizard', '__proto__', 'toString'].some(isDefinitionKind)).toBe(false);
  });
});
