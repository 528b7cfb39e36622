/// <reference lib="dom" />
import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import { call } from '../api.js';
import { KINDS, draftOf, isDefinitionKind, moduleOf, nameOf, parseDraft, standingOf, type DefinitionView } from '../definition-kinds.js';
import { PageTitle, Pending } from '../parts.js';
import { href } from '../router.js';
import { mayTryDrafts, useLoad, useSession } from '../session.js';
import { ShadowRunPanel, triedDraft } from '../shadow-run.js';

const pretty = (value: unknown) => JSON.stringify(value, null, 2);

/**
 * One definition's draft, editable as JSON, with "Try it on the last 30 days": a shadow run of the draft
 * over the recorded past, its progress, then what it would have done beside what the live version did.
 * Nothing here saves the draft; the run's id is kept in the address, so a reload shows the same run.
 */
const Definition = ({ kind, id, run }: { kind: string | null; id: string; run: string }) => {
  const { token, me, modules } = useSession();
  const [view, error] = useLoad(async () => (isDefinitionKind(kind) ? call<DefinitionView>(token, 'GET', `/v1/${KINDS[kind].path}/${encodeURIComponent(id)}`) : Promise.reject(new Error('No such kind of definition'))), [kind, id]);
  const [text, setText] = useState('');
  useEffect(() => {
    // After a reload, the draft that was tried (if this tab tried it), else the saved one.
    if (view && isDefinitionKind(kind)) setText(pretty(triedDraft(run) ?? draftOf(kind, view)));
  }, [view]);
  const back: [string, string] = ['definitions', 'Processes'];
  if (!view || !isDefinitionKind(kind)) return html`<section><${PageTitle} title="Definition" back=${back} /><${Pending} error=${error} /></section>`;
  const parsed = parseDraft(text);
  const module = moduleOf(kind, view);
  const saved = pretty(draftOf(kind, view));
  return html`<section class="definition-page">
    <${PageTitle} title=${nameOf(kind, view)} back=${back}>
      <p class="subtitle">${KINDS[kind].label}${module ? ` on ${modules[module]?.label ?? module}` : ''} · ${standingOf(kind, view)}</p>
    </${PageTitle}>
    <div class="draft-grid">
      <div class="panel draft">
        <div class="field">
          <label for="draft-text">Draft (JSON)</label>
          <p class="note" id="draft-help">Change it here to try it; nothing is saved. Where a published version exists, the result sits beside what it did.</p>
          <textarea id="draft-text" name="draft" rows="18" spellcheck="false" aria-describedby="draft-help draft-error" aria-invalid=${'error' in parsed ? 'true' : 'false'} value=${text} onInput=${(e: Event) => setText((e.target as HTMLTextAreaElement).value)}></textarea>
          <p class="error" id="draft-error">${'error' in parsed ? parsed.error : ''}</p>
        </div>
        <div class="buttons start"><button name="reset-draft" disabled=${text === saved} onClick=${() => setText(saved)}>Back to the saved draft</button></div>
      </div>
      ${mayTryDrafts(me)
        ? html`<${ShadowRunPanel} kind=${kind} definitionId=${id} draft=${'draft' in parsed ? parsed.draft : null} runId=${run}
            onRun=${(run: string) => history.replaceState(null, '', href('definition', { kind, id, run }))} />`
        : html`<p class="note panel">Only org admins (and team admins, for their team modules) may try a draft on the recorded past.</p>`}
    </div>
  </section>`;
};

/** A new address (another definition, or a run reached by Back) starts afresh: nothing of the last one is kept. */
export const DefinitionPage = ({ query }: { query: URLSearchParams }) => {
  const kind = query.get('kind');
  const id = query.get('id') ?? '';
  const run = query.get('run') ?? '';
  return html`<${Definition} key=${`${kind}/${id}/${run}`} kind=${kind} id=${id} run=${run} />`;
};
