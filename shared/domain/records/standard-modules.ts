import type { FieldDefinition, ModuleMetadata } from './module-definition.js';

const f = (name: string, label: string, type: FieldDefinition['type'], extra: Partial<FieldDefinition> = {}): FieldDefinition => ({
  name,
  label,
  type,
  required: false,
  ...extra,
});

/** Personal data: the fields an erasure removes (see shared/domain/records/erasure.ts). */
const personal = { personal: true } as const;

const industries = ['Travel', 'Hospitality', 'Retail', 'Manufacturing', 'Finance', 'Technology', 'Education', 'Healthcare', 'Public Sector', 'Other'];

const standard = (name: string, label: string, fields: FieldDefinition[]): ModuleMetadata => ({ name, label, fields, kind: 'standard', version: 1 });

/** The standard modules (infra/local/README.md, "The demo's definitions"). An admin can extend them; the stored definition then wins. */
export const STANDARD_MODULES: readonly ModuleMetadata[] = [
  standard('Leads', 'Leads', [
    f('firstName', 'First Name', 'text', personal),
    f('lastName', 'Last Name', 'text', { required: true, ...personal }),
    f('email', 'Email', 'email', personal),
    f('phone', 'Phone', 'phone', personal),
    f('company', 'Company', 'text'),
    f('industry', 'Industry', 'picklist', { options: industries }),
    f('leadSource', 'Lead Source', 'picklist', { options: ['Web', 'Phone', 'Referral', 'Advertisement', 'Trade Show', 'Kiosk', 'Other'] }),
    f('leadStatus', 'Lead Status', 'picklist', { options: ['New', 'Contacted', 'Qualified', 'Unqualified'] }),
    f('timeZone', 'Time Zone', 'timezone'),
    f('destinationWish', 'Destination wish', 'text'),
    f('travelPeriod', 'When to travel', 'text'),
    f('travellers', 'Travellers', 'number'),
    f('emailConsent', 'May we email you?', 'boolean'),
    f('converted', 'Converted', 'boolean', { readOnly: true }),
  ]),
  standard('Contacts', 'Contacts', [
    f('firstName', 'First Name', 'text', personal),
    f('lastName', 'Last Name', 'text', { required: true, ...personal }),
    f('email', 'Email', 'email', personal),
    f('phone', 'Phone', 'phone', personal),
    f('accountId', 'Account', 'lookup', { lookupModule: 'Accounts' }),
    f('industry', 'Industry', 'picklist', { options: industries }),
    f('timeZone', 'Time Zone', 'timezone'),
  ]),
  standard('Accounts', 'Accounts', [
    f('name', 'Account Name', 'text', { required: true }),
    f('industry', 'Industry', 'picklist', { options: industries }),
    f('phone', 'Phone', 'phone'),
    f('website', 'Website', 'text'),
  ]),
  standard('Deals', 'Deals', [
    f('name', 'Deal Name', 'text', { required: true }),
    f('accountId', 'Account', 'lookup', { lookupModule: 'Accounts' }),
    f('contactId', 'Contact', 'lookup', { lookupModule: 'Contacts' }),
    f('stage', 'Stage', 'picklist', { options: ['Qualification', 'Proposal', 'Negotiation', 'Closed Won', 'Closed Lost'] }),
    f('amount', 'Amount', 'currency'),
    f('discountPercent', 'Discount %', 'percent'),
    f('closingDate', 'Closing Date', 'date'),
    f('industry', 'Industry', 'picklist', { options: industries }),
  ]),
  standard('Cases', 'Cases', [
    f('subject', 'Subject', 'text', { required: true }),
    f('contactId', 'Contact', 'lookup', { lookupModule: 'Contacts' }),
    f('status', 'Status', 'picklist', { options: ['Open', 'Escalated', 'Closed'] }),
    f('priority', 'Priority', 'picklist', { options: ['Low', 'Medium', 'High', 'Urgent'] }),
    f('description', 'Description', 'textarea'),
  ]),
  standard('Tasks', 'Tasks', [
    f('subject', 'Subject', 'text', { required: true }),
    f('dueDate', 'Due Date', 'date'),
    f('status', 'Status', 'picklist', { options: ['Open', 'Done'] }),
    f('assigneeId', 'Assignee', 'user'),
    f('relatedModule', 'Related Module', 'text'),
    f('relatedId', 'Related Record', 'text'),
  ]),
  standard('Calls', 'Calls', [
    f('subject', 'Subject', 'text', { required: true }),
    f('scheduledAt', 'Scheduled At', 'datetime'),
    f('assigneeId', 'Assignee', 'user'),
    f('relatedModule', 'Related Module', 'text'),
    f('relatedId', 'Related Record', 'text'),
    f('outcome', 'Outcome', 'text'),
  ]),
  standard('TravelApplications', 'Travel Applications', [
    f('name', 'Application Name', 'text', { required: true }),
    f('contactId', 'Contact', 'lookup', { lookupModule: 'Contacts', required: true }),
    f('destination', 'Destination', 'text'),
    f('departureDate', 'Departure Date', 'date'),
    f('returnDate', 'Return Date', 'date'),
    f('travellers', 'Travellers', 'number'),
    f('stage', 'Stage', 'picklist', {
      options: ['Requirements Check', 'Travel Plan', 'Manager Approval', 'Arrangement', 'Documents Review', 'Completed'],
    }),
    f('changeDetails', 'Change Details', 'textarea'),
  ]),
];

export const standardModule = (name: string): ModuleMetadata | undefined => STANDARD_MODULES.find((m) => m.name === name);
