import type { CadenceDefinitionInput } from './definition.js';

/**
 * The demo's cadence (seeded by `npm start`, found by name): a lead created with an email is
 * enrolled; a thank-you email at once; if it is opened, a survey; if the survey gets no reply within
 * 2 days, a follow-up email; if that gets no reply within 2 more days, a call task for the owner.
 * The lead leaves when its status becomes Qualified (and on a reply, a bounce or an unsubscribe).
 */
export const TRAVEL_INQUIRY_FOLLOW_UP: CadenceDefinitionInput = {
  name: 'Travel inquiry follow-up',
  description: 'Thank new travel leads, ask about their wishes, and follow up until they are qualified.',
  module: 'Leads',
  sender: { name: 'Keiro Travel' },
  enrollment: { trigger: 'onCreate', criteria: { all: [{ field: 'email', op: 'isNotEmpty' }] } },
  unenrollment: { criteria: { all: [{ field: 'leadStatus', op: 'eq', value: 'Qualified' }] }, onReply: true, onBounce: true },
  steps: [
    {
      id: 'thank-you',
      name: 'Thank you',
      type: 'email',
      timing: { after: 'enrollment', amount: 0, unit: 'minutes' },
      subject: 'Thank you for your travel inquiry, {{firstName}}',
      text: 'Dear {{firstName}} {{lastName}},\n\nThank you for your inquiry. {{owner.name}} will help you plan your trip.\n\n{{sender.name}}',
      html: '<p>Dear {{firstName}} {{lastName}},</p><p>Thank you for your inquiry. {{owner.name}} will help you plan your trip.</p><p>{{sender.name}}</p>',
    },
    {
      id: 'survey',
      name: 'Destination survey',
      type: 'email',
      parent: 'thank-you',
      condition: { event: 'opened', within: { amount: 14, unit: 'days' } },
      subject: 'Where would you like to go, {{firstName}}?',
      text: 'Dear {{firstName}},\n\nTell us about your dream destination, dates and who travels with you: just reply to this email.\n\n{{sender.name}}',
      html: '<p>Dear {{firstName}},</p><p>Tell us about your dream destination, dates and who travels with you: just reply to this email.</p><p>{{sender.name}}</p>',
    },
    {
      id: 'follow-up',
      name: 'Follow-up',
      type: 'email',
      parent: 'survey',
      condition: { event: 'notReplied', within: { amount: 2, unit: 'days' } },
      subject: 'Still dreaming of a trip, {{firstName}}?',
      text: 'Dear {{firstName}},\n\nWe would love to hear your travel wishes. {{owner.name}} is happy to call you.\n\n{{sender.name}}',
    },
    {
      id: 'call',
      name: 'Call the lead',
      type: 'call',
      parent: 'follow-up',
      condition: { event: 'notReplied', within: { amount: 2, unit: 'days' } },
      subject: 'Call {{firstName}} {{lastName}} about their travel wishes',
      dueInDays: 1,
    },
  ],
};
