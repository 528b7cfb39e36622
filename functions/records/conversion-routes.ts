import * as z from 'zod';
import { ok, problems } from '../../shared/http/common-schemas.js';
import { route } from '../../shared/http/route-spec.js';
import { mergedDefinitionBody } from '../../shared/http/editable-body.js';
import { LeadConversionMappingSchema } from '../../shared/domain/conversion/mapping.js';
import { lazySchema } from '../../shared/domain/lazy-schema.js';

export const LeadParams = lazySchema(() => z.object({ id: z.string().min(1).max(64) }));

export const ConvertLeadBody = lazySchema(() => z
  .strictObject({
    deal: z.strictObject({ fields: z.record(z.string(), z.unknown()).default({}) }).optional(),
    account: z.strictObject({ existingId: z.string().min(1).max(64).optional() }).optional(),
  })
  .meta({ id: 'ConvertLead' }));

export const ConversionResultSchema = lazySchema(() => z
  .object({
    contactId: z.string(),
    accountId: z.string().optional(),
    dealId: z.string().optional(),
    created: z.array(z.object({ module: z.string(), id: z.string() })),
    linked: z.array(z.object({ module: z.string(), id: z.string() })),
  })
  .meta({ id: 'ConversionResult' }));

const Pairs = lazySchema(() => z.record(z.string(), z.string()));
export const EffectiveMappingSchema = lazySchema(() => z
  .object({ contact: Pairs, account: Pairs, deal: Pairs, version: z.number().int().min(0).meta({ description: '0 until an admin saves a mapping' }) })
  .meta({ id: 'EffectiveLeadConversionMapping', description: 'target field → lead field, per target (same-name fields included)' }));

/** PUT takes what GET answers (its `version` is read-only) or just the pairs to change. */
export const LeadConversionMappingBody = lazySchema(() => mergedDefinitionBody(LeadConversionMappingSchema, EffectiveMappingSchema));

const common = { area: 'records', auth: 'jwt', tags: ['Lead conversion'] } as const;

export const conversionRoutes = {
  convertLead: route({
    ...common,
    operationId: 'convertLead',
    method: 'POST',
    path: '/v1/records/Leads/{id}/convert',
    summary: 'Convert a lead into a contact, an account and optionally a deal (one transaction)',
    params: LeadParams,
    body: ConvertLeadBody,
    requestHeaders: ['Idempotency-Key'],
    responses: { 201: ok(ConversionResultSchema, 'Converted'), ...problems(400, 401, 403, 404, 409, 422, 423) },
  }),
  getLeadConversion: route({
    ...common,
    operationId: 'getLeadConversionMapping',
    method: 'GET',
    path: '/v1/settings/lead-conversion',
    summary: 'The effective lead-conversion field mapping',
    responses: { 200: ok(EffectiveMappingSchema, 'OK', ['ETag']), ...problems(401, 404) },
  }),
  putLeadConversion: route({
    ...common,
    operationId: 'putLeadConversionMapping',
    method: 'PUT',
    path: '/v1/settings/lead-conversion',
    summary: 'Save the lead-conversion mapping (org admin; null drops a same-name pair)',
    body: LeadConversionMappingBody,
    requestHeaders: ['If-Match'],
    responses: { 200: ok(EffectiveMappingSchema, 'Saved', ['ETag']), ...problems(400, 401, 403, 412) },
  }),
};
