import { JourneyDefinitionSchema, type JourneyDefinition } from './definition.js';

/**
 * The demo's "Travel customer journey", from lead to promoter (the scenario's step 3): every new lead
 * enters; qualifying converts it (contact, and an account for a company) and creates a travel
 * application for the contact; a High-priority case of the customer is escalated to the owner's manager
 * and the customer is told; a completed trip brings the follow-up (survey email, and a call if no reply).
 */
export const TRAVEL_CUSTOMER_JOURNEY: JourneyDefinition = JourneyDefinitionSchema.parse({
  name: 'Travel customer journey',
  description: 'From lead to promoter: awareness → lead → prospect → customer → promoter.',
  modules: ['Leads', 'Contacts', 'TravelApplications', 'Cases', 'Deals'],
  initial: 'lead',
  states: [
    { id: 'lead', name: 'Lead', onEnter: [{ type: 'createTask', subject: 'Contact the new lead', assignee: { kind: 'owner' }, dueInDays: 1 }] },
    { id: 'nurture', name: 'Nurture', onEnter: [{ type: 'createTask', subject: 'Check in with the lead', assignee: { kind: 'owner' }, dueInDays: 3 }] },
    { id: 'prospect', name: 'Prospect', onEnter: [{ type: 'convertLead' }] },
    {
      id: 'customer',
      name: 'Customer',
      onEnter: [
        { type: 'createRecord', module: 'TravelApplications', customerField: 'contactId', fields: { name: '{{firstName}} {{lastName}} — {{destinationWish}}', destination: '{{destinationWish}}', stage: 'Requirements Check' } },
        { type: 'createTask', subject: 'Start the travel application', assignee: { kind: 'owner' }, dueInDays: 1 },
      ],
    },
    {
      id: 'escalated',
      name: 'Escalated inquiry',
      onEnter: [
        {
          type: 'escalate',
          setFields: { status: 'Escalated' },
          emailCustomer: { subject: 'We are escalating your inquiry', text: 'Dear {{firstName}} {{lastName}}, your inquiry has been passed to our manager, who will contact you shortly.' },
        },
      ],
    },
    { id: 'trip-completed', name: 'Trip completed', onEnter: [{ type: 'sendEmail', to: 'customer', subject: 'How was your trip?', text: 'Dear {{firstName}}, welcome back! Tell us about your trip, enjoy perks on your next booking, and let us know where you would like to go next.' }] },
    { id: 'follow-up-call', name: 'Follow-up call', onEnter: [{ type: 'createTask', subject: 'Call the customer about their trip', assignee: { kind: 'owner' }, dueInDays: 1 }] },
    { id: 'promoter', name: 'Promoter', onEnter: [] },
  ],
  transitions: [
    { id: 'gone-quiet', from: ['lead'], to: 'nurture', trigger: { type: 'timeInState', after: { amount: 14, unit: 'days' } } },
    { id: 'qualified', from: ['lead', 'nurture'], to: 'prospect', trigger: { type: 'fieldChanged', module: 'Leads', field: 'leadStatus', to: 'Qualified' } },
    { id: 'converted', from: ['prospect', 'lead', 'nurture'], to: 'customer', trigger: { type: 'leadConverted' } },
    { id: 'urgent-case', from: ['customer', 'trip-completed', 'follow-up-call', 'promoter'], to: 'escalated', trigger: { type: 'recordCreated', module: 'Cases', where: { all: [{ field: 'priority', op: 'eq', value: 'High' }] } } },
    { id: 'case-closed', from: ['escalated'], to: 'customer', trigger: { type: 'fieldChanged', module: 'Cases', field: 'status', to: 'Closed' } },
    { id: 'trip-done', from: ['customer', 'escalated'], to: 'trip-completed', trigger: { type: 'fieldChanged', module: 'TravelApplications', field: 'stage', to: 'Completed' } },
    { id: 'replied', from: ['trip-completed', 'follow-up-call'], to: 'promoter', trigger: { type: 'email', event: 'replied' } },
    { id: 'no-reply', from: ['trip-completed'], to: 'follow-up-call', trigger: { type: 'emailNotReplied', within: { amount: 3, unit: 'days' } } },
    { id: 'by-hand', from: '*', to: 'promoter', trigger: { type: 'manual' } },
  ],
});
