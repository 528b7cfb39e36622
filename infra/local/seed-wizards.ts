import type { AppDeps } from '../../shared/adapters/deps.js';
import { WizardDefinitionSchema, type WizardDefinition } from '../../shared/domain/wizard/definition.js';
import type { ChangeContext } from '../../shared/db/history.js';
import { saveDefinitionIfAbsent } from '../../shared/db/definitions-repo.js';

export const NEW_LEAD_WIZARD_ID = '01JDEMOWIZ0000000000000001';

/** The scenario's step 1: an agent enters a lead in three screens, each validated, savable as a draft. */
export const NEW_LEAD_WIZARD: WizardDefinition = WizardDefinitionSchema.parse({
  name: 'New lead',
  description: 'A travel inquiry: who is asking, what they wish for, and whether we may email them.',
  module: 'Leads',
  screens: [
    {
      id: 'contact-details',
      title: 'Contact details',
      description: 'Who is asking? A last name and a way to reach them.',
      fields: [{ field: 'firstName' }, { field: 'lastName' }, { field: 'email' }, { field: 'phone' }, { field: 'company' }, { field: 'timeZone', label: 'Time zone (e.g. Asia/Tokyo)' }],
    },
    {
      id: 'travel-wishes',
      title: 'Travel wishes',
      fields: [{ field: 'destinationWish', required: true }, { field: 'travelPeriod' }, { field: 'travellers' }, { field: 'industry', hidden: true, label: "Company's industry" }, { field: 'leadSource' }],
    },
    { id: 'consent', title: 'Consent', description: 'May we send travel proposals and follow-ups by email?', fields: [{ field: 'emailConsent', required: true }] },
  ],
  rules: [
    // A company inquiry also asks for the industry (carried to the contact and deal at conversion).
    { when: { all: [{ field: 'company', op: 'isNotEmpty' }] }, then: [{ action: 'show', field: 'industry' }] },
    { when: { all: [{ field: 'email', op: 'isNotEmpty' }] }, then: [{ action: 'setValue', field: 'leadStatus', value: 'New' }] },
  ],
});

/** Seeds the demo's wizards under fixed ids (one someone already changed is left as it is). */
export const seedWizards = (deps: AppDeps, ctx: ChangeContext): Promise<void> => saveDefinitionIfAbsent(deps, 'wizard', NEW_LEAD_WIZARD_ID, NEW_LEAD_WIZARD, ctx);
