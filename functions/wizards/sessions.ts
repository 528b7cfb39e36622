import type { AppDeps } from '../../shared/adapters/deps.js';
import { businessMetric } from '../../shared/adapters/metrics.js';
import type { FieldValues } from '../../shared/domain/records/field-values.js';
import { validateFieldValues } from '../../shared/domain/records/field-values.js';
import type { FieldDefinition, ModuleMetadata } from '../../shared/domain/records/module-definition.js';
import type { WizardDefinition } from '../../shared/domain/wizard/definition.js';
import {
  NothingToGoBackTo,
  draftWizardScreen,
  ScreenNotCurrent,
  ScreensRemain,
  renderWizardScreen,
  startProgress,
  submitWizardScreen,
  wizardBack,
  wizardRecordFields,
  type WizardProgress,
} from '../../shared/domain/wizard/session.js';
import { requireDefinitionVersion } from '../../shared/db/definitions-repo.js';
import { getModule } from '../../shared/db/modules-repo.js';
import { buildCreateItems, getRecord, toRecordView, type RecordItem } from '../../shared/db/records-repo.js';
import { advanceFlow, flowMoved, flowPut, listWizardDrafts, requireOwnFlow, saveFlow, type ScreenFlow } from '../../shared/db/screen-flows-repo.js';
import { recordKeys } from '../../shared/db/keys.js';
import { ConditionFailed, transactWrite } from '../../shared/db/transact.js';
import { loadPrincipal } from '../../shared/db/users-repo.js';
import { changeContext, etag } from '../../shared/http/context.js';
import { implement, json, requireAuth, type OperationRequest } from '../../shared/http/operation.js';
import { moduleAccess } from '../records/record-access.js';
import { loadRunnableWizard } from './definitions.js';
import { wizardsRoutes } from './routes.js';
import type { WizardDraftView, WizardSessionView } from './schemas.js';
import { Invalid, Conflict, NotFound } from '../../shared/domain/errors.js';

/** An active session lives a day after its last step; a saved draft 30 days; a finished one a day (for replays). */
export const ACTIVE_TTL_SECONDS = 24 * 60 * 60;
export const DRAFT_TTL_SECONDS = 30 * 24 * 60 * 60;

interface SessionState {
  progress: WizardProgress;
  /** Chosen at start, so that finishing twice (a retry after a crash) cannot create two records. */
  recordId: string;
  /**
   * The module's fields that the wizard's screens show, as of the session's last save: a GET renders its
   * screen from them without reading the module (one round trip). Answers are always validated against
   * the module as it is now. Absent on sessions saved before it was kept (a GET then reads the module).
   */
  screenFields?: FieldDefinition[];
}
type Session = ScreenFlow<SessionState>;

interface Loaded {
  session: Session;
  wizard: WizardDefinition;
  /** The fields the screens are rendered (and answers validated) with. */
  module: Pick<ModuleMetadata, 'fields'>;
}

/** The module's fields on the wizard's screens (what rendering a screen needs), kept on each save. */
const screenFieldsOf = (wizard: WizardDefinition, module: Pick<ModuleMetadata, 'fields'>): FieldDefinition[] => {
  const shown = new Set(wizard.screens.flatMap((screen) => screen.fields.map((entry) => entry.field)));
  return module.fields.filter((field) => shown.has(field.name));
};

/** The session's next state: its progress, with the screen fields of the module as just read. */
const nextState = (loaded: Loaded, progress: WizardProgress): SessionState => ({ ...loaded.session.state, progress, screenFields: screenFieldsOf(loaded.wizard, loaded.module) });

/** The engine's refusals, as HTTP: another screen than the current one, nothing to go back to, screens left. */
const asHttp = <T>(run: () => T): T => {
  try {
    return run();
  } catch (error) {
    if (error instanceof ScreenNotCurrent || error instanceof NothingToGoBackTo || error instanceof ScreensRemain) throw new Conflict(error.message);
    throw error;
  }
};

const view = (loaded: Loaded, now: Date): WizardSessionView => {
  const { session, wizard, module } = loaded;
  return {
    sessionId: session.id,
    wizardId: session.definitionId,
    wizardVersion: session.definitionVersion,
    status: session.status,
    screen: session.status === 'finished' ? null : renderWizardScreen(wizard, module, session.state.progress, now),
    values: session.state.progress.values,
    canGoBack: session.status !== 'finished' && session.state.progress.trail.length > 0,
    expiresAt: new Date(session.expiresAt * 1000).toISOString(),
    ...(session.status === 'finished' ? { recordId: session.state.recordId } : {}),
  };
};

const respond = (status: number, loaded: Loaded, now: Date) => json(status, view(loaded, now), { ETag: etag(loaded.session.version) });

/** The caller's session (404 for anyone else's) with the wizard version it started on (read once per container). */
const loadOwnSession = async (req: OperationRequest, deps: AppDeps, sessionId: string): Promise<Omit<Loaded, 'module'>> => {
  const session = await requireOwnFlow<SessionState>(deps, 'wizard', sessionId, requireAuth(req).userId);
  const stored = await requireDefinitionVersion<WizardDefinition>(deps, 'wizard', session.definitionId, session.definitionVersion);
  return { session, wizard: stored.definition };
};

/** The caller's session with its wizard version and its module as it is now (what answers are validated against). */
const loadSession = async (req: OperationRequest, deps: AppDeps, sessionId: string): Promise<Loaded> => {
  const loaded = await loadOwnSession(req, deps, sessionId);
  const module = await getModule(deps, loaded.wizard.module);
  if (!module) throw new NotFound(`No wizard session ${sessionId}`);
  return { ...loaded, module };
};

/** The caller's session as its screen shows: the screen fields kept on the session (one round trip), else the module. */
const loadSessionView = async (req: OperationRequest, deps: AppDeps, sessionId: string): Promise<Loaded> => {
  const loaded = await loadOwnSession(req, deps, sessionId);
  const kept = loaded.session.state.screenFields;
  return kept ? { ...loaded, module: { fields: kept } } : loadSession(req, deps, sessionId);
};

const requireOpen = (session: Session): void => {
  if (session.status === 'finished') throw new Conflict('This session is finished: start a new one');
};

/**
 * Start a session.
 * 1. One batch: the caller, the wizard and its module; the caller sees the wizard and may create records
 *    of its module (else 404/403).
 * 2. A session on the wizard's current version starts on its first screen, owned by the caller, with the
 *    quote of the record-to-be, in one transaction.
 */
export const startSessionOperation = implement(wizardsRoutes.startSession, async (req, deps) => {
  const { principal, module, stored } = await loadRunnableWizard(req, deps, req.params.id);
  const now = deps.clock();
  const recordId = deps.newId();
  // The answers are the record-to-be's values: the session quotes it from the start, so erasing the record finds them.
  const session: Session = await saveFlow(
    deps,
    {
      kind: 'wizard',
      id: deps.newId(),
      userId: principal.userId,
      definitionId: stored.id,
      definitionVersion: stored.version,
      status: 'active',
      state: { progress: startProgress(stored.definition), recordId, screenFields: screenFieldsOf(stored.definition, module) },
      version: 1,
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
      expiresAt: Math.floor(now.getTime() / 1000) + ACTIVE_TTL_SECONDS,
    },
    [recordKeys.key(module.name, recordId).PK],
  );
  const loaded = { session, wizard: stored.definition, module };
  return { ...respond(201, loaded, deps.clock()), headers: { ETag: etag(session.version), Location: `/v1/wizard-sessions/${session.id}` } };
});

/**
 * My drafts: the caller's own sessions saved as drafts, newest first.
 * 1. One Query of the caller's drafts partition (nobody else's by construction; expired ones left out).
 * 2. Each draft named by its wizard version (read once per version on the page) and the screen it resumes on.
 */
export const listDraftsOperation = implement(wizardsRoutes.listDrafts, async (req, deps) => {
  const auth = requireAuth(req);
  // The caller must still be in the directory (a removed user's token lists nothing: 403, as everywhere).
  const [, page] = await Promise.all([loadPrincipal(deps, auth), listWizardDrafts<SessionState>(deps, auth.userId, req.query.limit, req.query.cursor)]);
  const versions = new Map<string, Promise<WizardDefinition>>();
  const definitionOf = (session: Session) => {
    const key = `${session.definitionId}@${session.definitionVersion}`;
    if (!versions.has(key)) versions.set(key, requireDefinitionVersion<WizardDefinition>(deps, 'wizard', session.definitionId, session.definitionVersion).then((d) => d.definition));
    return versions.get(key)!;
  };
  const items = await Promise.all(
    page.items.map(async (session): Promise<WizardDraftView> => {
      const wizard = await definitionOf(session);
      const screenTitle = wizard.screens.find((s) => s.id === session.state.progress.screenId)?.title;
      return {
        sessionId: session.id,
        wizardId: session.definitionId,
        wizardName: wizard.name,
        wizardVersion: session.definitionVersion,
        ...(screenTitle ? { screenTitle } : {}),
        answered: Object.keys(session.state.progress.values).length,
        updatedAt: session.updatedAt,
        expiresAt: new Date(session.expiresAt * 1000).toISOString(),
      };
    }),
  );
  return json(200, { items, ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) });
});

export const getSessionOperation = implement(wizardsRoutes.getSession, async (req, deps) => respond(200, await loadSessionView(req, deps, req.params.sessionId), deps.clock()));

/**
 * Answer the current screen.
 * 1. Only the current screen of an open session of the caller's (409 otherwise).
 * 2. Each value is validated as its field's type and the screen's rules (400 at `values.<id>`).
 * 3. The session moves to the next screen the rules do not skip (a draft becomes active again).
 */
export const submitScreenOperation = implement(wizardsRoutes.submitScreen, async (req, deps) => {
  const loaded = await loadSession(req, deps, req.params.sessionId);
  requireOpen(loaded.session);
  const outcome = asHttp(() => submitWizardScreen(loaded.wizard, loaded.module, loaded.session.state.progress, req.params.screenId, req.body.values, deps.defaultPhoneRegion, deps.clock()));
  if ('errors' in outcome) throw new Invalid('Invalid values on this screen', outcome.errors);
  const session = await saveFlow(deps, advanceFlow(deps, loaded.session, { state: nextState(loaded, outcome.progress), status: 'active', ttlSeconds: ACTIVE_TTL_SECONDS }));
  return respond(200, { ...loaded, session }, deps.clock());
});

/** Back to the screen answered last (409 on the first screen). */
export const backOperation = implement(wizardsRoutes.back, async (req, deps) => {
  const loaded = await loadSession(req, deps, req.params.sessionId);
  requireOpen(loaded.session);
  const progress = asHttp(() => wizardBack(loaded.session.state.progress));
  const session = await saveFlow(deps, advanceFlow(deps, loaded.session, { state: nextState(loaded, progress), status: 'active', ttlSeconds: ACTIVE_TTL_SECONDS }));
  return respond(200, { ...loaded, session }, deps.clock());
});

/** Keep the session as a draft, with what was typed on the current screen: it stays resumable (GET, then submit) for 30 days. */
export const saveDraftOperation = implement(wizardsRoutes.saveDraft, async (req, deps) => {
  const loaded = await loadSession(req, deps, req.params.sessionId);
  requireOpen(loaded.session);
  const drafted = draftWizardScreen(loaded.wizard, loaded.module, loaded.session.state.progress, req.body?.values ?? {}, deps.defaultPhoneRegion, deps.clock());
  if ('errors' in drafted) throw new Invalid('Invalid values on this screen', drafted.errors);
  const session = await saveFlow(deps, advanceFlow(deps, loaded.session, { state: nextState(loaded, drafted.progress), status: 'draft', ttlSeconds: DRAFT_TTL_SECONDS }));
  return respond(200, { ...loaded, session }, deps.clock());
});

/** The record this session already created (a finish retried after a crash between the two writes). */
const createdBySession = async (deps: AppDeps, module: ModuleMetadata, session: Session): Promise<RecordItem | undefined> => {
  const record = await getRecord(deps, module.name, session.state.recordId);
  return record && record.createdBy === session.userId ? record : undefined;
};

/**
 * Finish: create the record.
 * 1. The session (one read), then one batch: the caller, the module and its process state; every screen
 *    is answered (409 otherwise); the caller may still create records of the module.
 * 2. The answers are validated as a create by the records core (400 at `values.<field>`).
 * 3. One transaction: the record through the records core (history, events, lookups; via "wizard") with
 *    the id chosen at start, and the session marked finished (conditional on the version read). A finish
 *    that lost a race to another finish, or is retried, returns the same record instead of a second one.
 */
export const finishOperation = implement(wizardsRoutes.finish, async (req, deps) => {
  const loaded = await loadOwnSession(req, deps, req.params.sessionId);
  const { session } = loaded;
  const created = (record: RecordItem) => json(201, toRecordView(record), { ETag: etag(record.version), Location: `/v1/records/${record.module}/${record.id}` });
  const access = await moduleAccess(req, deps, loaded.wizard.module, 'create');
  const { module } = access;
  const existing = () => createdBySession(deps, module, session);
  if (session.status === 'finished') {
    const record = await existing();
    if (!record) throw new Conflict('This session is finished and its record is gone');
    return created(record);
  }
  const fields: FieldValues = asHttp(() => wizardRecordFields(loaded.wizard, session.state.progress, deps.clock()));
  const { values, errors } = validateFieldValues(module, fields, 'create', deps.defaultPhoneRegion);
  if (errors.length > 0) throw new Invalid('The answers do not make a valid record', errors.map((e) => ({ ...e, path: e.path.replace(/^fields\./, 'values.') })));
  const built = await buildCreateItems(deps, module, { id: session.state.recordId, ownerId: access.principal.userId, fields: values as FieldValues }, changeContext(req, deps, 'wizard'), access.processes ? { processes: access.processes } : {});
  const finished = advanceFlow(deps, session, { status: 'finished', ttlSeconds: ACTIVE_TTL_SECONDS });
  const flowAt = built.items.length;
  try {
    await transactWrite(deps, [...built.items, flowPut(deps, finished)]);
  } catch (error) {
    if (!(error instanceof ConditionFailed)) throw error;
    const recordTaken = error.failedIndexes.includes(0);
    const record = recordTaken ? await existing() : undefined;
    // Another finish of this session won (record and session both moved): its record is this one's answer.
    if (record && error.failedIndexes.includes(flowAt)) return created(record);
    // The record exists but the session was not marked (a finish before both were one transaction).
    if (record) {
      await saveFlow(deps, finished);
      return created(record);
    }
    if (error.failedIndexes.includes(flowAt)) throw flowMoved('wizard');
    throw built.failure(0, error.failedIndexes) ?? error;
  }
  businessMetric('RecordsCreated', 1, { module: module.name });
  businessMetric('WizardSessionsFinished', 1, { module: module.name });
  return created(built.item);
});
