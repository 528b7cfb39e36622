import { CADENCE_MODULES } from '../../shared/domain/cadence/definition.js';
import { recordCreated, recordDeleted, recordUpdated } from '../../shared/events/catalog/index.js';

/** Record events of the modules cadences serve (the cadence-enroller subscription). */
export const cadenceRecordEventsPattern = {
  source: ['keiro'],
  'detail-type': [recordCreated.name, recordUpdated.name, recordDeleted.name],
  detail: { data: { module: [...CADENCE_MODULES] } },
};

/** SES event types (configuration set → EventBridge) that cadences react to, and their detail-types on the bus. */
export const SES_EVENT_TYPES = {
  Delivery: { reaction: 'delivered', detailType: 'Email Delivered', section: 'delivery' },
  Open: { reaction: 'opened', detailType: 'Email Opened', section: 'open' },
  Click: { reaction: 'clicked', detailType: 'Email Clicked', section: 'click' },
  Bounce: { reaction: 'bounced', detailType: 'Email Bounced', section: 'bounce' },
  Complaint: { reaction: 'complained', detailType: 'Email Complaint Received', section: 'complaint' },
} as const;
export type SesEventType = keyof typeof SES_EVENT_TYPES;

/** The SES events cadences handle (forwarded from the default bus to ours by the data stack's rule). */
export const sesEventsPattern = { source: ['aws.ses'], 'detail-type': Object.values(SES_EVENT_TYPES).map((t) => t.detailType) };
