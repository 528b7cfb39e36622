import type { z } from 'zod';
import type { AppDeps } from '../../shared/adapters/deps.js';
import { validateActions, type Action } from '../../shared/domain/actions/index.js';
import type { ApprovalProcessDefinition } from '../../shared/domain/approval/definition.js';
import { validateBlueprint, type BlueprintDefinition } from '../../shared/domain/blueprint/index.js';
import { validateCriteria } from '../../shared/domain/criteria/index.js';
import { validateParticipants, type Participant } from '../../shared/domain/process/participants.js';
import type { ModuleMetadata } from '../../shared/domain/records/module-definition.js';
import type { ReviewProcessDefinition } from '../../shared/domain/review/definition.js';
import { getModule } from '../../shared/db/modules-repo.js';
import { getModuleProcesses, moduleProcessesPut, type ModuleProcesses } from '../../shared/db/module-processes-repo.js';
import { existingUserIds } from '../../shared/db/people.js';
import { listDefinitions, requireDefinition, saveDefinition, type DefinitionHead, type ProcessKind } from '../../shared/db/process-definitions-repo.js';
import { getTeamSpaces } from '../../shared/db/teams-repo.js';
import { changeContext, etag } from '../../shared/http/context.js';
import { parseIfMatch } from '../../shared/http/if-match.js';
import { implement, json, type Operation } from '../../shared/http/operation.js';
import type { RouteSpec } from '../../shared/http/route-spec.js';
import { manageAccess, readAccess, readAsMember, visibleModules } from './process-access.js';
import { assertIfMatch } from '../../shared/domain/version-precondition.js';
import { Invalid, type FieldError } from '../../shared/domain/errors.js';

/** Named users and team spaces that exist, for "approvers resolve" at save. */
export const knownPeople = async (deps: AppDeps, who: readonly Participant[]) => {
  const userIds = [...new Set(who.flatMap((p) => (p.kind === 'user' ? [p.userId] : [])))];
  const teamIds = [...new Set(who.flatMap((p) => (p.kind === 'teamRole' ? [p.teamId] : [])))];
  const [users, teams] = await Promise.all([existingUserIds(deps, userIds), getTeamSpaces(deps, teamIds)]);
  return { userIds: users, teamIds: new Set(teams.map((t) => t.id)) };
};

/**
 * The actions of a definition, validated by the action library against the module (and the modules
 * createRecord actions target); users they name must exist.
 */
const validateActionLists = async (deps: AppDeps, module: ModuleMetadata, lists: ReadonlyArray<{ actions: readonly Action[]; prefix: string }>): Promise<FieldError[]> => {
  // createRecord targets its module; createTask creates a record of Tasks.
  const targets = [...new Set(lists.flatMap((l) => l.actions.flatMap((a) => (a.type === 'createRecord' ? [a.module] : a.type === 'createTask' ? ['Tasks'] : []))))];
  const modules = Object.fromEntries((await Promise.all(targets.map((n) => getModule(deps, n)))).flatMap((m) => (m ? [[m.name, m]] : [])));
  const results = lists.map((l) => validateActions(l.actions, module, modules, { prefix: l.prefix, phoneRegion: deps.defaultPhoneRegion }));
  const refs = results.flatMap((r) => r.userRefs);
  const existing = await existingUserIds(deps, refs.map((r) => r.userId));
  return [...results.flatMap((r) => r.issues), ...refs.filter((r) => !existing.has(r.userId)).map((r) => ({ path: r.path, message: `No user ${r.userId}` }))];
};

const fieldsExist = (names: readonly string[], module: ModuleMetadata, path: string): FieldError[] =>
  names.flatMap((n, i) => (module.fields.some((f) => f.name === n) ? [] : [{ path: `${path}.${i}`, message: `No field ${n} in ${module.name}` }]));

/** How one kind of definition is validated and what saving/publishing it changes in the module's process state. */
export interface KindSpec<D extends { name: string; module: string }> {
  kind: ProcessKind;
  /** Approval and review processes act from the next write: every save publishes. Blueprints publish explicitly. */
  publishOnSave: boolean;
  validate: (deps: AppDeps, def: D, module: ModuleMetadata, procs: ModuleProcesses) => Promise<FieldError[]>;
  activate: (procs: ModuleProcesses, id: string, version: number, def: D) => Omit<ModuleProcesses, 'revision' | 'module'>;
}

export const blueprintSpec: KindSpec<BlueprintDefinition> = {
  kind: 'blueprint',
  publishOnSave: false,
  validate: async (deps, def, module) => [
    ...validateBlueprint(def, module, await knownPeople(deps, def.transitions.flatMap((t) => t.before.who))),
    ...(await validateActionLists(deps, module, def.transitions.map((t, i) => ({ actions: t.after, prefix: `transitions.${i}.after` })))),
  ],
  activate: (procs, id, version, def) => ({
    ...procs,
    blueprint: { blueprintId: id, name: def.name, field: def.field, version, entryCriteria: def.entryCriteria, initialState: def.initialState, states: def.states },
  }),
};

export const approvalSpec: KindSpec<ApprovalProcessDefinition> = {
  kind: 'approval-process',
  publishOnSave: true,
  validate: async (deps, def, module, procs) => {
    const known = await knownPeople(deps, def.levels.flatMap((l) => l.approvers));
    return [
      ...validateCriteria(def.criteria, module.fields, 'criteria', module.name),
      ...fieldsExist(def.triggers.onEdit?.fields ?? [], module, 'triggers.onEdit.fields'),
      ...fieldsExist(def.editableFields, module, 'editableFields'),
      ...def.levels.flatMap((l, i) => validateParticipants(l.approvers, `levels.${i}.approvers`, known)),
      ...(def.sendBackTo !== undefined && !procs.blueprint?.states.includes(def.sendBackTo)
        ? [{ path: 'sendBackTo', message: `Not a state of ${module.name}'s published blueprint` }]
        : []),
      ...(!def.triggers.onCreate && !def.triggers.onEdit && !def.triggers.manual ? [{ path: 'triggers', message: 'Choose at least one of onCreate, onEdit, manual' }] : []),
      ...(await validateActionLists(deps, module, [
        { actions: def.onApprove, prefix: 'onApprove' },
        { actions: def.onReject, prefix: 'onReject' },
      ])),
    ];
  },
  activate: (procs, id, version, def) => ({ ...procs, approvals: [...procs.approvals.filter((p) => p.processId !== id), ...(def.active ? [{ processId: id, version, def }] : [])] }),
};

export const reviewSpec: KindSpec<ReviewProcessDefinition> = {
  kind: 'review-process',
  publishOnSave: true,
  validate: async (deps, def, module) => {
    const known = await knownPeople(deps, def.reviewers);
    return [
      ...validateCriteria(def.criteria, module.fields, 'criteria', module.name),
      ...fieldsExist(def.triggers.onEdit?.fields ?? [], module, 'triggers.onEdit.fields'),
      ...fieldsExist(def.fields, module, 'fields'),
      ...validateParticipants(def.reviewers, 'reviewers', known),
      ...(!def.triggers.onCreate && !def.triggers.onEdit ? [{ path: 'triggers', message: 'Choose onCreate and/or onEdit' }] : []),
    ];
  },
  activate: (procs, id, version, def) => ({ ...procs, reviews: [...procs.reviews.filter((p) => p.processId !== id), ...(def.active ? [{ processId: id, version, def }] : [])] }),
};

export const definitionView = <D>(head: DefinitionHead<D>) => ({
  id: head.id,
  module: head.module,
  name: head.name,
  draft: head.draft,
  revision: head.revision,
  publishedVersion: head.publishedVersion,
  createdAt: head.createdAt,
  updatedAt: head.updatedAt,
  createdBy: head.createdBy,
  updatedBy: head.updatedBy,
});

const location = (kind: ProcessKind, id: string) => `/v1/${kind === 'blueprint' ? 'blueprints' : `${kind}es`}/${id}`;

/**
 * Saves a validated definition; with `publish`, the next version and the module's process state in
 * the same transaction (conditional on both: a concurrent publish is a 412, nothing half-written).
 */
export const saveValidated = async <D extends { name: string; module: string }>(
  deps: AppDeps,
  spec: KindSpec<D>,
  module: ModuleMetadata,
  current: DefinitionHead<D> | undefined,
  id: string,
  def: D,
  publish: boolean,
  ctx: ReturnType<typeof changeContext>,
): Promise<DefinitionHead<D>> => {
  const procs = await getModuleProcesses(deps, module.name);
  const errors = await spec.validate(deps, def, module, procs);
  if (errors.length > 0) throw new Invalid(`Invalid ${spec.kind}`, errors);
  return saveDefinition(deps, spec.kind, current, {
    id,
    draft: def,
    ...(publish ? { publish: { extraItems: (version: number) => [moduleProcessesPut(deps, procs, spec.activate(procs, id, version, def))] } } : {}),
  }, ctx);
};

/**
 * The four definition routes of one kind.
 * create: 1. may manage the module (403/404) 2. validate against the module (400) 3. save (and publish for processes).
 * list: the heads of the kind, filtered to modules the caller may see. get: the same rule for one.
 * update: 1. head (404) 2. If-Match on the revision (412) 3. module unchanged (400) 4. may manage 5. validate and save.
 */
export const definitionOperations = <D extends { name: string; module: string }>(
  spec: KindSpec<D>,
  routes: { create: RouteSpec; list: RouteSpec; get: RouteSpec; update: RouteSpec },
): Operation[] => [
  implement(routes.create as RouteSpec<z.ZodType, z.ZodType, z.ZodType<D>>, async (req, deps) => {
    const { module } = await manageAccess(req, deps, req.body.module);
    const id = deps.newId();
    const head = await saveValidated(deps, spec, module, undefined, id, req.body, spec.publishOnSave, changeContext(req, deps));
    return json(201, definitionView(head), { ETag: etag(head.revision), Location: location(spec.kind, id) });
  }),
  implement(routes.list as RouteSpec<z.ZodType, z.ZodType<{ limit: number; cursor?: string; module?: string }>>, async (req, deps) => {
    const page = await listDefinitions<D>(deps, spec.kind, req.query.limit, req.query.cursor);
    const visible = await visibleModules(req, deps, page.items.map((i) => i.module));
    const items = page.items.filter((i) => visible.has(i.module) && (!req.query.module || i.module === req.query.module)).map(definitionView);
    return json(200, { items, ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) });
  }),
  implement(routes.get as RouteSpec<z.ZodType<{ id: string }>>, async (req, deps) => {
    const head = await readAsMember(req, deps, requireDefinition<D>(deps, spec.kind, req.params.id));
    await readAccess(req, deps, head.module);
    return json(200, definitionView(head), { ETag: etag(head.revision) });
  }),
  implement(routes.update as RouteSpec<z.ZodType<{ id: string }>, z.ZodType, z.ZodType<D>>, async (req, deps) => {
    const ifMatch = parseIfMatch(req.headers['if-match']);
    const head = await readAsMember(req, deps, requireDefinition<D>(deps, spec.kind, req.params.id));
    const { module } = await manageAccess(req, deps, head.module);
    assertIfMatch(ifMatch, head.revision);
    if (req.body.module !== head.module) throw new Invalid(`A ${spec.kind} stays on its module`, [{ path: 'module', message: `Must be ${head.module}` }]);
    const saved = await saveValidated(deps, spec, module, head, head.id, req.body, spec.publishOnSave, changeContext(req, deps));
    return json(200, definitionView(saved), { ETag: etag(saved.revision) });
  }),
];
