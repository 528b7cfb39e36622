import { describe, expect, it } from 'vitest';
import {
  InvalidEventPatternError,
  asEventPattern,
  matchesPattern,
  validatePattern,
  type EventPattern,
} from '../../../shared/events/event-pattern.js';

import { patternTable as table } from './pattern-table.js';

/** The EC2 example event used throughout the AWS "Amazon EventBridge event patterns" page. */
const ec2Event = {
  version: '0',
  id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
  'detail-type': 'EC2 Instance State-change Notification',
  source: 'aws.ec2',
  account: '111122223333',
  time: '2017-12-22T18:43:48Z',
  region: 'us-west-1',
  resources: ['arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0'],
  detail: { 'instance-id': 'i-1234567890abcdef0', state: 'terminated' },
};

const ec2Termination: EventPattern = {
  source: ['aws.ec2'],
  'detail-type': ['EC2 Instance State-change Notification'],
  detail: { state: ['terminated'] },
};

/** The Auto Scaling example event from AWS "Matching null values and empty strings". */
const autoScalingEvent = {
  version: '0',
  id: '3e3c153a-8339-4e30-8c35-687ebef853fe',
  'detail-type': 'EC2 Instance Launch Successful',
  source: 'aws.autoscaling',
  account: '123456789012',
  time: '2015-11-11T21:31:47Z',
  region: 'us-east-1',
  resources: [],
  detail: { eventVersion: '', responseElements: null },
};

describe('exact matching', () => {
  // AWS docs, "Amazon EventBridge event patterns": the EC2 instance-termination example.
  table([
    { scenario: 'the documented EC2 termination pattern matches the EC2 event', pattern: ec2Termination, event: ec2Event, matches: true },
    {
      scenario: 'a different state does not match',
      pattern: ec2Termination,
      event: { ...ec2Event, detail: { ...ec2Event.detail, state: 'running' } },
      matches: false,
    },
    { scenario: 'a different source does not match', pattern: ec2Termination, event: { ...ec2Event, source: 'aws.ecs' }, matches: false },
    {
      scenario: 'a field named in the pattern but missing from the event fails the match',
      pattern: ec2Termination,
      event: { ...ec2Event, detail: { 'instance-id': 'i-1' } },
      matches: false,
    },
    { scenario: 'fields not named in the pattern are ignored', pattern: { source: ['aws.ec2'] }, event: ec2Event, matches: true },
  ]);

  // AWS docs, "Creating event patterns" › Matching event values: the values of a field are OR-ed.
  table([
    { scenario: 'a value list matches the first alternative', pattern: { source: ['aws.ec2', 'aws.fargate'] }, event: ec2Event, matches: true },
    { scenario: 'a value list matches a later alternative', pattern: { source: ['aws.fargate', 'aws.ec2'] }, event: ec2Event, matches: true },
    { scenario: 'a value list matches no alternative', pattern: { source: ['aws.fargate', 'aws.ecs'] }, event: ec2Event, matches: false },
  ]);

  // AWS docs, "Matching null values and empty strings in Amazon EventBridge event patterns".
  table([
    { scenario: 'an empty-string pattern matches an empty string', pattern: { detail: { eventVersion: [''] } }, event: autoScalingEvent, matches: true },
    { scenario: 'a null pattern matches a null value', pattern: { detail: { responseElements: [null] } }, event: autoScalingEvent, matches: true },
    { scenario: 'an empty-string pattern does not match null', pattern: { detail: { responseElements: [''] } }, event: autoScalingEvent, matches: false },
    { scenario: 'a null pattern does not match an empty string', pattern: { detail: { eventVersion: [null] } }, event: autoScalingEvent, matches: false },
    {
      scenario: 'a null pattern does not match the string "null"',
      pattern: { detail: { responseElements: [null] } },
      event: { detail: { responseElements: 'null' } },
      matches: false,
    },
    { scenario: 'a null pattern does not match a missing field', pattern: { detail: { nothing: [null] } }, event: autoScalingEvent, matches: false },
  ]);

  // AWS docs, "Matching events on event field values" › Value matching: the Macie example.
  table([
    {
      scenario: 'numbers match nested and top-level detail fields',
      pattern: { source: ['aws.macie'], 'detail-type': ['Macie Finding'], detail: { severity: { score: [1] }, count: [2] } },
      event: { source: 'aws.macie', 'detail-type': 'Macie Finding', detail: { severity: { score: 1, description: 'Low' }, count: 2 } },
      matches: true,
    },
    {
      scenario: 'a different number does not match',
      pattern: { detail: { severity: { score: [1] } } },
      event: { detail: { severity: { score: 2 } } },
      matches: false,
    },
  ]);

  // AWS docs, "Creating event patterns": values follow JSON rules; strings match character by character.
  table([
    { scenario: 'a boolean pattern matches the same boolean', pattern: { flag: [false] }, event: { flag: false }, matches: true },
    { scenario: 'a boolean pattern does not match the other boolean', pattern: { flag: [false] }, event: { flag: true }, matches: false },
    { scenario: 'a boolean pattern does not match the string "false"', pattern: { flag: [false] }, event: { flag: 'false' }, matches: false },
    { scenario: 'a number pattern does not match the same digits as a string', pattern: { n: [5] }, event: { n: '5' }, matches: false },
    { scenario: 'a string pattern does not match the same digits as a number', pattern: { n: ['5'] }, event: { n: 5 }, matches: false },
    { scenario: 'number 300 matches 300.0 parsed from JSON', pattern: { n: [300] }, event: JSON.parse('{"n": 300.0}'), matches: true },
    { scenario: 'number 300 matches 3.0e2 parsed from JSON', pattern: { n: [300] }, event: JSON.parse('{"n": 3.0e2}'), matches: true },
    { scenario: 'number 300 does not match 300.5', pattern: { n: [300] }, event: { n: 300.5 }, matches: false },
    { scenario: 'string matching is case-sensitive', pattern: { s: ['Running'] }, event: { s: 'running' }, matches: false },
    {
      scenario: 'strings with emoji and trailing whitespace match exactly',
      pattern: { s: ['A CamelCase string with an emoji 🚀 and trailing whitespace '] },
      event: { s: 'A CamelCase string with an emoji 🚀 and trailing whitespace ' },
      matches: true,
    },
    { scenario: 'field names are case-sensitive', pattern: { MY_KEY: ['v'] }, event: { my_key: 'v' }, matches: false },
    { scenario: 'an object-valued field does not match a value pattern', pattern: { detail: ['x'] }, event: { detail: { a: 'x' } }, matches: false },
    {
      scenario: 'a JSON string is not parsed into fields',
      pattern: { detail: { 'my-key': ['my-value'] } },
      event: { detail: '{"my-key": "my-value"}' },
      matches: false,
    },
  ]);
});

describe('arrays', () => {
  // AWS docs, "Arrays in Amazon EventBridge event patterns": a non-empty intersection matches.
  const resourcesPattern: EventPattern = {
    resources: [
      'arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f',
      'arn:aws:ec2:us-east-1:111122223333:instance/i-b188560f',
      'arn:aws:ec2:us-east-1:444455556666:instance/i-b188560f',
    ],
  };
  table([
    {
      scenario: 'the documented resources pattern matches an event whose second resource is listed',
      pattern: resourcesPattern,
      event: {
        resources: [
          'arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:eb56d16b:autoScalingGroupName/ASGTerminate',
          'arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f',
        ],
      },
      matches: true,
    },
    {
      scenario: 'the documented resources pattern does not match when no resource is listed',
      pattern: resourcesPattern,
      event: { resources: ['arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:eb56d16b'] },
      matches: false,
    },
    { scenario: 'an empty event array matches no value, not even null', pattern: { resources: [null] }, event: { resources: [] }, matches: false },
    { scenario: 'nested event arrays are searched too', pattern: { tags: ['b'] }, event: { tags: [['a'], ['b']] }, matches: true },
    { scenario: 'a mixed-type event array matches by type', pattern: { v: [1] }, event: { v: ['1', true, 1] }, matches: true },
  ]);

  // aws/event-ruler README, "JSON Array Matching": objects in arrays are matched element by element.
  const employees = {
    employees: [
      { firstName: 'John', lastName: 'Doe' },
      { firstName: 'Anna', lastName: 'Smith' },
      { firstName: 'Peter', lastName: 'Jones' },
    ],
  };
  table([
    { scenario: 'a nested pattern reaches into an array of objects', pattern: { employees: { firstName: ['Anna'] } }, event: employees, matches: true },
    {
      scenario: 'two fields of the same array element match together',
      pattern: { employees: { firstName: ['Anna'], lastName: ['Smith'] } },
      event: employees,
      matches: true,
    },
    {
      scenario: 'fields taken from different elements of one array do not match together',
      pattern: { employees: { firstName: ['Anna'], lastName: ['Jones'] } },
      event: employees,
      matches: false,
    },
    {
      scenario: 'array consistency holds through multi-level arrays',
      pattern: { employees: { firstName: ['Anna'], lastName: ['Jones'] } },
      event: { employees: [[employees.employees[0], employees.employees[1]], [employees.employees[2]]] },
      matches: false,
    },
    {
      scenario: 'only the last of many elements carries both fields and still matches',
      pattern: { d: { email: [{ exists: true }], name: [{ exists: true }] } },
      event: { d: [{ email: 'a@x' }, { email: 'b@x' }, { email: 'e@x', name: 'eve' }] },
      matches: true,
    },
    {
      scenario: 'fields of an inner array must come from one inner element',
      pattern: { u: { t: { k: ['color'], v: ['blue'] } } },
      event: { u: [{ t: [{ k: 'color' }, { v: 'blue' }] }] },
      matches: false,
    },
    {
      scenario: 'an array field and a scalar field combine freely',
      pattern: { users: { name: ['alice'] }, version: ['1'] },
      event: { users: [{ name: 'alice' }], version: '1' },
      matches: true,
    },
    {
      scenario: 'two unrelated arrays combine freely',
      pattern: { tags: ['admin'], users: { name: ['bob'] } },
      event: { tags: ['user', 'admin'], users: [{ name: 'alice' }, { name: 'bob' }] },
      matches: true,
    },
  ]);
});

describe('field paths', () => {
  // AWS docs, "Creating event patterns" › considerations: keys join with "." in both pattern and event.
  table([
    {
      scenario: 'a nested pattern matches a dotted key in the event',
      pattern: { detail: { state: { status: ['running'] } } },
      event: { detail: { 'state.status': 'running' } },
      matches: true,
    },
    {
      scenario: 'a dotted pattern key matches a nested event',
      pattern: { detail: { 'state.status': ['running'] } },
      event: { detail: { state: { status: 'running' } } },
      matches: true,
    },
    {
      scenario: 'a dotted event key with a deeper object is a different path',
      pattern: { detail: { state: { status: ['running'] } } },
      event: { detail: { 'state.status': { status: 'running' } } },
      matches: false,
    },
    {
      scenario: 'a dotted pattern key with a deeper object is a different path',
      pattern: { detail: { 'state.status': { status: ['running'] } } },
      event: { detail: { state: { status: 'running' } } },
      matches: false,
    },
    {
      scenario: 'when two pattern keys name the same path, the later one is used',
      pattern: { 'detail.location': [{ prefix: 'us-' }], detail: { location: [{ 'anything-but': 'us-east' }] } },
      event: { detail: { location: 'eu-central-1' } },
      matches: true,
    },
  ]);

  // AWS docs, "Amazon EventBridge events": the envelope fields are ordinary top-level fields.
  table([
    {
      scenario: 'every envelope field can be matched like any other field',
      pattern: {
        version: ['0'],
        id: ['6a7e8feb-b491-4cf7-a9f1-bf3703467718'],
        account: ['111122223333'],
        region: ['us-west-1'],
        time: [{ prefix: '2017-12-22' }],
        resources: [{ prefix: 'arn:aws:ec2:' }],
      },
      event: ec2Event,
      matches: true,
    },
    { scenario: 'detail is matched as a nested object', pattern: { detail: { 'instance-id': [{ exists: true }] } }, event: ec2Event, matches: true },
  ]);
});

describe('$or', () => {
  // AWS docs, "Content filtering" › Complex example with $or matching.
  const documented: EventPattern = {
    detail: {
      $or: [
        { 'c-count': [{ numeric: ['>', 0, '<=', 5] }] },
        { 'd-count': [{ numeric: ['<', 10] }] },
        { 'x-limit': [{ numeric: ['=', 3.018e2] }] },
      ],
    },
  };
  table([
    {
      scenario: 'the documented $or matches through its second alternative',
      pattern: documented,
      event: { detail: { 'c-count': 0, 'd-count': 0, 'x-limit': 901.8 } },
      matches: true,
    },
    {
      scenario: 'the documented $or matches through its third alternative',
      pattern: documented,
      event: { detail: { 'c-count': 0, 'd-count': 10, 'x-limit': 301.8 } },
      matches: true,
    },
    {
      scenario: 'the documented $or fails when no alternative holds',
      pattern: documented,
      event: { detail: { 'c-count': 0, 'd-count': 10, 'x-limit': 901.8 } },
      matches: false,
    },
  ]);

  // aws/event-ruler README, "The $or primitive": normal, parallel, and nested Or/And.
  const normal: EventPattern = {
    source: ['aws.cloudwatch'],
    $or: [{ metricName: ['CPUUtilization', 'ReadLatency'] }, { namespace: ['AWS/EC2', 'AWS/ES'] }],
  };
  const parallel: EventPattern = {
    $or: [{ metricName: ['CPUUtilization'] }, { namespace: ['AWS/EC2'] }],
    detail: { $or: [{ source: ['aws.cloudwatch'] }, { 'detail-type': ['CloudWatch Alarm State Change'] }] },
  };
  const nested: EventPattern = {
    source: ['aws.cloudwatch'],
    $or: [
      { metricName: ['CPUUtilization'] },
      { metricType: ['MetricType'], namespace: ['AWS/EC2'], $or: [{ metricId: [1234] }, { spaceId: [1000] }] },
      { scope: ['Service'] },
    ],
  };
  table([
    { scenario: 'a field beside $or is AND-ed with it (match)', pattern: normal, event: { source: 'aws.cloudwatch', namespace: 'AWS/ES' }, matches: true },
    { scenario: 'a field beside $or is AND-ed with it (source differs)', pattern: normal, event: { source: 'aws.ec2', namespace: 'AWS/ES' }, matches: false },
    {
      scenario: 'a field beside $or is AND-ed with it (no alternative)',
      pattern: normal,
      event: { source: 'aws.cloudwatch', namespace: 'AWS/S3' },
      matches: false,
    },
    {
      scenario: 'parallel $ors at two levels must both hold',
      pattern: parallel,
      event: { namespace: 'AWS/EC2', detail: { 'detail-type': 'CloudWatch Alarm State Change' } },
      matches: true,
    },
    {
      scenario: 'parallel $ors fail when the nested one fails',
      pattern: parallel,
      event: { namespace: 'AWS/EC2', detail: { source: 'aws.ec2' } },
      matches: false,
    },
    {
      scenario: 'a nested $or inside an AND alternative matches',
      pattern: nested,
      event: { source: 'aws.cloudwatch', metricType: 'MetricType', namespace: 'AWS/EC2', spaceId: 1000 },
      matches: true,
    },
    {
      scenario: 'a nested $or inside an AND alternative fails without its own alternative',
      pattern: nested,
      event: { source: 'aws.cloudwatch', metricType: 'MetricType', namespace: 'AWS/EC2', spaceId: 1 },
      matches: false,
    },
    {
      scenario: 'a simple alternative of the nested pattern matches alone',
      pattern: nested,
      event: { source: 'aws.cloudwatch', scope: 'Service' },
      matches: true,
    },
  ]);
});

describe('inputs and caching', () => {
  it('an event that is not a JSON object matches no pattern', () => {
    for (const event of [null, undefined, 'aws.ec2', 42, [ec2Event]]) {
      expect(matchesPattern({ source: [{ exists: false }] }, event)).toBe(false);
    }
  });

  it('undefined event properties count as missing, as they would after JSON serialisation', () => {
    expect(matchesPattern({ a: [{ exists: false }] }, { a: undefined })).toBe(true);
  });

  it('matching a malformed pattern throws instead of silently not matching', () => {
    const broken = { source: 'aws.ec2' } as unknown as EventPattern;
    expect(() => matchesPattern(broken, ec2Event)).toThrow(InvalidEventPatternError);
  });

  it('a malformed pattern throws on every call, not only the first', () => {
    const broken = { source: [] } as unknown as EventPattern;
    expect(() => matchesPattern(broken, ec2Event)).toThrow(InvalidEventPatternError);
    expect(() => matchesPattern(broken, ec2Event)).toThrow(InvalidEventPatternError);
  });

  it('a pattern object is reused across many events with consistent results', () => {
    const results = ['terminated', 'running', 'terminated'].map((state) =>
      matchesPattern(ec2Termination, { ...ec2Event, detail: { state } }),
    );
    expect(results).toEqual([true, false, true]);
  });

  it('validatePattern accepts a valid pattern and asEventPattern returns it typed', () => {
    const raw: unknown = { source: ['keiro'], 'detail-type': [{ prefix: 'record.' }] };
    expect(() => validatePattern(raw)).not.toThrow();
    expect(asEventPattern(raw)).toBe(raw);
  });
});
