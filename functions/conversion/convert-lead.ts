import { businessMetric } from '../../shared/adapters/metrics.js';
import type { AppDeps } from '../../shared/adapters/deps.js';
import { effectiveMapping, LeadConversionMappingSchema, mappedValues, type ConversionTarget, type LeadConversionMapping } from '../../shared/domain/conversion/mapping.js';
import { validateFieldValues, type FieldValues } from '../../shared/domain/records/field-values.js';
import type { ModuleMetadata } from '../../shared/domain/records/module-definition.js';
import { normaliseForLookup } from '../../shared/domain/records/normalise.js';
import { historyPut, type ChangeContext } from '../../shared/db/history.js';
import { lookupKeys, moduleKeys, moduleProcessKeys, settingKeys, type Key } from '../../shared/db/keys.js';
import { getModule, moduleFromItem } from '../../shared/db/modules-repo.js';
import { moduleProcessesFromItem, type ModuleProcesses } from '../../shared/db/module-processes-repo.js';
import { queryAll } from '../../shared/db/query.js';
import { buildCreateItems, buildUpdateItems, getRecord, namedExtraFailure, preWriteChecks, requireRecord, type ExtraFailure, type RecordItem, type UpdateOptions } from '../../shared/db/records-repo.js';
import { ExtraItemsRaceLost } from '../../shared/db/lost-race.js';
import { getSetting, settingFromItem, type StoredSetting } from '../../shared/db/settings-repo.js';
import { ConditionFailed, transactWrite, type TransactItem } from '../../shared/db/transact.js';
import { Invalid, Conflict, NotFound } from '../../shared/domain/errors.js';

export const LEAD_CONVERSION_SETTING = 'lead-conversion';

export interface ConversionModules {
  leads: ModuleMetadata;
  targets: Record<ConversionTarget, ModuleMetadata>;
}

const TARGET_MODULES = ['Contacts', 'Accounts', 'Deals'] as const;

const conversionModules = (leads: ModuleMetadata | undefined, [contact, account, deal]: ReadonlyArray<ModuleMetadata | undefined>): ConversionModules => {
  if (!leads || !contact || !account || !deal) throw new NotFound('Lead conversion needs the Leads, Contacts, Accounts and Deals modules');
  return { leads, targets: { contact, account, deal } };
};

export const loadConversionModules = async (deps: AppDeps): Promise<ConversionModules> => {
  const [leads, ...targets] = await Promise.all(['Leads', ...TARGET_MODULES].map((m) => getModule(deps, m)));
  return conversionModules(leads, targets);
};

/** The saved mapping (if any, as read: `preloaded`, or read now) and the effective one. */
export const loadMapping = async (deps: AppDeps, modules: ConversionModules, preloaded?: { saved: StoredSetting<LeadConversionMapping> | undefined }) => {
  const saved = preloaded ? preloaded.saved : await getSetting<LeadConversionMapping>(deps, LEAD_CONVERSION_SETTING);
  const value = saved ? LeadConversionMappingSchema.parse(saved.value) : undefined;
  return { saved, effective: effectiveMapping(value, modules.leads, modules.targets) };
};

/** What a conversion reads before it writes, read by the caller in one batch (see conversionContextKeys). */
export interface ConversionContext {
  modules: ConversionModules;
  lead: RecordItem | undefined;
  setting: StoredSetting<LeadConversionMapping> | undefined;
  processes: Record<string, ModuleProcesses>;
}

/** The items a conversion reads besides the caller, the Leads module, the lead and its process state: the target modules, their process states and the mapping. */
export const conversionContextKeys = (): Key[] => [...TARGET_MODULES.flatMap((m) => [moduleKeys.key(m), moduleProcessKeys.key(m)]), settingKeys.key(LEAD_CONVERSION_SETTING)];

/** The conversion context from the items of that batch (loadAccessContext's `extra`). */
export const conversionContext = (deps: AppDeps, leads: ModuleMetadata | undefined, lead: RecordItem | undefined, leadProcesses: ModuleProcesses, extra: ReadonlyArray<Record<string, unknown>>): ConversionContext => {
  const find = (key: Key) => extra.find((i) => i.PK === key.PK && i.SK === key.SK);
  return {
    modules: conversionModules(leads, TARGET_MODULES.map((m) => moduleFromItem(deps, m, find(moduleKeys.key(m))))),
    lead,
    setting: settingFromItem<LeadConversionMapping>(find(settingKeys.key(LEAD_CONVERSION_SETTING))),
    processes: Object.fromEntries([['Leads', leadProcesses], ...TARGET_MODULES.map((m) => [m, moduleProcessesFromItem(m, find(moduleProcessKeys.key(m)))])]),
  };
};

export interface ConvertInput {
  deal?: { fields: Record<string, unknown> } | undefined;
  account?: { existingId?: string | undefined } | undefined;
}

export interface ConversionResult {
  contactId: string;
  accountId?: string;
  dealId?: string;
  /** Which records were created and which existing ones were linked. */
  created: Array<{ module: string; id: string }>;
  linked: Array<{ module: string; id: string }>;
}

export interface ConvertOptions {
  /** Pre-write checks of the caller (access to the lead), run with the records core's own. */
  check?: UpdateOptions['check'];
  /** More items for the same transaction (an automation's outcome marker). */
  extraItems?: TransactItem[];
  /** What a failed condition of `extraItems` means (see ExtraFailure in records-repo.ts). */
  extraFailure?: ExtraFailure;
  /** What the caller already read in one batch (conversionContext); without it, read here. */
  context?: ConversionContext;
}

/** An existing contact with the lead's email or phone (through the lookup items), the lowest id first. */
const findExistingContact = async (deps: AppDeps, contacts: ModuleMetadata, lead: RecordItem): Promise<RecordItem | undefined> => {
  for (const type of ['email', 'phone'] as const) {
    const leadField = lead.fields[type];
    const field = contacts.fields.find((f) => f.type === type && f.name === type);
    const normalised = field ? normaliseForLookup(type, leadField, deps.defaultPhoneRegion) : undefined;
    if (!normalised) continue;
    const hits = await queryAll<{ recordId: string }>(deps, {
      KeyConditionExpression: 'PK = :pk',
      ExpressionAttributeValues: { ':pk': lookupKeys.partition(contacts.name, type, normalised) },
      ConsistentRead: true,
      Limit: 25,
    });
    for (const id of hits.map((h) => h.recordId).sort()) {
      const found = await getRecord(deps, contacts.name, id);
      if (found) return found;
    }
  }
  return undefined;
};

const validated = (deps: AppDeps, module: ModuleMetadata, fields: Record<string, unknown>, path: string): FieldValues => {
  const { values, errors } = validateFieldValues(module, fields, 'create', deps.defaultPhoneRegion);
  if (errors.length > 0) throw new Invalid('Invalid converted record fields', errors.map((e) => ({ path: `${path}.${e.path.replace(/^fields\./, '')}`, message: e.message })));
  return values as FieldValues;
};

/** A history entry on an existing record that conversion linked (it is not changed, but its history says so). */
const linkedEntry = (deps: AppDeps, record: RecordItem, lead: RecordItem, occurredAt: string, ctx: ChangeContext): TransactItem =>
  historyPut(deps.tableName, {
    subjectPK: record.PK,
    subject: { type: 'record', id: record.id, module: record.module },
    eventId: deps.newId(),
    eventName: 'record.linked',
    occurredAt,
    changes: [],
    data: { module: record.module, recordId: record.id, linkedTo: { module: 'Leads', id: lead.id }, reason: 'lead conversion' },
    context: ctx,
  });

/**
 * Converts a lead into a contact, an account (for a company, or a link to an existing one) and
 * optionally a deal, in ONE transaction.
 * 1. Read the lead; the records core's pre-write checks (caller's access, lock, converted → 409).
 * 2. Load the effective mapping; map the lead's values to each target; validate each as a create.
 * 3. Dedupe: an existing contact with the lead's email or phone (lookup items) is linked, not duplicated.
 * 4. One transaction: created records with their `record.created` entries and index items, a
 *    `record.linked` entry on each linked record, and the lead marked converted (conditional on the
 *    version read) with its `lead.converted` entry naming every record created or linked.
 * A failure anywhere writes nothing.
 */
export const convertLead = async (deps: AppDeps, leadId: string, input: ConvertInput, ctx: ChangeContext, options: ConvertOptions = {}): Promise<ConversionResult> => {
  const preloaded = options.context;
  const modules = preloaded?.modules ?? (await loadConversionModules(deps));
  const lead = preloaded?.lead ?? (await requireRecord(deps, 'Leads', leadId));
  await preWriteChecks(lead, { kind: 'update', changes: [{ field: 'converted', old: lead.fields.converted ?? null, new: true }] }, options.check ? { check: options.check } : {});
  const { effective } = await loadMapping(deps, modules, preloaded ? { saved: preloaded.setting } : undefined);
  const processesOf = (module: string) => (preloaded ? { processes: preloaded.processes[module] } : {});
  const values = (target: ConversionTarget) => mappedValues(effective[target], lead.fields);
  const now = deps.clock().toISOString();
  const items: TransactItem[] = [];
  const alongside: RecordItem[] = [];
  const parts: Array<(offset: number, failed: number[]) => Error | 'stale' | undefined> = [];
  const offsets: number[] = [];
  const add = (built: { item?: RecordItem; items: TransactItem[]; failure: (offset: number, failed: number[]) => Error | 'stale' | undefined }) => {
    if (built.item) alongside.push(built.item);
    offsets.push(items.length);
    parts.push(built.failure);
    items.push(...built.items);
  };
  const created: ConversionResult['created'] = [];
  const linked: ConversionResult['linked'] = [];
  const { targets } = modules;

  // Account: an existing one named by the caller, or a new one when the lead has a company.
  let accountId: string | undefined;
  if (input.account?.existingId) {
    const existing = await getRecord(deps, 'Accounts', input.account.existingId);
    if (!existing) throw new Invalid('No such account', [{ path: 'account.existingId', message: `No Accounts record ${input.account.existingId}` }]);
    accountId = existing.id;
    linked.push({ module: 'Accounts', id: accountId });
    items.push(linkedEntry(deps, existing, lead, now, ctx));
  } else if (values('account').name !== undefined) {
    accountId = deps.newId();
    add(await buildCreateItems(deps, targets.account, { id: accountId, ownerId: lead.ownerId, fields: validated(deps, targets.account, values('account'), 'account.fields') }, ctx, { createdAlongside: alongside, ...processesOf('Accounts') }));
    created.push({ module: 'Accounts', id: accountId });
  }

  // Contact: linked when one already has the lead's email or phone.
  const existingContact = await findExistingContact(deps, targets.contact, lead);
  let contactId: string;
  if (existingContact) {
    contactId = existingContact.id;
    linked.push({ module: 'Contacts', id: contactId });
    items.push(linkedEntry(deps, existingContact, lead, now, ctx));
  } else {
    contactId = deps.newId();
    const fields = validated(deps, targets.contact, { ...values('contact'), ...(accountId ? { accountId } : {}) }, 'contact.fields');
    add(await buildCreateItems(deps, targets.contact, { id: contactId, ownerId: lead.ownerId, fields }, ctx, { createdAlongside: alongside, ...processesOf('Contacts') }));
    created.push({ module: 'Contacts', id: contactId });
  }

  // Deal: only when asked for; the caller's fields win over the mapped ones.
  let dealId: string | undefined;
  if (input.deal) {
    dealId = deps.newId();
    const name = lead.fields.company ?? [lead.fields.firstName, lead.fields.lastName].filter(Boolean).join(' ');
    const fields = validated(deps, targets.deal, { name, ...values('deal'), ...input.deal.fields, contactId, ...(accountId ? { accountId } : {}) }, 'deal.fields');
    add(await buildCreateItems(deps, targets.deal, { id: dealId, ownerId: lead.ownerId, fields }, ctx, { createdAlongside: alongside, ...processesOf('Deals') }));
    created.push({ module: 'Deals', id: dealId });
  }

  const result: ConversionResult = { contactId, ...(accountId ? { accountId } : {}), ...(dealId ? { dealId } : {}), created, linked };
  const conversion = { contactId, ...(accountId ? { accountId } : {}), ...(dealId ? { dealId } : {}), created, linked };
  add(await buildUpdateItems(deps, modules.leads, lead, { fields: { converted: true } }, ctx, { eventName: 'lead.converted', extraData: { conversion }, ...processesOf('Leads') }));
  try {
    await transactWrite(deps, [...items, ...(options.extraItems ?? [])]);
  } catch (error) {
    if (!(error instanceof ConditionFailed)) throw error;
    const named = namedExtraFailure(error.failedIndexes, items.length, options.extraFailure);
    if (named) throw named;
    for (const [i, failure] of parts.entries()) {
      const found = failure(offsets[i]!, error.failedIndexes);
      if (found === 'stale') throw new Conflict(`Lead ${leadId} changed while it was being converted; try again`);
      if (found) throw found;
    }
    throw new ExtraItemsRaceLost();
  }
  businessMetric('LeadsConverted', 1, { via: ctx.via ?? 'api' });
  return result;
};

