import { readFileSync } from 'node:fs';
import * as z from 'zod';

/**
 * The AWS list prices the bench bills with, kept as data in prices.json (region, the date they were
 * read, and the pages they come from). Every price in the bench comes from here.
 */
const perUnit = z.number().positive();
export const pricesSchema = z.object({
  region: z.string(),
  read: z.iso.date(),
  basis: z.string(),
  sources: z.array(z.string()).min(1),
  dynamodb: z.object({ usdPerMillionWriteRequestUnits: perUnit, usdPerMillionReadRequestUnits: perUnit }),
  lambda: z.object({ architecture: z.literal('arm64'), usdPerMillionRequests: perUnit, usdPerGbSecond: perUnit, billedMsGranularity: perUnit }),
  stepFunctions: z.object({ usdPerThousandTransitions: perUnit }),
  eventBridge: z.object({ usdPerMillionEvents: perUnit }),
  pipes: z.object({ usdPerMillionRequests: perUnit }),
  apiGateway: z.object({ usdPerMillionRequests: perUnit }),
  ses: z.object({ usdPerThousandEmails: perUnit }),
});
export type Prices = z.infer<typeof pricesSchema>;

export const PRICES: Prices = pricesSchema.parse(JSON.parse(readFileSync(new URL('./prices.json', import.meta.url), 'utf8')));
