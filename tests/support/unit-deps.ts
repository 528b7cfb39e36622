import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import type { AppDeps } from '../../shared/adapters/deps.js';

/** AppDeps for unit tests: clients that aws-sdk-client-mock intercepts, a fixed clock and counting ids. */
export const unitDeps = (overrides: Partial<AppDeps> = {}): AppDeps => {
  let n = 0;
  return {
    db: DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'ap-northeast-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } })),
    tableName: 'keiro-unit',
    ses: new SESv2Client({ region: 'ap-northeast-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } }),
    mail: { from: 'no-reply@keiro.example' },
    clock: () => new Date('2026-05-01T09:00:00.000Z'),
    newId: () => `01ID${String(++n).padStart(22, '0')}`,
    defaultPhoneRegion: 'JP',
    ...overrides,
  };
};
