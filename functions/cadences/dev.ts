import * as z from 'zod';
import type { AppDeps } from '../../shared/adapters/deps.js';
import { decideOpsAdmin } from '../../shared/domain/access/index.js';
import type { BusEvent } from '../../shared/events/envelope.js';
import { loadPrincipal } from '../../shared/db/users-repo.js';
import { ok, problems } from '../../shared/http/common-schemas.js';
import { implement, json, requireAuth, type OperationRequest } from '../../shared/http/operation.js';
import { route } from '../../shared/http/route-spec.js';
import { SES_EVENT_TYPES } from './event-patterns.js';
import { findMessage } from './reactions.js';
import { processInboundMail } from './inbound-mail.js';
import { enforce } from '../../shared/domain/access/principal.js';
import { NotFound } from '../../shared/domain/errors.js';
import { lazySchema } from '../../shared/domain/lazy-schema.js';

/**
 * Dev-only routes: served by the local API only. They are not in the route table that CDK deploys
 * (functions/routes.ts), and they refuse (404) wherever no local bus is wired (`deps.cadence.devBus`).
 */
const common = { area: 'cadences', auth: 'jwt', tags: ['Development'] } as const;

export const DevSesEventBody = lazySchema(() => z.strictObject({
  messageId: z.string().min(1).max(200),
  eventType: z.enum(Object.keys(SES_EVENT_TYPES) as [keyof typeof SES_EVENT_TYPES, ...Array<keyof typeof SES_EVENT_TYPES>]),
  link: z.url().max(2048).optional(),
  /** Bounce only: Permanent (default; suppresses) or Transient. */
  bounceType: z.enum(['Permanent', 'Transient']).optional(),
}));

const HeaderName = lazySchema(() => z.string().regex(/^[A-Za-z0-9-]{1,64}$/, 'A header name'));
const HeaderValue = lazySchema(() => z.string().max(998).regex(/^[^\r\n]*$/, 'One line'));
export const DevInboundEmailBody = lazySchema(() => z.strictObject({
  from: z.email().max(254),
  to: z.string().min(3).max(1000).regex(/^[^\r\n]*$/, 'One line'),
  subject: HeaderValue,
  text: z.string().max(100_000),
  headers: z.record(HeaderName, HeaderValue).optional(),
}));

const Accepted = lazySchema(() => z.object({ accepted: z.literal(true), outcome: z.string().optional() }));

export const devRoutes = {
  devSesEvent: route({ ...common, operationId: 'devSesEvent', method: 'POST', path: '/v1/dev/ses-events', summary: "Local only: put on the bus the event SES's configuration set would send for a message (org admin)", body: DevSesEventBody, responses: { 202: ok(Accepted), ...problems(400, 401, 403, 404) } }),
  devInboundEmail: route({ ...common, operationId: 'devInboundEmail', method: 'POST', path: '/v1/dev/inbound-email', summary: 'Local only: hand a mail to the reply processor as SES receiving would (org admin)', body: DevInboundEmailBody, responses: { 202: ok(Accepted), ...problems(400, 401, 403, 404) } }),
};

const devBusOf = async (req: OperationRequest, deps: AppDeps) => {
  const bus = deps.cadence?.devBus;
  if (!bus) throw new NotFound('No such route');
  enforce(decideOpsAdmin(await loadPrincipal(deps, requireAuth(req))));
  return bus;
};

/**
 * Inject an SES sending event.
 * 1. Local cloud and org admin only (404 / 403).
 * 2. Build the event as the configuration set's EventBridge destination does (source aws.ses, the
 *    detail-type of the event type, `detail.mail.messageId`, the type's section with its timestamp).
 * 3. Put it on the local bus; the cadence-email-events subscription takes it from there.
 */
export const devSesEventOperation = implement(devRoutes.devSesEvent, async (req, deps) => {
  const publish = await devBusOf(req, deps);
  const type = SES_EVENT_TYPES[req.body.eventType];
  const ref = await findMessage(deps, req.body.messageId);
  const now = deps.clock().toISOString();
  const destination = ref ? [ref.to] : [];
  const sections: Record<string, unknown> = {
    Delivery: { timestamp: now, recipients: destination },
    Open: { timestamp: now, userAgent: 'keiro-dev', ipAddress: '127.0.0.1' },
    Click: { timestamp: now, link: req.body.link ?? 'https://example.com/', userAgent: 'keiro-dev', ipAddress: '127.0.0.1' },
    Bounce: { timestamp: now, bounceType: req.body.bounceType ?? 'Permanent', bounceSubType: 'General', bouncedRecipients: destination.map((emailAddress) => ({ emailAddress })) },
    Complaint: { timestamp: now, complainedRecipients: destination.map((emailAddress) => ({ emailAddress })) },
  };
  const event = {
    version: '0',
    id: deps.newId(),
    source: 'aws.ses',
    'detail-type': type.detailType,
    account: '000000000000',
    region: 'local',
    time: now,
    resources: [],
    detail: {
      eventType: req.body.eventType,
      mail: { timestamp: now, messageId: req.body.messageId, source: deps.mail.from, destination, tags: deps.mail.configurationSet ? { 'ses:configuration-set': [deps.mail.configurationSet] } : {} },
      [type.section]: sections[req.body.eventType],
    },
  } as unknown as BusEvent;
  await publish(event);
  return json(202, { accepted: true });
});

const encodeWord = (value: string): string => (/^[\x20-\x7e]*$/.test(value) ? value : `=?UTF-8?B?${Buffer.from(value, 'utf8').toString('base64')}?=`);

/** A MIME message as SES receiving would store it (text/plain, base64 body). */
export const buildMime = (deps: AppDeps, body: z.infer<typeof DevInboundEmailBody>): string => {
  const lines = [
    `From: ${body.from}`,
    `To: ${body.to}`,
    `Subject: ${encodeWord(body.subject)}`,
    `Date: ${deps.clock().toUTCString()}`,
    `Message-ID: <${deps.newId()}@dev.keiro.local>`,
    ...Object.entries(body.headers ?? {}).map(([k, v]) => `${k}: ${encodeWord(v)}`),
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: base64',
    '',
    (Buffer.from(body.text, 'utf8').toString('base64').match(/.{1,76}/g) ?? []).join('\r\n'),
  ];
  return lines.join('\r\n');
};

/** Inject an inbound mail: build its MIME and hand it to the reply processor (which parses it as in AWS). */
export const devInboundEmailOperation = implement(devRoutes.devInboundEmail, async (req, deps) => {
  await devBusOf(req, deps);
  const outcome = await processInboundMail(deps, buildMime(deps, req.body));
  return json(202, { accepted: true, outcome });
});

export const devOperations = [devSesEventOperation, devInboundEmailOperation];
