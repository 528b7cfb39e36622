import type { z } from 'zod';
import { EVENT_SOURCE } from '../envelope.js';

/** One event of the catalog: its bus name (the EventBridge detail-type), source, version and `data` schema. */
export interface EventDefinition<S extends z.ZodType = z.ZodType> {
  name: string;
  source: typeof EVENT_SOURCE;
  version: number;
  description: string;
  schema: S;
}

export type EventData<E extends EventDefinition> = z.infer<E['schema']>;

export const defineEvent = <S extends z.ZodType>(definition: Omit<EventDefinition<S>, 'source'>): EventDefinition<S> => ({
  source: EVENT_SOURCE,
  ...definition,
});

/** The EventBridge pattern for "any of these events": use it in functions/subscriptions.ts. */
export const eventPattern = (...events: readonly EventDefinition[]): { source: string[]; 'detail-type': string[] } => ({
  source: [EVENT_SOURCE],
  'detail-type': events.map((e) => e.name),
});
