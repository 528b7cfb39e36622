import { inject } from 'vitest';
import { ulid } from 'ulid';
import { createDocumentClient, createSesClient, type AppDeps } from '../../shared/adapters/deps.js';
import { ensureTable } from '../../infra/local/create-table.js';

/**
 * The region this test file's clients name. The run's DynamoDB Local keeps each region as a database of
 * its own (tests/support/global-setup.ts), so a file's stream reads stay as cheap as its own writes make
 * them. Every module is loaded afresh per test file, so this is one region per file: a client of the
 * file's tables (a stream reader, a wrapped client) must be made with it.
 */
const fileRegion = `test-${ulid().toLowerCase()}`;
export const testRegion = (): string => fileRegion;

/**
 * Each test file gets its own table on the run's shared DynamoDB Local, so files run in parallel
 * without sharing state. `clock` can be replaced to drive time.
 */
export const createTestDeps = async (overrides: Partial<AppDeps> = {}): Promise<AppDeps> => {
  const dynamodbEndpoint = inject('dynamodbEndpoint');
  const sesEndpoint = inject('sesEndpoint');
  const db = createDocumentClient(testRegion(), dynamodbEndpoint);
  const tableName = `keiro-test-${ulid().toLowerCase()}`;
  // The document client wraps a base client; table creation uses the base client.
  await ensureTable(db as unknown as Parameters<typeof ensureTable>[0], tableName);
  return {
    db,
    tableName,
    ses: createSesClient('ap-northeast-1', sesEndpoint),
    mail: { from: 'no-reply@keiro.example' },
    clock: () => new Date(),
    newId: ulid,
    defaultPhoneRegion: 'JP',
    ...overrides,
  };
};

export const sesEndpoint = (): string => inject('sesEndpoint');
export const dynamodbEndpoint = (): string => inject('dynamodbEndpoint');
