import type { TestProject } from 'vitest/node';
import { startDynamoDbLocal, type DynamoDbLocal } from '../../infra/local/dynamodb-local.js';
import { startSesLocal, type SesLocal } from '../../infra/local/ses-local.js';
import { freePort } from '../../infra/local/ports.js';

declare module 'vitest' {
  export interface ProvidedContext {
    dynamodbEndpoint: string;
    sesEndpoint: string;
  }
}

/**
 * One DynamoDB Local (in memory) and one SES local per test run, on free ports. Each test file works in a
 * region of its own (`testRegion`), which this DynamoDB Local keeps as a database of its own (no
 * `sharedDb`): a file's stream reads then cost what its own writes make them cost, not the whole run's.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  let dynamo: DynamoDbLocal | undefined;
  let ses: SesLocal | undefined;
  dynamo = await startDynamoDbLocal({ port: await freePort(), sharedDb: false });
  ses = await startSesLocal({ port: await freePort() });
  project.provide('dynamodbEndpoint', dynamo.endpoint);
  project.provide('sesEndpoint', ses.endpoint);
  return async () => {
    await ses?.stop();
    await dynamo?.stop();
    ses = undefined;
    dynamo = undefined;
  };
}
