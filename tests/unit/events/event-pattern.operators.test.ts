import { describe } from 'vitest';
import { patternTable as table } from './pattern-table.js';

/** The example event from the aws/event-ruler README ("Ruler by Example"), used by AWS's docs too. */
const rulerEvent = {
  version: '0',
  id: 'ddddd4-aaaa-7777-4444-345dd43cc333',
  'detail-type': 'EC2 Instance State-change Notification',
  source: 'aws.ec2',
  account: '012345679012',
  time: '2017-10-02T16:24:49Z',
  region: 'us-east-1',
  resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-000000aaaaaa00000'],
  detail: {
    'c-count': 5,
    'd-count': 3,
    'x-limit': 301.8,
    'source-ip': '10.0.0.33',
    'instance-id': 'i-000000aaaaaa00000',
    state: 'running',
  },
};

const detail = (fields: Record<string, unknown>): unknown => ({ ...rulerEvent, detail: fields });

describe('prefix and suffix', () => {
  // AWS docs, "Content filtering" › Prefix matching (and "Prefix matching while ignoring case").
  table([
    { scenario: 'prefix matches the start of a string', pattern: { time: [{ prefix: '2017-10-02' }] }, event: rulerEvent, matches: true },
    { scenario: 'prefix fails on a different start', pattern: { time: [{ prefix: '2017-10-03' }] }, event: rulerEvent, matches: false },
    { scenario: 'prefix is case-sensitive', pattern: { region: [{ prefix: 'US-' }] }, event: rulerEvent, matches: false },
    {
      scenario: 'the documented eu- example matches a European region',
      pattern: { source: ['aws.autoscaling'], region: [{ prefix: 'eu-' }] },
      event: { source: 'aws.autoscaling', region: 'eu-west-1' },
      matches: true,
    },
    { scenario: 'an empty prefix matches any string', pattern: { source: [{ prefix: '' }] }, event: rulerEvent, matches: true },
    { scenario: 'an empty prefix does not match a number', pattern: { n: [{ prefix: '' }] }, event: { n: 12 }, matches: false },
    { scenario: 'prefix never matches numbers by their digits', pattern: { n: [{ prefix: '1' }] }, event: { n: 123 }, matches: false },
    { scenario: 'prefix matches any element of an event array', pattern: { resources: [{ prefix: 'arn:aws:ec2:' }] }, event: rulerEvent, matches: true },
    {
      scenario: 'prefix equals-ignore-case ignores case',
      pattern: { service: [{ prefix: { 'equals-ignore-case': 'EventB' } }] },
      event: { service: 'eventbridge' },
      matches: true,
    },
    {
      scenario: 'prefix equals-ignore-case matches mixed case',
      pattern: { service: [{ prefix: { 'equals-ignore-case': 'EventB' } }] },
      event: { service: 'EvEnTb' },
      matches: true,
    },
    {
      scenario: 'prefix equals-ignore-case still needs the prefix',
      pattern: { service: [{ prefix: { 'equals-ignore-case': 'EventB' } }] },
      event: { service: 'my-eventbridge' },
      matches: false,
    },
  ]);

  // AWS docs, "Content filtering" › Suffix matching (and "Suffix matching while ignoring case").
  table([
    { scenario: 'suffix matches the documented .png example', pattern: { FileName: [{ suffix: '.png' }] }, event: { FileName: 'image.png' }, matches: true },
    { scenario: 'suffix is case-sensitive', pattern: { FileName: [{ suffix: '.PNG' }] }, event: { FileName: 'image.png' }, matches: false },
    { scenario: 'suffix fails on another ending', pattern: { FileName: [{ suffix: '.png' }] }, event: { FileName: 'image.png.bak' }, matches: false },
    { scenario: 'an empty suffix matches any string', pattern: { source: [{ suffix: '' }] }, event: rulerEvent, matches: true },
    {
      scenario: 'suffix equals-ignore-case ignores case',
      pattern: { FileName: [{ suffix: { 'equals-ignore-case': '.png' } }] },
      event: { FileName: 'image.PNG' },
      matches: true,
    },
    {
      scenario: 'suffix equals-ignore-case still needs the suffix',
      pattern: { FileName: [{ suffix: { 'equals-ignore-case': '.png' } }] },
      event: { FileName: 'image.jpg' },
      matches: false,
    },
    { scenario: 'suffix does not match a number', pattern: { n: [{ suffix: '3' }] }, event: { n: 123 }, matches: false },
  ]);
});

describe('equals-ignore-case', () => {
  // AWS docs, "Content filtering" › Equals-ignore-case matching.
  table([
    {
      scenario: 'the documented detail-type example matches regardless of case',
      pattern: { 'detail-type': [{ 'equals-ignore-case': 'ec2 instance state-change notification' }] },
      event: rulerEvent,
      matches: true,
    },
    {
      scenario: 'a different string does not match',
      pattern: { 'detail-type': [{ 'equals-ignore-case': 'I do not match' }] },
      event: rulerEvent,
      matches: false,
    },
    { scenario: 'the whole string must match, not a prefix', pattern: { source: [{ 'equals-ignore-case': 'AWS' }] }, event: rulerEvent, matches: false },
    { scenario: 'an empty pattern matches only an empty string', pattern: { v: [{ 'equals-ignore-case': '' }] }, event: { v: '' }, matches: true },
    { scenario: 'an empty pattern does not match a non-empty string', pattern: { v: [{ 'equals-ignore-case': '' }] }, event: { v: 'x' }, matches: false },
    { scenario: 'non-ASCII letters fold too', pattern: { v: [{ 'equals-ignore-case': 'ÉTÉ' }] }, event: { v: 'été' }, matches: true },
    { scenario: 'regex metacharacters are literal', pattern: { v: [{ 'equals-ignore-case': 'A.B*' }] }, event: { v: 'a.b*' }, matches: true },
    { scenario: 'regex metacharacters do not act as wildcards', pattern: { v: [{ 'equals-ignore-case': 'A.B*' }] }, event: { v: 'axbbb' }, matches: false },
    { scenario: 'a number never matches', pattern: { v: [{ 'equals-ignore-case': '5' }] }, event: { v: 5 }, matches: false },
  ]);
});

describe('wildcard', () => {
  // AWS docs, "Content filtering" › Wildcard matching, and the ruler README's escaping rules.
  table([
    {
      scenario: 'the documented dir/*.png example matches',
      pattern: { FileName: [{ wildcard: 'dir/*.png' }] },
      event: { FileName: 'dir/a/b.png' },
      matches: true,
    },
    {
      scenario: 'the documented dir/*.png example rejects another extension',
      pattern: { FileName: [{ wildcard: 'dir/*.png' }] },
      event: { FileName: 'dir/a.jpg' },
      matches: false,
    },
    { scenario: 'a wildcard matches an empty run', pattern: { FileName: [{ wildcard: 'dir/*.png' }] }, event: { FileName: 'dir/.png' }, matches: true },
    { scenario: 'a lone wildcard matches any string', pattern: { v: [{ wildcard: '*' }] }, event: { v: '' }, matches: true },
    {
      scenario: 'several wildcards match in order',
      pattern: { arn: [{ wildcard: 'arn:aws:events:us-east-1:*:event-bus/*' }] },
      event: { arn: 'arn:aws:events:us-east-1:123456789012:event-bus/myEventBus' },
      matches: true,
    },
    {
      scenario: 'a wildcard spans repeated segments',
      pattern: { f: [{ wildcard: '/Users/*/doc.txt' }] },
      event: { f: '/Users/me/dir/dir/dir/doc.txt' },
      matches: true,
    },
    {
      scenario: 'repeated literal segments after a wildcard must all be present',
      pattern: { f: [{ wildcard: '/Users/*/dir/dir/doc.txt' }] },
      event: { f: '/Users/me/dir/other/doc.txt' },
      matches: false,
    },
    { scenario: 'literal pieces cannot overlap the fixed ending', pattern: { v: [{ wildcard: 'ab*ba' }] }, event: { v: 'aba' }, matches: false },
    { scenario: 'without a wildcard the whole string must match', pattern: { v: [{ wildcard: 'abc' }] }, event: { v: 'abcd' }, matches: false },
    { scenario: 'an empty wildcard matches only an empty string', pattern: { v: [{ wildcard: '' }] }, event: { v: 'x' }, matches: false },
    { scenario: 'an escaped asterisk is literal (match)', pattern: { v: [{ wildcard: 'a\\*b' }] }, event: { v: 'a*b' }, matches: true },
    { scenario: 'an escaped asterisk is literal (no match)', pattern: { v: [{ wildcard: 'a\\*b' }] }, event: { v: 'axxb' }, matches: false },
    { scenario: 'an escaped backslash is a literal backslash', pattern: { v: [{ wildcard: 'C:\\\\*' }] }, event: { v: 'C:\\temp' }, matches: true },
    { scenario: 'wildcard is case-sensitive', pattern: { v: [{ wildcard: '*.PNG' }] }, event: { v: 'a.png' }, matches: false },
    { scenario: 'wildcard never matches a number', pattern: { v: [{ wildcard: '*' }] }, event: { v: 1 }, matches: false },
  ]);
});

describe('anything-but', () => {
  // AWS docs, "Content filtering" › Anything-but matching: single values and lists.
  table([
    {
      scenario: 'a single string excludes only that string',
      pattern: { detail: { state: [{ 'anything-but': 'initializing' }] } },
      event: rulerEvent,
      matches: true,
    },
    { scenario: 'a single string excludes that string', pattern: { detail: { state: [{ 'anything-but': 'running' }] } }, event: rulerEvent, matches: false },
    { scenario: 'a single number excludes only that number', pattern: { detail: { 'x-limit': [{ 'anything-but': 123 }] } }, event: rulerEvent, matches: true },
    { scenario: 'a single number excludes that number', pattern: { detail: { 'x-limit': [{ 'anything-but': 301.8 }] } }, event: rulerEvent, matches: false },
    { scenario: 'anything-but 0 matches other numbers', pattern: { n: [{ 'anything-but': 0 }] }, event: { n: 789 }, matches: true },
    {
      scenario: 'a string list excludes its members',
      pattern: { detail: { state: [{ 'anything-but': ['stopped', 'running'] }] } },
      event: rulerEvent,
      matches: false,
    },
    {
      scenario: 'a string list admits other strings',
      pattern: { detail: { state: [{ 'anything-but': ['stopped', 'overloaded'] }] } },
      event: rulerEvent,
      matches: true,
    },
    { scenario: 'a number list excludes its members', pattern: { n: [{ 'anything-but': [100, 200, 300] }] }, event: { n: 100 }, matches: false },
    { scenario: 'a number list admits other numbers', pattern: { n: [{ 'anything-but': [100, 200, 300] }] }, event: { n: 999 }, matches: true },
    {
      scenario: 'a number list excludes the same value written as 300.0',
      pattern: { n: [{ 'anything-but': [100, 200, 300] }] },
      event: JSON.parse('{"n": 300.0}'),
      matches: false,
    },
    { scenario: 'a string exclusion admits a number', pattern: { n: [{ 'anything-but': '5' }] }, event: { n: 5 }, matches: true },
    { scenario: 'a number exclusion admits the same digits as a string', pattern: { n: [{ 'anything-but': 5 }] }, event: { n: '5' }, matches: true },
    { scenario: 'anything-but admits a null value', pattern: { s: [{ 'anything-but': 'initializing' }] }, event: { s: null }, matches: true },
    { scenario: 'anything-but admits a boolean value', pattern: { s: [{ 'anything-but': ['x'] }] }, event: { s: true }, matches: true },
    { scenario: 'anything-but does not match a missing field', pattern: { s: [{ 'anything-but': 'initializing' }] }, event: { other: 1 }, matches: false },
    { scenario: 'anything-but does not match an object-valued field', pattern: { s: [{ 'anything-but': 'x' }] }, event: { s: { a: 'y' } }, matches: false },
    { scenario: 'anything-but does not match an empty array', pattern: { s: [{ 'anything-but': 'x' }] }, event: { s: [] }, matches: false },
    {
      scenario: 'an array matches if any element is not excluded',
      pattern: { tags: [{ 'anything-but': 'banned' }] },
      event: { tags: ['banned', 'ok'] },
      matches: true,
    },
    {
      scenario: 'an array fails if every element is excluded',
      pattern: { tags: [{ 'anything-but': 'banned' }] },
      event: { tags: ['banned', 'banned'] },
      matches: false,
    },
    {
      scenario: 'anything-but respects array consistency with sibling fields',
      pattern: { u: { s: [{ 'anything-but': 'banned' }], n: ['alice'] } },
      event: { u: [{ n: 'alice', s: 'banned' }, { n: 'bob', s: 'active' }] },
      matches: false,
    },
  ]);

  // AWS docs, "Content filtering" › Anything-but matching on prefix, suffix, equals-ignore-case and wildcard.
  table([
    {
      scenario: 'anything-but prefix admits a string without the prefix',
      pattern: { s: [{ 'anything-but': { prefix: 'init' } }] },
      event: { s: 'post-init' },
      matches: true,
    },
    {
      scenario: 'anything-but prefix excludes a string with the prefix',
      pattern: { s: [{ 'anything-but': { prefix: 'init' } }] },
      event: { s: 'init-prefix' },
      matches: false,
    },
    {
      scenario: 'anything-but prefix list excludes any listed prefix',
      pattern: { s: [{ 'anything-but': { prefix: ['init', 'post'] } }] },
      event: { s: 'post-init' },
      matches: false,
    },
    {
      scenario: 'anything-but prefix list admits unlisted prefixes',
      pattern: { s: [{ 'anything-but': { prefix: ['init', 'test'] } }] },
      event: { s: 'post-init' },
      matches: true,
    },
    { scenario: 'anything-but prefix admits a number', pattern: { s: [{ 'anything-but': { prefix: 'init' } }] }, event: { s: 12 }, matches: true },
    { scenario: 'anything-but prefix admits null', pattern: { s: [{ 'anything-but': { prefix: 'init' } }] }, event: { s: null }, matches: true },
    { scenario: 'anything-but prefix needs the field', pattern: { s: [{ 'anything-but': { prefix: 'init' } }] }, event: {}, matches: false },
    {
      scenario: 'anything-but suffix admits another ending',
      pattern: { f: [{ 'anything-but': { suffix: '.txt' } }] },
      event: { f: 'file.txt.bak' },
      matches: true,
    },
    { scenario: 'anything-but suffix excludes the ending', pattern: { f: [{ 'anything-but': { suffix: '.txt' } }] }, event: { f: 'file.txt' }, matches: false },
    {
      scenario: 'anything-but suffix list excludes any listed ending',
      pattern: { f: [{ 'anything-but': { suffix: ['.txt', '.jpg'] } }] },
      event: { f: 'file.jpg' },
      matches: false,
    },
    { scenario: 'anything-but suffix admits null', pattern: { f: [{ 'anything-but': { suffix: '.txt' } }] }, event: { f: null }, matches: true },
    {
      scenario: 'anything-but equals-ignore-case excludes any casing',
      pattern: { s: [{ 'anything-but': { 'equals-ignore-case': 'initializing' } }] },
      event: { s: 'INITIALIZING' },
      matches: false,
    },
    {
      scenario: 'anything-but equals-ignore-case admits other strings',
      pattern: { s: [{ 'anything-but': { 'equals-ignore-case': 'initializing' } }] },
      event: { s: 'pending' },
      matches: true,
    },
    {
      scenario: 'anything-but equals-ignore-case list excludes any casing of a member',
      pattern: { s: [{ 'anything-but': { 'equals-ignore-case': ['Stopped', 'OverLoaded'] } }] },
      event: { s: 'stopped' },
      matches: false,
    },
    {
      scenario: 'anything-but equals-ignore-case admits null',
      pattern: { s: [{ 'anything-but': { 'equals-ignore-case': ['Stopped'] } }] },
      event: { s: null },
      matches: true,
    },
    {
      scenario: 'anything-but wildcard excludes a matching path',
      pattern: { p: [{ 'anything-but': { wildcard: '*/lib/*' } }] },
      event: { p: 'usr/lib/x.so' },
      matches: false,
    },
    {
      scenario: 'anything-but wildcard admits a non-matching path',
      pattern: { p: [{ 'anything-but': { wildcard: '*/dir/*' } }] },
      event: { p: 'dir/init/file' },
      matches: true,
    },
    {
      scenario: 'anything-but wildcard list excludes any listed pattern',
      pattern: { p: [{ 'anything-but': { wildcard: ['*/init/*', '*/dir/*'] } }] },
      event: { p: 'dir/init/dir' },
      matches: false,
    },
    { scenario: 'anything-but wildcard admits a number', pattern: { p: [{ 'anything-but': { wildcard: '*/dir/*' } }] }, event: { p: 123 }, matches: true },
    {
      scenario: 'anything-but empty wildcard admits any non-empty string',
      pattern: { p: [{ 'anything-but': { wildcard: '' } }] },
      event: { p: 'x' },
      matches: true,
    },
  ]);
});

describe('numeric', () => {
  // AWS docs, "Content filtering" › Numeric matching, and the ruler README example event.
  table([
    {
      scenario: 'the documented numeric pattern matches the example event',
      pattern: { detail: { 'c-count': [{ numeric: ['>', 0, '<=', 5] }], 'd-count': [{ numeric: ['<', 10] }], 'x-limit': [{ numeric: ['=', 3.018e2] }] } },
      event: rulerEvent,
      matches: true,
    },
    { scenario: 'a value above the range fails', pattern: { detail: { 'c-count': [{ numeric: ['>', 0, '<=', 4] }] } }, event: rulerEvent, matches: false },
    { scenario: '> excludes the bound', pattern: { n: [{ numeric: ['>', 5] }] }, event: { n: 5 }, matches: false },
    { scenario: '>= includes the bound', pattern: { n: [{ numeric: ['>=', 5] }] }, event: { n: 5 }, matches: true },
    { scenario: '< excludes the bound', pattern: { n: [{ numeric: ['<', 5] }] }, event: { n: 5 }, matches: false },
    { scenario: '<= includes the bound', pattern: { n: [{ numeric: ['<=', 5] }] }, event: { n: 5 }, matches: true },
    { scenario: '= matches an equal number', pattern: { n: [{ numeric: ['=', 100] }] }, event: { n: 100 }, matches: true },
    { scenario: '= rejects an unequal number', pattern: { n: [{ numeric: ['=', 100] }] }, event: { n: 100.5 }, matches: false },
    { scenario: 'a half-open range includes its lower bound', pattern: { n: [{ numeric: ['>=', 200, '<', 500] }] }, event: { n: 200 }, matches: true },
    { scenario: 'a half-open range excludes its upper bound', pattern: { n: [{ numeric: ['>=', 200, '<', 500] }] }, event: { n: 500 }, matches: false },
    { scenario: 'a float compares with an integer bound', pattern: { n: [{ numeric: ['>', 100] }] }, event: JSON.parse('{"n": 101.0}'), matches: true },
    { scenario: 'negative numbers and exponents compare numerically', pattern: { n: [{ numeric: ['>', -1e9, '<', -5] }] }, event: { n: -6.5 }, matches: true },
    { scenario: 'a numeric string never matches', pattern: { n: [{ numeric: ['>', 100] }] }, event: { n: '300' }, matches: false },
    { scenario: 'null never matches', pattern: { n: [{ numeric: ['>', 100] }] }, event: { n: null }, matches: false },
    { scenario: 'any element of a number array may match', pattern: { vals: [{ numeric: ['>', 0, '<', 10] }] }, event: { vals: [100, 5, 200] }, matches: true },
    {
      scenario: 'numeric OR-ed with anything-but on a string field',
      pattern: { n: [{ numeric: ['>', 100] }, { 'anything-but': '101' }] },
      event: { n: '42' },
      matches: true,
    },
    {
      scenario: 'numeric OR-ed with anything-but fails when both fail',
      pattern: { n: [{ numeric: ['>', 100] }, { 'anything-but': '101' }] },
      event: { n: '101' },
      matches: false,
    },
  ]);
});

describe('exists', () => {
  // AWS docs, "Content filtering" › Exists matching: only leaf nodes count.
  table([
    { scenario: 'exists true matches a present leaf', pattern: { detail: { state: [{ exists: true }] } }, event: rulerEvent, matches: true },
    {
      scenario: 'exists true fails on a missing field',
      pattern: { detail: { state: [{ exists: true }] } },
      event: detail({ 'c-count': { c1: 100 } }),
      matches: false,
    },
    {
      scenario: 'exists true fails on an intermediate object',
      pattern: { detail: { 'c-count': [{ exists: true }] } },
      event: detail({ 'c-count': { c1: 100 } }),
      matches: false,
    },
    { scenario: 'exists true matches a null leaf', pattern: { v: [{ exists: true }] }, event: { v: null }, matches: true },
    { scenario: 'exists true matches an empty string', pattern: { v: [{ exists: true }] }, event: { v: '' }, matches: true },
    { scenario: 'exists true fails on an empty array', pattern: { resources: [{ exists: true }] }, event: { resources: [] }, matches: false },
    { scenario: 'exists true matches a non-empty array of scalars', pattern: { tags: [{ exists: true }] }, event: { tags: ['a'] }, matches: true },
    {
      scenario: 'exists true reaches into an array of objects',
      pattern: { d: { automations: { id: [{ exists: true }] } } },
      event: { d: { automations: [{ k: 1 }, { id: 'x' }] } },
      matches: true,
    },
    {
      scenario: 'exists true on an array of objects itself fails',
      pattern: { automations: [{ exists: true }] },
      event: { automations: [{ id: 'x' }] },
      matches: false,
    },
    {
      scenario: 'exists false matches a missing field',
      pattern: { detail: { 'c-count': [{ exists: false }] } },
      event: detail({ state: 'running' }),
      matches: true,
    },
    { scenario: 'exists false fails on a present leaf', pattern: { detail: { 'c-count': [{ exists: false }] } }, event: rulerEvent, matches: false },
    { scenario: 'exists false fails on a present null', pattern: { v: [{ exists: false }] }, event: { v: null }, matches: false },
    {
      scenario: 'exists false matches an intermediate object',
      pattern: { detail: { 'c-count': [{ exists: false }] } },
      event: detail({ 'c-count': { c1: 100 } }),
      matches: true,
    },
    { scenario: 'exists false matches an empty array', pattern: { resources: [{ exists: false }] }, event: { resources: [] }, matches: true },
    { scenario: 'exists false matches when the parent object is missing', pattern: { a: { b: { c: [{ exists: false }] } } }, event: { x: 1 }, matches: true },
    {
      scenario: 'exists false on a deep path fails when the leaf is there',
      pattern: { a: { b: { c: [{ exists: false }] } } },
      event: { a: { b: { c: 'here' } } },
      matches: false,
    },
    {
      scenario: 'exists false is judged within the array element chosen by sibling fields',
      pattern: { d: { a: [{ exists: true }], b: [{ exists: false }] } },
      event: { d: [{ a: 1, b: 2 }, { a: 3 }] },
      matches: true,
    },
    {
      scenario: 'exists false alone fails if any element of an object array has the field (as in aws/event-ruler)',
      pattern: { d: { b: [{ exists: false }] } },
      event: { d: [{ a: 1 }, { b: 2 }] },
      matches: false,
    },
    {
      scenario: 'exists false fails when every candidate element has the field',
      pattern: { d: { a: [{ exists: true }], b: [{ exists: false }] } },
      event: { d: [{ a: 1, b: 2 }] },
      matches: false,
    },
    {
      scenario: 'exists false OR a value: a missing field matches',
      pattern: { s: [{ 'anything-but': ['roses'] }, { exists: false }] },
      event: { n: '789' },
      matches: true,
    },
    {
      scenario: 'exists false OR a value: a matching value matches',
      pattern: { s: [{ 'anything-but': ['roses'] }, { exists: false }] },
      event: { s: 'ABCD' },
      matches: true,
    },
    {
      scenario: 'exists false OR a value: a non-matching value fails',
      pattern: { s: [{ 'anything-but': ['roses'] }, { exists: false }] },
      event: { s: 'roses' },
      matches: false,
    },
  ]);
});

describe('cidr', () => {
  // AWS docs, "Content filtering" › IP address matching (IPv4 and IPv6).
  table([
    { scenario: 'an IPv4 address inside the range matches', pattern: { detail: { 'source-ip': [{ cidr: '10.0.0.0/24' }] } }, event: rulerEvent, matches: true },
    { scenario: 'the last address of the range matches', pattern: { ip: [{ cidr: '10.0.0.0/24' }] }, event: { ip: '10.0.0.255' }, matches: true },
    { scenario: 'an address outside the range fails', pattern: { ip: [{ cidr: '10.0.0.0/24' }] }, event: { ip: '10.0.1.0' }, matches: false },
    { scenario: 'an invalid address fails', pattern: { ip: [{ cidr: '10.0.0.0/24' }] }, event: { ip: '10.0.0.256' }, matches: false },
    { scenario: 'a number fails', pattern: { ip: [{ cidr: '10.0.0.0/24' }] }, event: { ip: 123 }, matches: false },
    { scenario: 'host bits in the range are ignored', pattern: { ip: [{ cidr: '10.0.0.7/24' }] }, event: { ip: '10.0.0.1' }, matches: true },
    { scenario: 'a /0 range matches every IPv4 address', pattern: { ip: [{ cidr: '0.0.0.0/0' }] }, event: { ip: '203.0.113.9' }, matches: true },
    { scenario: 'a /31 range matches its two addresses', pattern: { ip: [{ cidr: '220.160.153.171/31' }] }, event: { ip: '220.160.153.170' }, matches: true },
    {
      scenario: 'an IPv6 address inside the range matches',
      pattern: { ip: [{ cidr: '2001:db8:1234:1a00::/64' }] },
      event: { ip: '2001:0db8:1234:1a00:0000:0000:0000:0000' },
      matches: true,
    },
    {
      scenario: 'IPv6 matching ignores hex case and compression',
      pattern: { ip: [{ cidr: '2001:DB8:1234:1A00::/64' }] },
      event: { ip: '2001:db8:1234:1a00::ffff:1' },
      matches: true,
    },
    {
      scenario: 'an IPv6 address outside the range fails',
      pattern: { ip: [{ cidr: '2001:db8:1234:1a00::/64' }] },
      event: { ip: '2001:0db8:123f:1a01:0000:0000:0000:0000' },
      matches: false,
    },
    { scenario: 'an IPv4 address never matches an IPv6 range', pattern: { ip: [{ cidr: '::/0' }] }, event: { ip: '10.0.0.1' }, matches: false },
    { scenario: 'an IPv4-mapped IPv6 address matches as IPv4', pattern: { ip: [{ cidr: '10.0.0.0/8' }] }, event: { ip: '::ffff:a00:1' }, matches: true },
    { scenario: 'a hostname is not an address', pattern: { ip: [{ cidr: '10.0.0.0/8' }] }, event: { ip: 'example.com' }, matches: false },
  ]);

  // aws/event-ruler: an exact string that is an IP literal is compared as an address.
  table([
    {
      scenario: 'an exact IPv6 pattern matches the same address written differently',
      pattern: { ip: ['2001:db8::1'] },
      event: { ip: '2001:0DB8:0:0:0:0:0:1' },
      matches: true,
    },
    { scenario: 'an exact IPv6 pattern fails for another address', pattern: { ip: ['2001:db8::1'] }, event: { ip: '2001:db8::2' }, matches: false },
    { scenario: 'an exact IPv4 pattern matches itself', pattern: { ip: ['10.0.0.1'] }, event: { ip: '10.0.0.1' }, matches: true },
    { scenario: 'a colon-bearing non-address string matches exactly', pattern: { t: ['08:23'] }, event: { t: '08:23' }, matches: true },
  ]);
});
