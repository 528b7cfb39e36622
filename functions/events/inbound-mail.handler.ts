import { log } from '../../shared/adapters/telemetry.js';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { cadencePortsFromEnv } from '../../shared/adapters/cadence-ports.js';
import { depsFromEnv } from '../../shared/adapters/deps.js';
import { parseEnv } from '../../shared/config/env.js';
import { processInboundMail } from '../cadences/inbound-mail.js';

const env = parseEnv();
const base = depsFromEnv(env);
const deps = { ...base, cadence: cadencePortsFromEnv(base) };
const s3 = new S3Client({ region: env.AWS_REGION });
const bucket = process.env.INBOUND_MAIL_BUCKET;
const prefix = process.env.INBOUND_MAIL_PREFIX ?? '';
if (!bucket) throw new Error('Invalid environment: INBOUND_MAIL_BUCKET is required');

/** The SES receipt event (the S3 action stored the raw mail under `<prefix><messageId>` just before). */
interface SesReceiptEvent {
  Records?: Array<{ ses?: { mail?: { messageId?: string } } }>;
}

/**
 * Lambda entry of the reply processor: SES receiving (MX of the inbound domain) → S3 → this function.
 * Reads each mail's raw MIME from the bucket and hands it to processInboundMail (replies, unsubscribe
 * mails; auto-replies ignored). A failure throws: Lambda retries the async invocation.
 */
export const handler = async (event: SesReceiptEvent): Promise<void> => {
  for (const record of event.Records ?? []) {
    const messageId = record.ses?.mail?.messageId;
    if (!messageId) continue;
    const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: `${prefix}${messageId}` }));
    const raw = await object.Body?.transformToByteArray();
    if (!raw) continue;
    const outcome = await processInboundMail(deps, Buffer.from(raw));
    log.info('Inbound mail', { messageId, outcome });
  }
};
