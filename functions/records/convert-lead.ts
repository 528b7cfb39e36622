import { decideOrgMetadataChange, decideRecordAccess } from '../../shared/domain/access/index.js';
import { validateMapping } from '../../shared/domain/conversion/mapping.js';
import { putSetting } from '../../shared/db/settings-repo.js';
import { changeContext, etag } from '../../shared/http/context.js';
import { parseIfMatch } from '../../shared/http/if-match.js';
import { implement, json } from '../../shared/http/operation.js';
import { conversionContext, conversionContextKeys, convertLead, LEAD_CONVERSION_SETTING, loadConversionModules, loadMapping } from '../conversion/convert-lead.js';
import type { ModuleProcesses } from '../../shared/db/module-processes-repo.js';
import { conversionRoutes } from './conversion-routes.js';
import { enforceOnRecord, moduleAccess, moduleAccessMaybeRecord } from './record-access.js';
import { enforce } from '../../shared/domain/access/principal.js';
import { assertIfMatch } from '../../shared/domain/version-precondition.js';
import { Invalid, NotFound } from '../../shared/domain/errors.js';

/**
 * Convert a lead.
 * 1. One BatchGetItem: the caller, the lead, the four modules, their process states and the mapping.
 *    The caller may update the lead (owner, above the owner, or admin) and create contacts, accounts and deals.
 * 2. The conversion use case: one transaction (see convertLead); a converted lead is 409.
 */
export const convertLeadOperation = implement(conversionRoutes.convertLead, async (req, deps) => {
  const access = await moduleAccessMaybeRecord(req, deps, 'Leads', req.params.id, 'update', conversionContextKeys());
  const context = conversionContext(deps, access.module, access.record, access.processes as ModuleProcesses, access.extra);
  const { modules } = context;
  for (const module of [modules.targets.contact, modules.targets.account, ...(req.body.deal ? [modules.targets.deal] : [])]) {
    enforce(decideRecordAccess(access.principal, module, 'create'), `No module ${module.name}`);
  }
  if (!access.record) throw new NotFound(`No Leads record ${req.params.id}`);
  // The caller's role and manager as this request read them: the targets' process triggers and their
  // approvers named by manager (the records are the lead owner's: often the caller) need no second read.
  const ctx = { ...changeContext(req, deps, 'conversion'), actorOrgRole: access.principal.orgRole, ...(access.callerManagerId !== undefined ? { actorManagerId: access.callerManagerId } : {}) };
  const result = await convertLead(deps, req.params.id, req.body, ctx, { check: (current) => enforceOnRecord(deps, access, 'update', current), context });
  return json(201, result);
});

/** The effective mapping: same-name fields, standard pairs, then the saved overrides. Any org member reads it. */
export const getLeadConversionOperation = implement(conversionRoutes.getLeadConversion, async (req, deps) => {
  await moduleAccess(req, deps, 'Leads', 'read');
  const modules = await loadConversionModules(deps);
  const { saved, effective } = await loadMapping(deps, modules);
  const version = saved?.version ?? 0;
  return json(200, { ...effective, version }, { ETag: etag(version) });
});

/**
 * Save the mapping (org admin).
 * 1. Validate every pair: fields exist, the target is writable, the lead field's values fit (400 at `<target>.<field>`).
 * 2. Save conditional on the version read (If-Match, else the current one); answer the effective mapping.
 */
export const putLeadConversionOperation = implement(conversionRoutes.putLeadConversion, async (req, deps) => {
  const access = await moduleAccess(req, deps, 'Leads', 'read');
  enforce(decideOrgMetadataChange(access.principal));
  const modules = await loadConversionModules(deps);
  const errors = validateMapping(req.body, modules.leads, modules.targets);
  if (errors.length > 0) throw new Invalid('Invalid lead-conversion mapping', errors);
  const { saved } = await loadMapping(deps, modules);
  const expected = parseIfMatch(req.headers['if-match']);
  assertIfMatch(expected, saved?.version ?? 0);
  const stored = await putSetting(deps, LEAD_CONVERSION_SETTING, req.body, saved, changeContext(req, deps));
  const { effective } = await loadMapping(deps, modules);
  return json(200, { ...effective, version: stored.version }, { ETag: etag(stored.version) });
});
