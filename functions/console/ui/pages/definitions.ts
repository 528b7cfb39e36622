/// <reference lib="dom" />
import { html } from 'htm/preact';
import { call } from '../api.js';
import { DEFINITION_KINDS, KINDS, moduleOf, nameOf, standingOf, type DefinitionKind, type DefinitionView } from '../definition-kinds.js';
import { Empty, PageTitle, Pending } from '../parts.js';
import { href } from '../router.js';
import { useLoad, useSession } from '../session.js';

/**
 * Processes: every blueprint, workflow rule, approval process, cadence and journey the user may read,
 * by kind, each linking to its draft (where it can be tried on the recorded past). A kind the user may
 * not list says so in its own section; the others still show.
 */
export const DefinitionsPage = () => {
  const { token, modules } = useSession();
  const [lists, error] = useLoad(
    () =>
      Promise.all(
        DEFINITION_KINDS.map((kind) =>
          call<{ items: DefinitionView[] }>(token, 'GET', `/v1/${KINDS[kind].path}?limit=200`).then(
            (page) => ({ kind, items: page.items, error: '' }),
            (e: Error) => ({ kind, items: [] as DefinitionView[], error: e.message }),
          ),
        ),
      ),
    [],
  );
  const moduleLabel = (module: string | undefined) => (module ? (modules[module]?.label ?? module) : '');
  return html`<section class="definitions-page">
    <${PageTitle} title="Processes"><p class="subtitle">Open a definition to see its draft and try it on the last 30 days before it goes live.</p></${PageTitle}>
    ${!lists ? html`<${Pending} error=${error} />` : null}
    ${lists?.map(
      ({ kind, items, error: listError }: { kind: DefinitionKind; items: DefinitionView[]; error: string }) => html`<h2 id=${`kind-${kind}`}>${KINDS[kind].plural}</h2>
        ${listError
          ? html`<${Pending} error=${listError} />`
          : items.length
            ? html`<ul class="cards" aria-labelledby=${`kind-${kind}`} data-kind=${kind}>${items.map(
                (view) => html`<li class="panel definition-card"><a name=${`open-${kind}-${nameOf(kind, view)}`} href=${href('definition', { kind, id: view.id })}>${nameOf(kind, view)}</a>
                  <span class="note">${[moduleLabel(moduleOf(kind, view)), standingOf(kind, view)].filter(Boolean).join(' · ')}</span></li>`,
              )}</ul>`
            : html`<${Empty} text=${`No ${KINDS[kind].plural.toLowerCase()} defined.`} />`}`,
    )}
  </section>`;
};
