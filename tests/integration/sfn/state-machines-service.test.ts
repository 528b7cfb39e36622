import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Duration } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { AppDeps } from '../../../shared/adapters/deps.js';
import { standardModule } from '../../../shared/domain/records/standard-modules.js';
import type { ModuleMetadata } from '../../../shared/domain/records/module-definition.js';
import { createRecord } from '../../../shared/db/records-repo.js';
import type { Subscription } from '../../../functions/subscriptions.js';
import type { WorkflowFactory } from '../../../stepfunctions/workflows.js';
import { WorkflowStateMachine } from '../../../infra/constructs/workflow-state-machine.js';
import { createEventRouter } from '../../../infra/local/events/router.js';
import { stateMachinesService, type StateMachinesService } from '../../../infra/local/state-machines.js';
import type { LocalCloud, LocalCloudOptions, LocalService } from '../../../infra/local/local-cloud.js';
import { createTestDeps } from '../../support/local-cloud.js';
import { startLocalEvents, waitFor, type LocalEvents } from '../../support/events.js';

/** A workflow as later issues will write them: wait a day, wake, record that it ran (a Lambda task). */
const welcomeWorkflow: WorkflowFactory = {
  workflow: 'welcome-fixture',
  create: (scope, id, deps) => {
    const fn = new lambda.Function(scope, `${id}MarkFn`, {
      runtime: lambda.Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('exports.handler = async (e) => e;'),
    });
    const wait = new sfn.Wait(scope, `${id}WaitADay`, { time: sfn.WaitTime.duration(Duration.days(1)) });
    const mark = new tasks.LambdaInvoke(scope, 'MarkWelcomed', { lambdaFunction: fn, payloadResponseOnly: true, retryOnServiceExceptions: false });
    return new WorkflowStateMachine(scope, id, { workflow: 'welcome-fixture', stage: deps.stage, definition: wait.next(mark) });
  },
  localHandlers: (deps: AppDeps) => ({
    MarkWelcomed: async (input: unknown) => {
      const recordId = (input as { data: { recordId: string } }).data.recordId;
      await deps.db.send(new PutCommand({ TableName: deps.tableName, Item: { PK: `TEST#welcomed#${recordId}`, SK: 'TEST', at: deps.clock().toISOString() } }));
      return { welcomed: recordId };
    },
  }),
};

const subscriptions: Subscription[] = [
  {
    id: 'welcome-new-leads',
    description: 'Welcome every new lead after a day',
    pattern: { source: ['keiro'], 'detail-type': ['record.created'], detail: { data: { module: ['Leads'] } } },
    target: { kind: 'stateMachine', workflow: 'welcome-fixture' },
  },
];

let deps: AppDeps;
let machines: StateMachinesService;
let service: LocalService;
let events: LocalEvents;

beforeAll(async () => {
  deps = await createTestDeps();
  machines = stateMachinesService([welcomeWorkflow]);
  const cloud = { apiUrl: '', sesUrl: '', dynamodbEndpoint: '', deps, seedResult: 'skipped' } as Omit<LocalCloud, 'stop'>;
  service = await machines.factory(cloud, { timeScale: 86_400 } as LocalCloudOptions);
  const router = createEventRouter({ deps, subscriptions, consumers: [], startStateMachine: machines.startWorkflow, retry: { attempts: 2, baseDelayMs: 10 }, log: () => undefined });
  events = startLocalEvents(deps, { subscriptions, consumers: [], router });
}, 60_000);

afterAll(async () => {
  await events?.stop();
  await service?.stop();
});

describe('npm start’s state machines, fed by the event router', () => {
  it('a new lead starts the subscribed workflow, which waits a (scaled) day and runs its task', async () => {
    const leads = standardModule('Leads') as ModuleMetadata;
    const lead = await createRecord(deps, leads, { id: deps.newId(), ownerId: 'u-agent', fields: { lastName: 'Welcome' } }, { actor: 'u-agent', via: 'api', correlationId: 'c1' });
    const marker = await waitFor(
      async () => (await deps.db.send(new GetCommand({ TableName: deps.tableName, Key: { PK: `TEST#welcomed#${lead.id}`, SK: 'TEST' } }))).Item,
      'the workflow to mark the lead',
      20_000,
    );
    expect(marker.PK).toBe(`TEST#welcomed#${lead.id}`);
  });

  it('a record of another module starts nothing', async () => {
    const accounts = standardModule('Accounts') as ModuleMetadata;
    const account = await createRecord(deps, accounts, { id: deps.newId(), ownerId: 'u-agent', fields: { name: 'No Welcome' } }, { actor: 'u-agent', via: 'api', correlationId: 'c2' });
    await waitFor(() => events.seen.some((e) => (e.detail.data as { recordId?: string }).recordId === account.id), 'the account event on the bus');
    await events.router.drain();
    const marker = await deps.db.send(new GetCommand({ TableName: deps.tableName, Key: { PK: `TEST#welcomed#${account.id}`, SK: 'TEST' } }));
    expect(marker.Item).toBeUndefined();
  });
});
