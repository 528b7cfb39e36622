import { retryProcessRace } from '../../shared/db/lost-race.js';
import { businessMetric } from '../../shared/adapters/metrics.js';
import type { AppDeps } from '../../shared/adapters/deps.js';
import { decideApproval, delegateApproval, recallApproval, type ApprovalState } from '../../shared/domain/approval/engine.js';
import type { ApprovalProcessDefinition } from '../../shared/domain/approval/definition.js';
import { criteriaHold } from '../../shared/domain/criteria/index.js';
import { approvalFromItem, approvalWrites, getApproval, listApprovalInbox, listRecordApprovals, processHistoryPut, toApprovalView, writeProcessItems, type ApprovalItem } from '../../shared/db/approvals-repo.js';
import type { ChangeContext } from '../../shared/db/history.js';
import { getModuleProcesses } from '../../shared/db/module-processes-repo.js';
import { getDefinitionVersion } from '../../shared/db/process-definitions-repo.js';
import { planApprovalStart } from '../../shared/db/record-processes.js';
import { requireRecord, toRecordView, updateRecord } from '../../shared/db/records-repo.js';
import { approvalKeys, userKeys } from '../../shared/db/keys.js';
import { loadNamedItemAccess } from '../../shared/db/access-context.js';
import { assertInDirectory } from '../../shared/db/users-repo.js';
import { decideModuleRead } from '../../shared/domain/access/index.js';
import { enforce } from '../../shared/domain/access/principal.js';
import { changeContext } from '../../shared/http/context.js';
import { implement, json, requireAuth } from '../../shared/http/operation.js';
import { enforceOnRecord, moduleAccess } from '../records/record-access.js';
import { approvalSpec, definitionOperations } from './definitions.js';
import { inboxOwner, notFoundUnless, recordProcessAccess } from './process-access.js';
import { findAsMember } from '../records/record-access.js';
import { processesRoutes } from './routes.js';
import { Invalid, Locked, NotFound, Unprocessable } from '../../shared/domain/errors.js';
import { orThrow } from '../../shared/domain/process/errors.js';

export const approvalProcessOperations = definitionOperations(approvalSpec, {
  create: processesRoutes.createApprovalProcess,
  list: processesRoutes.listApprovalProcesses,
  get: processesRoutes.getApprovalProcess,
  update: processesRoutes.updateApprovalProcess,
});

/**
 * The inbox: pending approvals the assignee may decide now (another user's: org admins only), in one
 * Query. The caller must be in the directory, and a page with inbox items already shows it: only
 * directory users are ever given an approval (approvers are resolved from the directory, a delegate must
 * be in it) and no route removes a user from it. So the directory is read only for an empty page (a
 * second round trip), and never for an org admin, whom the token admits.
 */
export const listApprovalsOperation = implement(processesRoutes.listApprovals, async (req, deps) => {
  const auth = requireAuth(req);
  const page = await listApprovalInbox(deps, inboxOwner(req, req.query.assignee), req.query.limit, req.query.cursor);
  if (!page.held && !auth.isOrgAdmin) await assertInDirectory(deps, auth);
  return json(200, { items: page.items.map(toApprovalView), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) });
});

/**
 * An approval: whoever may read its module. One round trip for an org module (the approval and the
 * caller in one BatchGetItem: loadNamedItemAccess); a team module's also reads the caller's grants in it.
 */
export const getApprovalOperation = implement(processesRoutes.getApproval, async (req, deps) => {
  const { item, principal, module } = await loadNamedItemAccess(deps, requireAuth(req), approvalKeys.key(req.params.id), (a) => String(a.module));
  if (!item) throw new NotFound(`No approval ${req.params.id}`);
  const approval = approvalFromItem(item);
  enforce(decideModuleRead(principal, notFoundUnless(module, `No module ${approval.module}`)), `No module ${approval.module}`);
  return json(200, toApprovalView(approval));
});

/** A record's approval runs (its approval history), oldest first. */
export const recordApprovalsOperation = implement(processesRoutes.recordApprovals, async (req, deps) => {
  const access = await moduleAccess(req, deps, req.params.module, 'read');
  await enforceOnRecord(deps, access, 'read', await requireRecord(deps, access.module.name, req.params.id));
  return json(200, { items: (await listRecordApprovals(deps, access.module.name, req.params.id)).map(toApprovalView) });
});

/** An approval with what deciding it needs: the caller, its module, record and process state (recordProcessAccess). */
type ApprovalContext = Awaited<ReturnType<typeof recordProcessAccess>> & { before: ApprovalItem };

const approvalData = (a: ApprovalState) => ({ module: a.module, recordId: a.recordId, approvalId: a.id, processId: a.processId, processName: a.processName, level: a.level, submittedBy: a.submittedBy });

/**
 * Ends an approval (approved, rejected, recalled): one write through the records core as the lock
 * holder — the lock released, on a configured rejection the blueprint sent back a step, the approval
 * and its inbox items, and the approval.decided/recalled history entry (the submitter is told from it,
 * and the process's actions run from it).
 */
const finish = async (deps: AppDeps, loaded: ApprovalContext, after: ApprovalState, ctx: ChangeContext, now: string, event: 'approval.decided' | 'approval.recalled', extra: Record<string, unknown>) => {
  const { before, module, processes: procs, record } = loaded;
  const proc = after.status === 'rejected' ? await getDefinitionVersion<ApprovalProcessDefinition>(deps, 'approval-process', before.processId, before.processVersion) : undefined;
  const sendBackTo = proc?.def.sendBackTo;
  const bp = procs.blueprint;
  const sendBack = sendBackTo && bp ? { blueprintId: bp.blueprintId } : undefined;
  const last = after.history[after.history.length - 1];
  return updateRecord(deps, module, before.recordId, { fields: {} }, ctx, {
    processes: procs,
    ...(record ? { current: record } : {}),
    channel: { kind: 'lock-holder', lockId: before.id, ...(sendBack ? { sendBack } : {}) },
    plan: (current) => {
      const back = sendBackTo !== undefined && bp !== undefined && current.blueprint?.blueprintId === bp.blueprintId && current.fields[bp.field] !== sendBackTo;
      return {
        fields: back ? { [bp.field]: sendBackTo } : {},
        lock: null,
        ...(back && current.blueprint ? { blueprint: { ...current.blueprint, enteredAt: now, parallelDone: [], token: deps.newId() } } : {}),
        items: approvalWrites(deps, before, after),
      };
    },
    extraItems: (_current, next) => [
      processHistoryPut(deps, next.module, next.id, event, { ...approvalData(after), ...extra, ...(event === 'approval.decided' ? { record: toRecordView(next) } : {}) }, ctx, now, {
        summary: `${event === 'approval.recalled' ? 'Recalled' : after.status === 'approved' ? 'Approved' : 'Rejected'} "${after.processName}"${last?.comment ? `: ${last.comment}` : ''}`,
      }),
    ],
  });
};

/**
 * approve | reject | delegate | recall.
 * 1. The approval (404); in one more round trip (recordProcessAccess) the caller (may read its module,
 *    else 404), the record, its process state and, to delegate, the delegate's directory entry.
 * 2. The engine decides who may (approvers of the current level, an org admin for them, the submitter
 *    to recall): 403; a decided approval is a 409; a rejection without a comment 422; delegation needs
 *    an existing `toUserId` (400).
 * 3. Not final (an `everyone` level still open, a delegation, the next level): the approval items only,
 *    conditional on its revision (a concurrent decision is a 409), and approval.requested for new approvers.
 *    Final: `finish` (unlock, send back, history, in one transaction).
 */
export const actOnApprovalOperation = implement(processesRoutes.actOnApproval, (req, deps) =>
  // A lost race on the approval or review (another decision, an SLA wake) runs the command again on what won.
  retryProcessRace(async () => {
    const before = await findAsMember(req, deps, getApproval(deps, req.params.id), `No approval ${req.params.id}`);
    const delegateTo = req.params.action === 'delegate' ? req.body.toUserId : undefined;
    const loaded = { before, ...(await recordProcessAccess(req, deps, before.module, before.recordId, delegateTo ? [userKeys.key(delegateTo)] : [])) };
    const access = loaded;
    const actor = { userId: access.principal.userId, isOrgAdmin: access.principal.isOrgAdmin };
    const now = deps.clock().toISOString();
    const ctx = changeContext(req, deps, 'approval', req.body.comment?.trim() || undefined);
    const comment = req.body.comment;
    if (req.params.action === 'recall') {
      const after = orThrow(recallApproval(before, actor, comment, now, deps.newId()));
      await finish(deps, loaded, after, ctx, now, 'approval.recalled', { recalledBy: actor.userId, ...(comment ? { comment } : {}) });
      return json(200, toApprovalView({ ...after, revision: before.revision + 1 }));
    }
    if (req.params.action === 'delegate') {
      if (!req.body.toUserId) throw new Invalid('Name who takes over', [{ path: 'toUserId', message: 'Required to delegate' }]);
      if (loaded.extra.length === 0) throw new Invalid('No such user', [{ path: 'toUserId', message: `No user ${req.body.toUserId}` }]);
      const after = orThrow(delegateApproval(before, actor, req.body.toUserId, comment, now, deps.newId()));
      await writeProcessItems(deps, [
        ...approvalWrites(deps, before, after),
        processHistoryPut(deps, after.module, after.recordId, 'approval.requested', { ...approvalData(after), approverIds: [req.body.toUserId] }, ctx, now, { summary: `Approval "${after.processName}" delegated to ${req.body.toUserId}` }),
      ]);
      return json(200, toApprovalView({ ...after, revision: before.revision + 1 }));
    }
    const decision = orThrow(decideApproval(before, actor, req.params.action, comment, now, deps.newId()));
    const after = decision.approval;
    if (decision.final) {
      const last = after.history[after.history.length - 1];
      await finish(deps, loaded, after, ctx, now, 'approval.decided', { status: after.status, decidedBy: actor.userId, ...(last?.onBehalfOf ? { onBehalfOf: last.onBehalfOf } : {}), ...(comment?.trim() ? { comment: comment.trim() } : {}) });
      businessMetric('ApprovalsDecided', 1, { module: after.module, status: after.status });
    } else {
      await writeProcessItems(deps, [
        ...approvalWrites(deps, before, after),
        ...(decision.advanced ? [processHistoryPut(deps, after.module, after.recordId, 'approval.requested', { ...approvalData(after), approverIds: after.approverIds }, ctx, now, { summary: `Approval "${after.processName}" moved to level ${after.level}` })] : []),
      ]);
    }
    return json(200, toApprovalView({ ...after, revision: before.revision + 1 }));
  }),
);

/**
 * Submit a record for approval by hand, or resubmit it after a rejection or recall.
 * 1. The caller may update the record (403/404).
 * 2. The process: the one named, else the first active one that takes manual submissions — or the
 *    process whose last run on this record was rejected or recalled (resubmission). None: 422.
 * 3. Its criteria must hold (422).
 * 4. One write through the records core: the lock (a locked record is a 423), the approval, its inbox
 *    items and approval.requested.
 */
export const submitForApprovalOperation = implement(processesRoutes.submitForApproval, async (req, deps) => {
  const access = await moduleAccess(req, deps, req.params.module, 'update');
  const [procs, runs] = await Promise.all([getModuleProcesses(deps, access.module.name), listRecordApprovals(deps, access.module.name, req.params.id)]);
  const last = runs[runs.length - 1];
  const resubmittable = last && (last.status === 'rejected' || last.status === 'recalled') ? last.processId : undefined;
  const proc = procs.approvals.find((p) => p.def.active && (req.body.processId ? p.processId === req.body.processId : true) && (p.def.triggers.manual || p.processId === resubmittable));
  if (!proc) throw new Unprocessable('No approval process takes this record by hand (manual submission, or a resubmission after a rejection)', [{ path: 'processId', message: 'No such active process for this record' }]);
  const ctx = changeContext(req, deps, 'approval', req.body.comment?.trim() || undefined);
  let started: ApprovalState | undefined;
  await updateRecord(deps, access.module, req.params.id, { fields: {} }, ctx, {
    check: (current) => enforceOnRecord(deps, access, 'update', current),
    plan: async (current) => {
      if (current.lock) return { fields: {} };
      if (!criteriaHold(proc.def.criteria, current.fields, deps.clock())) throw new Unprocessable(`The record does not meet the criteria of "${proc.def.name}"`);
      const start = await planApprovalStart(deps, proc, current, ctx, deps.clock().toISOString());
      started = start.approval;
      return { fields: {}, lock: start.lock, items: start.items };
    },
  });
  if (!started) {
    const current = await requireRecord(deps, access.module.name, req.params.id);
    throw new Locked(`This record is locked by a pending ${current.lock?.reason ?? 'process'}`);
  }
  return json(201, toApprovalView({ ...started, revision: 1 }));
});
