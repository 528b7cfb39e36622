import type { AppDeps } from '../../shared/adapters/deps.js';
import { decideWorkflowRuleListAll, decideWorkflowRuleManage, isAdmin } from '../../shared/domain/access/index.js';
import { validateRule, type WorkflowRule, type WorkflowRuleDefinition } from '../../shared/domain/workflow/index.js';
import { listModules } from '../../shared/db/modules-repo.js';
import { getUsers, loadPrincipal } from '../../shared/db/users-repo.js';
import { deleteRule, getRule, listExecutions, listRules, requireRule, saveRule } from '../../shared/db/workflow-rules-repo.js';
import { changeContext, etag } from '../../shared/http/context.js';
import { parseIfMatch } from '../../shared/http/if-match.js';
import { implement, json, noContent, requireAuth, type OperationRequest } from '../../shared/http/operation.js';
import { loadModuleForCaller } from '../records/record-access.js';
import { automationRoutes } from './routes.js';
import { enforce } from '../../shared/domain/access/principal.js';
import { assertIfMatch } from '../../shared/domain/version-precondition.js';
import { Invalid, NotFound, Unprocessable } from '../../shared/domain/errors.js';

/**
 * The caller may manage rules on `moduleName` (org admin; the owning team's admin, read consistently
 * so a revocation holds at once). An unknown module is a 400 at `module` when `asInput`, else a 404.
 */
export const enforceManage = async (req: OperationRequest, deps: AppDeps, moduleName: string, asInput: boolean) => {
  try {
    const access = await loadModuleForCaller(req, deps, moduleName);
    enforce(decideWorkflowRuleManage(access.principal, access.module));
    return access;
  } catch (error) {
    if (asInput && error instanceof NotFound) throw new Invalid('Invalid workflow rule', [{ path: 'module', message: `No module ${moduleName}` }]);
    throw error;
  }
};

/** A stored rule (and its history entry) stays far below DynamoDB's 400 KB item limit. */
export const MAX_RULE_BYTES = 64_000;
/** Every event of a module evaluates its rules: a module holds at most this many. */
export const MAX_RULES_PER_MODULE = 100;

/**
 * Validates a definition against its module, the other modules (created records) and the directory
 * (named users). A caller who is not an org admin may create records only in modules they manage
 * (a team admin's rule cannot write into org modules they could not change themselves).
 */
export const validateDefinition = async (deps: AppDeps, def: WorkflowRuleDefinition, access: Awaited<ReturnType<typeof enforceManage>>) => {
  const { module, principal } = access;
  if (Buffer.byteLength(JSON.stringify(def)) > MAX_RULE_BYTES) throw new Invalid('Invalid workflow rule', [{ path: '', message: `A rule takes at most ${MAX_RULE_BYTES} bytes` }]);
  const modules = Object.fromEntries((await listModules(deps)).map((m) => [m.name, m]));
  const { issues, userRefs } = validateRule(def, module, modules, deps.defaultPhoneRegion);
  def.actions.forEach((action, i) => {
    const target = action.type === 'createRecord' ? modules[action.module] : undefined;
    if (target && !decideWorkflowRuleManage(principal, target).allowed) issues.push({ path: `actions.${i}.module`, message: `You may not have rules create ${target.name} records: you do not manage that module` });
  });
  if (userRefs.length > 0) {
    const found = await getUsers(deps, userRefs.map((r) => r.userId));
    for (const ref of userRefs) if (!found.has(ref.userId)) issues.push({ path: ref.path, message: `No user ${ref.userId}` });
  }
  if (issues.length > 0) throw new Invalid('Invalid workflow rule', issues);
};

/**
 * Define a workflow rule.
 * 1. The caller may manage rules on the module (403 otherwise; unknown module 400).
 * 2. Validate the definition against the module (fields, values, merge fields, actions, users, size): 400 with paths.
 * 3. At most MAX_RULES_PER_MODULE rules per module (422).
 * 4. One transaction: the rule (version 1) and its `workflow-rule.saved` history entry.
 */
export const createWorkflowRuleOperation = implement(automationRoutes.createWorkflowRule, async (req, deps) => {
  const access = await enforceManage(req, deps, req.body.module, true);
  await validateDefinition(deps, req.body, access);
  if ((await listRules(deps, MAX_RULES_PER_MODULE, undefined, req.body.module)).items.length >= MAX_RULES_PER_MODULE) {
    throw new Unprocessable(`${req.body.module} already has ${MAX_RULES_PER_MODULE} workflow rules`);
  }
  const now = deps.clock().toISOString();
  const rule: WorkflowRule = { ...req.body, id: deps.newId(), version: 1, createdBy: requireAuth(req).userId, createdAt: now, updatedAt: now };
  await saveRule(deps, rule, changeContext(req, deps));
  return json(201, rule, { ETag: etag(rule.version), Location: `/v1/workflow-rules/${rule.id}` });
});

/** A module's rules (who may manage them), or every rule (org admin). */
export const listWorkflowRulesOperation = implement(automationRoutes.listWorkflowRules, async (req, deps) => {
  if (req.query.module) await enforceManage(req, deps, req.query.module, true);
  else enforce(decideWorkflowRuleListAll(await loadPrincipal(deps, requireAuth(req))));
  return json(200, await listRules(deps, req.query.limit, req.query.cursor, req.query.module));
});

/** One rule: 404 if absent, 403 unless the caller may manage its module. */
export const getWorkflowRuleOperation = implement(automationRoutes.getWorkflowRule, async (req, deps) => {
  const rule = await requireRule(deps, req.params.id);
  await enforceManage(req, deps, rule.module, false);
  return json(200, rule, { ETag: etag(rule.version) });
});

/**
 * Replace a rule.
 * 1. Load it; the caller may manage its module and, if it moves, the new module.
 * 2. If-Match must match its version (412); validate the new definition (400).
 * 3. One conditional transaction: the next version and its history entry (a concurrent save: 412).
 */
export const updateWorkflowRuleOperation = implement(automationRoutes.updateWorkflowRule, async (req, deps) => {
  const ifMatch = parseIfMatch(req.headers['if-match']);
  const current = await requireRule(deps, req.params.id);
  await enforceManage(req, deps, current.module, false);
  const access = await enforceManage(req, deps, req.body.module, true);
  assertIfMatch(ifMatch, current.version);
  await validateDefinition(deps, req.body, access);
  const rule: WorkflowRule = { ...req.body, id: current.id, version: current.version + 1, createdBy: current.createdBy, createdAt: current.createdAt, updatedAt: deps.clock().toISOString() };
  await saveRule(deps, rule, changeContext(req, deps), current);
  return json(200, rule, { ETag: etag(rule.version) });
});

/** Delete a rule (If-Match honoured); its pending date timers wake and end quietly. */
export const deleteWorkflowRuleOperation = implement(automationRoutes.deleteWorkflowRule, async (req, deps) => {
  const ifMatch = parseIfMatch(req.headers['if-match']);
  const rule = await requireRule(deps, req.params.id);
  await enforceManage(req, deps, rule.module, false);
  assertIfMatch(ifMatch, rule.version);
  await deleteRule(deps, rule, changeContext(req, deps));
  return noContent();
});

/** A rule's execution log, newest first; a deleted rule's log stays readable for org admins. */
export const listWorkflowRuleExecutionsOperation = implement(automationRoutes.listWorkflowRuleExecutions, async (req, deps) => {
  const rule = await getRule(deps, req.params.id);
  if (rule) await enforceManage(req, deps, rule.module, false);
  else if (!isAdmin(await loadPrincipal(deps, requireAuth(req)))) throw new NotFound(`No workflow rule ${req.params.id}`);
  return json(200, await listExecutions(deps, req.params.id, req.query.limit, req.query.cursor));
});
