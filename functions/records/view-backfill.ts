import type { AppDeps } from '../../shared/adapters/deps.js';
import { getModule } from '../../shared/db/modules-repo.js';
import { viewGeneration } from '../../shared/db/record-view-items.js';
import { countRecordInViews, getRecordForBackfill, recordsOldestFirst, saveBackfill, startBackfill, type ViewBackfillItem } from '../../shared/db/view-backfill-repo.js';

export interface BackfillRunOptions {
  /** Pages this run may read before it hands over (the caller then continues it). */
  maxPages?: number;
  pageSize?: number;
  /** Called before each record is counted (tests use it to crash mid-page). */
  beforeRecord?: (recordId: string) => void;
}

export interface BackfillRun {
  /** Absent when the module has nothing to backfill (never changed, or gone). */
  progress?: ViewBackfillItem;
  /** True when this run spent its budget and the backfill must go on from its saved cursor. */
  more: boolean;
}

/**
 * Backfills the views (kanban counters and group items, chart sums) of a module's current definition
 * for the records written before it. Resumable, idempotent and safe to run twice at once.
 * 1. Read the module consistently: its definition version is the view generation to fill (the first
 *    generation needs no backfill: every record was counted by its own writes).
 * 2. Find or create the generation's progress item (status, processed, scanned, cursor).
 * 3. Page the module's records oldest change first from the saved cursor. Each record not yet counted in
 *    the generation is counted in its own transaction that stamps it (countRecordInViews), so a crash
 *    anywhere, a re-run or a concurrent run never counts it twice; a record written meanwhile was counted
 *    by that write, and moved to the end of the list, where this pass finds it stamped.
 * 4. After each page save the cursor (compare-and-set: a second run of the same backfill stops).
 *    A newer definition supersedes this generation: stop; its own backfill takes over.
 * 5. When the last page is done, the status is `done`. A run that spent `maxPages` returns `more`.
 */
export const runViewBackfill = async (deps: AppDeps, moduleName: string, options: BackfillRunOptions = {}): Promise<BackfillRun> => {
  const module = await getModule(deps, moduleName, true);
  if (!module || viewGeneration(module) <= 1) return { more: false };
  let progress = await startBackfill(deps, module.name, viewGeneration(module));
  for (let page = 0; progress.status === 'running'; page++) {
    if (page >= (options.maxPages ?? Number.POSITIVE_INFINITY)) return { progress, more: true };
    const latest = await getModule(deps, moduleName, true);
    if (!latest || viewGeneration(latest) !== progress.generation) {
      const saved = await saveBackfill(deps, progress, { status: 'superseded', processed: progress.processed, scanned: progress.scanned });
      return { ...(saved ? { progress: saved } : {}), more: false };
    }
    const records = await recordsOldestFirst(deps, module.name, options.pageSize ?? 100, progress.cursor);
    let counted = 0;
    for (const listed of records.items) {
      options.beforeRecord?.(listed.id);
      const record = await getRecordForBackfill(deps, module.name, listed);
      if (record && (await countRecordInViews(deps, module, record))) counted++;
    }
    const saved = await saveBackfill(deps, progress, {
      status: records.nextCursor ? 'running' : 'done',
      processed: progress.processed + counted,
      scanned: progress.scanned + records.items.length,
      ...(records.nextCursor ? { cursor: records.nextCursor } : {}),
    });
    if (!saved) return { progress, more: false };
    progress = saved;
  }
  return { progress, more: false };
};
