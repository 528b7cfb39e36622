import {
  BatchGetCommand,
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';

export interface RecordedCall {
  commandName: string;
  input: unknown;
}

/** Counts every DynamoDB call a client makes and, while recording, keeps each call's input. */
export interface DynamoMeter {
  calls: number;
  byCommand: Map<string, number>;
  recorded: RecordedCall[] | undefined;
  reset: () => void;
}

export const meterDynamo = (client: DynamoDBDocumentClient): DynamoMeter => {
  const meter: DynamoMeter = {
    calls: 0,
    byCommand: new Map(),
    recorded: undefined,
    reset() {
      meter.calls = 0;
      meter.byCommand.clear();
    },
  };
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const name = String(context.commandName ?? 'unknown');
      meter.calls += 1;
      meter.byCommand.set(name, (meter.byCommand.get(name) ?? 0) + 1);
      // The input itself, not a structuredClone: a clone turns class instances (exact decimal NumberValues of
      // the view counters) into plain maps, which DynamoDB then refuses as ADD operands on replay.
      meter.recorded?.push({ commandName: name, input: args.input });
      return next(args);
    },
    { step: 'initialize', name: 'benchMeter' },
  );
  return meter;
};

const DOCUMENT_COMMANDS: Record<string, new (input: any) => any> = {
  GetItemCommand: GetCommand,
  QueryCommand,
  TransactWriteItemsCommand: TransactWriteCommand,
  BatchGetItemCommand: BatchGetCommand,
  PutItemCommand: PutCommand,
  UpdateItemCommand: UpdateCommand,
  DeleteItemCommand: DeleteCommand,
};

/**
 * Re-sends recorded calls one after another, as bare DynamoDB calls (no HTTP, no Keiro code).
 * A replayed conditional write fails its condition, but DynamoDB still does the round trip and the
 * condition evaluation: the cost we compare against.
 */
export const replay = async (client: DynamoDBDocumentClient, calls: readonly RecordedCall[]): Promise<void> => {
  for (const call of calls) {
    const Command = DOCUMENT_COMMANDS[call.commandName];
    if (!Command) throw new Error(`No replay for ${call.commandName}`);
    try {
      await client.send(new Command(call.input));
    } catch (error) {
      const name = (error as Error).name;
      if (name !== 'TransactionCanceledException' && name !== 'ConditionalCheckFailedException') throw error;
    }
  }
};
