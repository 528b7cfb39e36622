import type { AppDeps } from '../../shared/adapters/deps.js';
import { KioskDefinitionSchema, type KioskDefinition } from '../../shared/domain/kiosk/definition.js';
import type { ChangeContext } from '../../shared/db/history.js';
import { saveDefinitionIfAbsent } from '../../shared/db/definitions-repo.js';
import { OPERATIONS_TEAM_ID } from './seed-teams.js';

export const UPDATE_TRAVEL_INFO_KIOSK_ID = '01JDEMOKIO0000000000000001';

const application = 'results.load-application.record.fields';

/**
 * The scenario's step 5: the customer's phone → one of their travel applications → new dates and the
 * details of the change → the application is updated, and its owner, the Operations team and the
 * customer are told.
 */
export const UPDATE_TRAVEL_INFO_KIOSK: KioskDefinition = KioskDefinitionSchema.parse({
  name: 'Update travel info',
  description: "Change the dates of a customer's trip when they call.",
  runners: { orgRoles: ['member'] },
  start: 'customer-phone',
  nodes: [
    { kind: 'screen', id: 'customer-phone', title: "Customer's phone", description: 'The number the customer gave us, in any format.', components: [{ kind: 'input', id: 'phone', type: 'phone', label: 'Phone number', required: true }], next: 'find-customer' },
    { kind: 'action', id: 'find-customer', action: { type: 'findRecords', module: 'Contacts', where: { phone: { ref: 'values.phone' } } }, next: 'has-customer' },
    { kind: 'decision', id: 'has-customer', branches: [{ when: { all: [{ field: 'results.find-customer.count', op: 'eq', value: 0 }] }, next: 'no-customer' }], otherwise: 'find-applications' },
    { kind: 'end', id: 'no-customer', title: 'No customer found', message: 'No contact has the phone number {{values.phone}}. Check the number with the customer, or create the contact first.' },
    { kind: 'action', id: 'find-applications', action: { type: 'findRecords', module: 'TravelApplications', where: { contactId: { ref: 'results.find-customer.ids' } } }, next: 'has-applications' },
    {
      kind: 'decision',
      id: 'has-applications',
      branches: [{ when: { all: [{ field: 'results.find-applications.count', op: 'eq', value: 0 }] }, next: 'no-applications' }],
      otherwise: 'pick-application',
    },
    { kind: 'end', id: 'no-applications', title: 'No travel applications', message: '{{results.find-customer.records.0.fields.firstName}} {{results.find-customer.records.0.fields.lastName}} has no travel applications yet: there are no dates to change.' },
    {
      kind: 'screen',
      id: 'pick-application',
      title: 'Which trip?',
      components: [{ kind: 'choice', id: 'application', label: 'Travel application', from: 'results.find-applications.records', optionLabel: '{{fields.name}}: {{fields.destination|no destination yet}}, {{fields.departureDate|no dates yet}} → {{fields.returnDate|open}}' }],
      next: 'load-application',
    },
    { kind: 'action', id: 'load-application', action: { type: 'getRecord', module: 'TravelApplications', id: { ref: 'values.application' } }, next: 'load-contact' },
    { kind: 'action', id: 'load-contact', action: { type: 'getRecord', module: 'Contacts', id: { ref: `${application}.contactId` } }, next: 'new-dates' },
    {
      kind: 'screen',
      id: 'new-dates',
      title: 'New dates',
      components: [
        { kind: 'display', id: 'currentDates', label: 'Now', text: `{{${application}.name}}: {{${application}.departureDate}} → {{${application}.returnDate}}` },
        { kind: 'input', id: 'departureDate', type: 'date', label: 'New departure date', required: true, default: { ref: `${application}.departureDate` } },
        { kind: 'input', id: 'returnDate', type: 'date', label: 'New return date', required: true, default: { ref: `${application}.returnDate` } },
        { kind: 'input', id: 'changeDetails', type: 'textarea', label: 'What changed, and why', required: true },
      ],
      next: 'update-application',
    },
    {
      kind: 'action',
      id: 'update-application',
      action: { type: 'updateRecord', module: 'TravelApplications', id: { ref: 'values.application' }, fields: { departureDate: { ref: 'values.departureDate' }, returnDate: { ref: 'values.returnDate' }, changeDetails: { ref: 'values.changeDetails' } } },
      next: 'notify',
    },
    {
      kind: 'action',
      id: 'notify',
      action: {
        type: 'notify',
        channels: ['email', 'inApp'],
        to: [
          { kind: 'recordOwner', module: 'TravelApplications', id: { ref: 'values.application' } },
          { kind: 'team', teamId: OPERATIONS_TEAM_ID },
          { kind: 'email', address: { ref: 'results.load-contact.record.fields.email' } },
        ],
        subject: 'New travel dates: {{results.update-application.record.fields.name}}',
        message: 'The trip {{results.update-application.record.fields.name}} now departs on {{values.departureDate}} and returns on {{values.returnDate}}. Details: {{values.changeDetails}}',
        // The customer hears of the new dates, not of the agent's note for colleagues.
        customer: {
          subject: 'New travel dates: {{results.update-application.record.fields.name}}',
          message: 'Your trip {{results.update-application.record.fields.name}} now departs on {{values.departureDate}} and returns on {{values.returnDate}}. Reply to this email if anything is not as you expect.',
        },
      },
      next: 'done',
    },
    { kind: 'end', id: 'done', title: 'Dates changed', message: '{{results.update-application.record.fields.name}} now runs {{values.departureDate}} → {{values.returnDate}}. The owner, Operations and the customer have been told.' },
  ],
});

/** Seeds the demo's kiosks under fixed ids (one someone already changed is left as it is). */
export const seedKiosks = (deps: AppDeps, ctx: ChangeContext): Promise<void> => saveDefinitionIfAbsent(deps, 'kiosk', UPDATE_TRAVEL_INFO_KIOSK_ID, UPDATE_TRAVEL_INFO_KIOSK, ctx);
