/// <reference lib="dom" />
import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import type { ShadowRunView } from '../../shadow/schemas.js';
import { ApiError, call } from './api.js';
import { parseDraft, type DefinitionKind } from './definition-kinds.js';
import { formatDateTime } from './format.js';
import { ShadowResultView } from './shadow-result.js';
import { TRY_DAYS, isFinished, nextPollDelay, progressOf } from './shadow-view.js';
import { useSession } from './session.js';

/** The draft a run tried, kept for the tab's life: a reload shows it again, and a journey's picture is drawn from its states. */
const TRIED_KEY = (runId: string) => `keiro.console.shadow.${runId}`;
export const triedDraft = (runId: string): Record<string, unknown> | null => {
  const kept = runId ? sessionStorage.getItem(TRIED_KEY(runId)) : null;
  const parsed = kept ? parseDraft(kept) : null;
  // Anything else in the tab's storage under that name (edited by hand, another version's) is ignored.
  return parsed && 'draft' in parsed ? parsed.draft : null;
};

/** A refusal as the server wrote it: its detail, and each field path at fault with its message. */
export const ProblemDetail = ({ error }: { error: unknown }) => {
  if (!error) return null;
  const problem = error instanceof ApiError ? error.problem : undefined;
  return html`<div class="error problem" role="alert">
    <p>${problem ? (problem.detail ?? problem.title ?? `HTTP ${problem.status}`) : String((error as Error).message ?? error)}</p>
    ${problem?.errors?.length ? html`<ul>${problem.errors.map((e) => html`<li><code>${e.path}</code>: ${e.message}</li>`)}</ul>` : null}
  </div>`;
};

/** Follows a run until it is done or failed, asking again with backoff; stops when the page goes. */
const useShadowRun = (runId: string): { run: ShadowRunView | null; error: unknown } => {
  const { token } = useSession();
  const [run, setRun] = useState<ShadowRunView | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    setRun(null);
    setError(null);
    if (!runId) return;
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const look = async (attempt: number) => {
      try {
        const seen = await call<ShadowRunView>(token, 'GET', `/v1/shadow-runs/${encodeURIComponent(runId)}`);
        if (!live) return;
        setRun(seen);
        if (!isFinished(seen)) timer = setTimeout(() => void look(attempt + 1), nextPollDelay(attempt));
      } catch (e) {
        if (live) setError(e);
      }
    };
    void look(0);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [runId]);
  return { run, error };
};

/**
 * "Try it on the last 30 days": starts a shadow run of the draft (POST /v1/shadow-runs), follows its
 * progress, then shows what the draft would have done. A refusal shows the problem's detail and paths.
 */
export const ShadowRunPanel = ({ kind, definitionId, draft, runId: initialRun, onRun }: { kind: DefinitionKind; definitionId: string; draft: Record<string, unknown> | null; runId: string; onRun: (runId: string) => void }) => {
  const { token } = useSession();
  const [runId, setRunId] = useState(initialRun);
  const [busy, setBusy] = useState(false);
  const [refused, setRefused] = useState<unknown>(null);
  const { run, error } = useShadowRun(runId);
  const start = async () => {
    if (!draft) return;
    setBusy(true);
    setRefused(null);
    try {
      const started = await call<ShadowRunView>(token, 'POST', '/v1/shadow-runs', { kind, draft, definitionId, window: { days: TRY_DAYS } });
      sessionStorage.setItem(TRIED_KEY(started.id), JSON.stringify(draft));
      setRunId(started.id);
      onRun(started.id);
    } catch (e) {
      setRefused(e);
    } finally {
      setBusy(false);
    }
  };
  const tried = triedDraft(runId);
  const progress = run ? progressOf(run) : null;
  const running = !!run && !isFinished(run);
  return html`<section class="shadow" aria-labelledby="shadow-title" data-run=${runId || undefined} data-status=${run?.status}>
    <h2 id="shadow-title">Try it on the recorded past</h2>
    <p class="note">Replays the last ${TRY_DAYS} days of record changes through the draft: it writes nothing, sends nothing, and shows what it would have done.</p>
    <div class="buttons start">
      <button name="try-shadow" class="primary" disabled=${busy || running || !draft} onClick=${() => void start()}>Try it on the last ${TRY_DAYS} days</button>
    </div>
    <${ProblemDetail} error=${refused ?? error} />
    <div role="status" class="shadow-progress">
      ${progress
        ? html`<p>${progress.text}${run ? html` <span class="note">· ${formatDateTime(run.window.from)} to ${formatDateTime(run.window.to)}</span>` : null}</p>
            ${running ? html`<progress max="1" value=${progress.fraction ?? undefined} aria-label="Shadow run progress"></progress>` : null}`
        : runId && !error ? html`<p class="note">Loading the run…</p>` : null}
    </div>
    ${run?.status === 'failed' && run.error ? html`<div class="error problem" role="alert"><p>${run.error.title}: ${run.error.detail}</p></div>` : null}
    ${run?.status === 'done' && run.result ? html`<${ShadowResultView} run=${run} result=${run.result} definition=${tried ?? draft} />` : null}
  </section>`;
};
