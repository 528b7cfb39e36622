import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { routes } from '../../functions/routes.js';
import { AREA_ACCESS, CONSUMER_ACCESS, INBOUND_MAIL_ACCESS, TASK_ACCESS } from '../../infra/config/access.js';
import type { AppFunction } from '../../infra/constructs/app-function.js';
import { actionsOf, logicalId, roleStatements, synthKeiro, type SynthesizedKeiro } from './support/synth.js';
import { codeAccess, type CodeAccess } from './support/code-access.js';

/** Services whose calls the code-access scan sees; other granted actions are the function's plumbing. */
const SCANNED = /^(dynamodb|events|ses|states):/;
/** The only actions CDK may grant on Resource "*": X-Ray has no resource-level permissions. */
const XRAY = ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'];

interface Subject {
  name: string;
  fn: AppFunction;
  template: Template;
  code: CodeAccess;
}

let keiro: SynthesizedKeiro;
const subjects: Subject[] = [];
beforeAll(async () => {
  keiro = synthKeiro('prod');
  const all: Array<Omit<Subject, 'code'>> = [
    { name: 'outbox-enricher', fn: keiro.data.enricher, template: keiro.templates.data },
    ...[...keiro.api.areaFunctions].map(([area, fn]) => ({ name: `area ${area}`, fn, template: keiro.templates.api })),
    ...[...keiro.workflows.consumers].map(([c, fn]) => ({ name: `consumer ${c}`, fn, template: keiro.templates.workflows })),
    ...[...keiro.workflows.taskFunctions].map(([t, fn]) => ({ name: `task ${t}`, fn, template: keiro.templates.workflows })),
    { name: 'function inbound-mail', fn: keiro.workflows.inboundMail.fn, template: keiro.templates.workflows },
  ];
  for (const s of all) subjects.push({ ...s, code: await codeAccess(s.fn.entry) });
});

const granted = (s: Subject) => roleStatements(s.template, logicalId(s.fn.role));
const grantedActions = (s: Subject) => new Set(actionsOf(granted(s)));
const scanned = (actions: Iterable<string>) => [...actions].filter((a) => SCANNED.test(a)).sort();

describe('least privilege', () => {
  it('covers every Lambda: enricher, one per area, one per consumer, one per workflow task', () => {
    expect(subjects.filter((s) => s.name.startsWith('task ')).length).toBe(keiro.workflows.taskFunctions.size);
    expect(keiro.workflows.taskFunctions.has('timer-wake')).toBe(true);
    expect(subjects.map((s) => s.name)).toContain('outbox-enricher');
    expect(subjects.filter((s) => s.name.startsWith('area ')).length).toBe(new Set(routes.map((r) => r.area)).size);
    expect(subjects.filter((s) => s.name.startsWith('consumer ')).length).toBe(keiro.workflows.consumers.size);
  });

  it('grants no wildcard action and no "*" resource except for X-Ray', () => {
    for (const s of subjects) {
      for (const statement of granted(s)) {
        const actions = Array.isArray(statement.Action) ? statement.Action : [statement.Action];
        for (const action of actions) expect(action, s.name).not.toContain('*');
        if (statement.Resource === '*' || (Array.isArray(statement.Resource) && statement.Resource.includes('*'))) {
          expect(actions.sort(), `${s.name}: only X-Ray may use Resource "*"`).toEqual([...XRAY].sort());
        }
      }
    }
  });

  it('grants table actions only on the table and its GSIs', () => {
    const tableId = logicalId(keiro.data.table);
    for (const s of subjects) {
      for (const statement of granted(s)) {
        const actions = Array.isArray(statement.Action) ? statement.Action : [statement.Action];
        if (!actions.some((a) => a.startsWith('dynamodb:'))) continue;
        const text = JSON.stringify(statement.Resource);
        expect(text, s.name).toContain(tableId);
        expect(text, s.name).not.toMatch(/index\/\*|"\*"/);
      }
    }
  });

  it('grants exactly what infra/config/access.ts declares', () => {
    for (const s of subjects) {
      const [kind, key] = s.name.split(' ') as [string, string | undefined];
      const access =
        kind === 'area' ? AREA_ACCESS[key as keyof typeof AREA_ACCESS] : kind === 'consumer' ? CONSUMER_ACCESS[key!] : kind === 'task' ? TASK_ACCESS[key!] : kind === 'function' && key === 'inbound-mail' ? INBOUND_MAIL_ACCESS : {};
      const expected = [
        ...(access?.table ?? []).map((a) => `dynamodb:${a}`),
        ...(access?.bus ? ['events:PutEvents'] : []),
        ...(access?.ses ? ['ses:SendEmail'] : []),
        ...(access?.timers || access?.shadowRuns ? ['states:StartExecution'] : []),
      ].sort();
      expect(scanned(grantedActions(s)), s.name).toEqual(expected);
    }
  });

  it('grants nothing the code cannot call (no over-grant)', () => {
    for (const s of subjects) {
      const extra = scanned(grantedActions(s)).filter((a) => !s.code.actions.has(a));
      expect(extra, `${s.name} is granted actions its code never calls`).toEqual([]);
    }
  });

  it('grants everything the code can call (a missing grant would fail in AWS only)', () => {
    for (const s of subjects) {
      if (s.name === 'area system') continue; // below
      const missing = scanned(s.code.actions).filter((a) => !grantedActions(s).has(a));
      expect(missing, `${s.name} calls these without a grant: declare them in infra/config/access.ts`).toEqual([]);
    }
  });

  it('system area: no table access, because its routes are public GETs (idempotency runs for authenticated POSTs only)', () => {
    const system = subjects.find((s) => s.name === 'area system')!;
    expect(scanned(grantedActions(system))).toEqual([]);
    const systemRoutes = routes.filter((r) => r.area === 'system');
    expect(systemRoutes.length).toBeGreaterThan(0);
    for (const r of systemRoutes) expect(`${r.method} ${r.path} ${r.auth}`).toMatch(/^GET \S+ public$/);
    // TABLE_NAME is still set: the shared env schema requires it at cold start.
    keiro.templates.api.hasResourceProperties('AWS::Lambda::Function', {
      Description: 'Keiro API: the system area',
      Environment: { Variables: Match.objectLike({ TABLE_NAME: Match.anyValue() }) },
    });
  });

  it('command areas can read, write and run their transactions (ConditionCheck items where their code uses them)', () => {
    for (const area of ['records', 'teams', 'requests', 'users'] as const) {
      const s = subjects.find((x) => x.name === `area ${area}`)!;
      const actions = grantedActions(s);
      const needed = ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'Query', 'BatchGetItem'];
      if (s.code.actions.has('dynamodb:ConditionCheckItem')) needed.push('ConditionCheckItem');
      for (const a of needed) expect(actions.has(`dynamodb:${a}`), `${area}: dynamodb:${a}`).toBe(true);
      // IAM has no TransactWriteItems action: the items are authorised one by one.
      expect(actions.has('dynamodb:TransactWriteItems')).toBe(false);
    }
  });

  it('writes logs only to its own log group', () => {
    for (const s of subjects) {
      const logStatements = granted(s).filter((st) => actionsOf([st]).some((a) => a.startsWith('logs:')));
      expect(logStatements.length, s.name).toBe(1);
      expect(logStatements[0]!.Resource, s.name).toEqual({ 'Fn::GetAtt': [logicalId(s.fn.logGroup), 'Arn'] });
    }
  });
});
