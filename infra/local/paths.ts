import { resolve } from 'node:path';

/** Where the local cloud keeps its state (keys, DynamoDB data, stream positions). */
export const keiroHome = (): string => resolve(process.env.KEIRO_HOME ?? '.keiro');
