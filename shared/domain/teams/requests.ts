import type { FieldDefinition } from '../records/module-definition.js';

/** A request's life: "Submitted" first; the team moves it to one of the handled statuses (and may reopen). */
export const REQUEST_STATUSES = ['Submitted', 'In Progress', 'Done', 'Rejected'] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];
export const HANDLED_STATUSES = ['In Progress', 'Done', 'Rejected'] as const;
export type HandledStatus = (typeof HANDLED_STATUSES)[number];

/**
 * A request IS a record of its team module. Its status, requester and assignee are system fields of
 * every team module: read-only to the record API (they change through the request routes), and
 * usable like any field in list filters, kanban (`groupBy=requestStatus`) and charts.
 */
export const REQUEST_FIELD = { status: 'requestStatus', requester: 'requesterId', assignee: 'assigneeId' } as const;

export const REQUEST_SYSTEM_FIELDS: readonly FieldDefinition[] = [
  { name: REQUEST_FIELD.status, label: 'Request status', type: 'picklist', required: false, options: [...REQUEST_STATUSES], readOnly: true },
  { name: REQUEST_FIELD.requester, label: 'Requester', type: 'user', required: false, readOnly: true },
  { name: REQUEST_FIELD.assignee, label: 'Assignee', type: 'user', required: false, readOnly: true },
];

const SYSTEM_NAMES = new Set(REQUEST_SYSTEM_FIELDS.map((f) => f.name));

export const isRequestSystemField = (name: string): boolean => SYSTEM_NAMES.has(name);

/** A team module's fields: the team's own, then the system fields (a definition sent for those is replaced). */
export const withRequestSystemFields = (fields: readonly FieldDefinition[]): FieldDefinition[] => [
  ...fields.filter((f) => !isRequestSystemField(f.name)),
  ...REQUEST_SYSTEM_FIELDS,
];

/** The fields a requester fills in: the team's own fields that are not read-only. */
export const requestFormFields = (fields: readonly FieldDefinition[]): FieldDefinition[] =>
  fields.filter((f) => !isRequestSystemField(f.name) && !f.readOnly);

/** The text that names a request in notifications: its first text field's value, else the module label. */
export const requestTitle = (fields: readonly FieldDefinition[], values: Record<string, unknown>, fallback: string): string => {
  const first = fields.find((f) => f.type === 'text' && !isRequestSystemField(f.name) && typeof values[f.name] === 'string');
  return first ? String(values[first.name]) : fallback;
};
