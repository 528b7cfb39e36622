/**
 * One recorded change of the window, as the live consumers receive it from the bus: the history entry
 * (the outbox) with the record as it was after the change. The loader builds these from history; the
 * engine only reads them.
 */
export interface ShadowChange {
  /** The history entry's id (the bus event's id). */
  eventId: string;
  /** `record.created`, `record.updated`, `record.deleted`, `lead.converted`, `email.opened`, `workflow-rule.executed`, … */
  event: string;
  at: string;
  /** The subject: the record (or, for a log entry such as `workflow-rule.executed`, the record it names). */
  module: string;
  recordId: string;
  /** The record after the change (record events). */
  fields: Record<string, unknown>;
  changes: Array<{ field: string; old: unknown; new: unknown }>;
  /** Automation steps that led to the change (0: a person's). */
  depth: number;
  /** Who made the change, as history records it (a person's id, or the automation's actor). */
  actor?: string;
  /** Their org role in the directory the page read, when it read one and knows them (approval triggers "submitted by members" need it). */
  actorRole?: 'admin' | 'member' | 'guest';
  /** Which automation made the change, if one did. */
  automation?: { kind: string; id: string };
  /** `lead.converted`: the contact the lead became. */
  convertedTo?: string;
  /** The leads and contacts the record's lookup fields name (a journey follows its customer across them). */
  customers?: string[];
  /** A log entry's own data (`workflow-rule.executed`: the recorded run, for the cross-check). */
  data?: unknown;
}

/** Replay order: by time, then by history entry id (one command's entries keep their order). */
export const byReplayOrder = (a: ShadowChange, b: ShadowChange): number => a.at.localeCompare(b.at) || a.eventId.localeCompare(b.eventId);
