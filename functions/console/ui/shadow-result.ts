/// <reference lib="dom" />
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import type { JourneyDefinition } from '../../../shared/domain/journey/definition.js';
import type { ShadowResult, ShadowRunView } from '../../shadow/schemas.js';
import { renderPathsSvg } from '../../journeys/paths-picture/svg.js';
import { formatDateTime, humanise } from './format.js';
import { PathsFigure, ReportTables } from './journey-report.js';
import { Empty, RelatedLink } from './parts.js';
import { useSession } from './session.js';
import { changeGroups, changedRecordCount, countRows, counted, outcomeText, sampleGroups, signed, words, type ChangeGroup } from './shadow-view.js';

/** Records named in a list of changes: the first few by name (one read each), the rest counted. */
const SHOWN_RECORDS = 10;

const ACTION_STATUS: Record<string, string> = { done: 'would run', unresolved: 'unresolved', refused: 'would be refused' };

/** The draft's counts beside the published version's, outcome by outcome. */
const CountsTable = ({ result }: { result: ShadowResult }) => {
  const rows = countRows(result);
  const compared = result.comparison;
  if (!rows.length) return html`<${Empty} text="Nothing: over this window the draft would have done nothing." />`;
  return html`<div class="scroll"><table class="table" data-shadow="counts">
    <thead><tr><th scope="col">Outcome</th><th scope="col">Draft</th>${compared ? html`<th scope="col">Published (version ${compared.publishedVersion})</th><th scope="col">Change</th>` : null}</tr></thead>
    <tbody>${rows.map(
      (r) => html`<tr data-outcome=${`${r.kind}:${r.label}`}><th scope="row">${outcomeText(r)}</th><td>${r.draft}</td>
        ${compared ? html`<td>${r.published}</td><td class=${r.change ? (r.change > 0 ? 'more' : 'fewer') : ''}>${signed(r.change ?? 0)}</td>` : null}</tr>`,
    )}</tbody>
  </table></div>`;
};

const ChangeList = ({ title, groups, what }: { title: string; groups: ChangeGroup[]; what: string }) =>
  html`<div class="changes" data-changes=${what}>
    <h4>${title}</h4>
    ${groups.length
      ? html`<ul>${groups.map(
          (g) => html`<li data-group=${g.title}><strong>${g.title}</strong> <span class="badge">${g.records.length}</span>
            <ul class="records-changed">${g.records.slice(0, SHOWN_RECORDS).map((r) => html`<li><${RelatedLink} module=${r.module} id=${r.id} /></li>`)}
              ${g.records.length > SHOWN_RECORDS ? html`<li class="note">and ${g.records.length - SHOWN_RECORDS} more</li>` : null}</ul></li>`,
        )}</ul>`
      : html`<p class="note">None.</p>`}
  </div>`;

/** What the change adds, removes and moves, record by record, against what the published version did. */
const SideBySide = ({ comparison }: { comparison: NonNullable<ShadowResult['comparison']> }) => {
  const groups = changeGroups(comparison);
  const records = changedRecordCount(comparison);
  const outcomes = comparison.added.length + comparison.removed.length + comparison.moved.length;
  return html`<section class="panel side-by-side" aria-labelledby="side-title">
    <h3 id="side-title">Beside the published version ${comparison.publishedVersion}</h3>
    <p>${records ? `${counted(records, 'record')} ${records === 1 ? 'changes' : 'change'} outcome (${counted(outcomes, 'outcome')} added, removed or moved).` : 'No record changes outcome: the draft does what the published version did.'}
      ${comparison.truncated ? html` <span class="note">Each list holds its first 500 records.</span>` : null}</p>
    ${comparison.recorded
      ? html`<p class="note" data-shadow="recorded">The published version, replayed, ${comparison.recorded.mismatches ? `disagrees with what was recorded live for ${comparison.recorded.mismatches} of ${counted(comparison.recorded.checked, 'record')} checked` : `agrees with what was recorded live for ${comparison.recorded.checked === 1 ? 'the one record' : `all ${counted(comparison.recorded.checked, 'record')}`} checked`}.</p>`
      : null}
    <div class="change-lists">
      <${ChangeList} title="Adds" what="added" groups=${groups.added} />
      <${ChangeList} title="Removes" what="removed" groups=${groups.removed} />
      <${ChangeList} title="Moves" what="moved" groups=${groups.moved} />
    </div>
  </section>`;
};

/** Up to 20 records per outcome, each with the reason; the records are read only when a group is opened. */
const Samples = ({ result }: { result: ShadowResult }) => {
  const { modules } = useSession();
  const [open, setOpen] = useState<Record<string, boolean>>({});
  const groups = sampleGroups(result);
  if (!groups.length) return null;
  return html`<h3>Samples, with the reasons</h3>
    ${groups.map((g) => {
      const key = `${g.kind}:${g.label}`;
      return html`<details class="panel samples" data-samples=${key} onToggle=${(e: Event) => setOpen((o) => ({ ...o, [key]: (e.target as HTMLDetailsElement).open }))}>
        <summary>${outcomeText(g)} <span class="note">(${counted(g.items.length, 'record')})</span></summary>
        ${open[key]
          ? html`<div class="scroll"><table class="table">
              <thead><tr><th scope="col">Record</th><th scope="col">When</th><th scope="col">After</th><th scope="col">Why</th><th scope="col">Actions</th></tr></thead>
              <tbody>${g.items.map(
                (s) => html`<tr><td><${RelatedLink} module=${s.record.module} id=${s.record.id} /></td><td>${formatDateTime(s.at)}</td><td>${words(s.sourceEvent)}</td><td>${s.reason ? humanise(s.reason, modules) : '—'}</td>
                  <td>${s.actions.length ? s.actions.map((a) => html`<div>${words(a.type)} ${ACTION_STATUS[a.status] ?? a.status}${a.detail ? `: ${a.detail}` : ''}</div>`) : '—'}</td></tr>`,
              )}</tbody>
            </table></div>`
          : null}
      </details>`;
    })}`;
};

/** The journey definition inside a draft (flat, or wrapped as GET answers it), if it has states to draw. */
const journeyDefinitionOf = (draft: Record<string, unknown> | null): JourneyDefinition | null => {
  const def = (draft && 'definition' in draft ? draft.definition : draft) as Partial<JourneyDefinition> | null;
  return def && Array.isArray(def.states) && Array.isArray(def.transitions) ? (def as JourneyDefinition) : null;
};

/** A journey's shadow report and paths picture: the live page's components, the picture drawn here by the live renderer. */
const ShadowJourney = ({ journey, definition, name }: { journey: NonNullable<ShadowResult['journey']>; definition: Record<string, unknown> | null; name: string }) => {
  const [wide, setWide] = useState(false);
  const def = journeyDefinitionOf(definition);
  const { report, paths } = journey;
  const picture = def ? `data:image/svg+xml;charset=utf-8,${encodeURIComponent(renderPathsSvg({ definition: def, goal: paths.goal, report, outcomes: paths.dropOff, untravelled: 'hide' }))}` : null;
  const nameOf = (state: string) => report.states.find((s) => s.state === state)?.name ?? state;
  return html`<section class="shadow-journey" aria-labelledby="shadow-journey-title">
    <h3 id="shadow-journey-title">The journey, had the draft been live</h3>
    <p class="subtitle">${counted(report.started, 'customer')} would have started</p>
    <div class=${`report-grid ${wide ? 'wide' : ''}`}>
      <${PathsFigure} picture=${picture} error=${def ? '' : 'The picture needs the draft that was tried: run it again from this page.'} wide=${wide} onToggle=${() => setWide(!wide)}
        caption="Paths customers would have taken" alt=${`Paths through ${name} under the draft: states and the transitions between them, thicker where more customers would have passed`} />
      <${ReportTables} report=${report} nameOf=${nameOf} heading="h4" />
    </div>
  </section>`;
};

/** What the draft would have done: counts by outcome beside the published version's, what can't be told, the changes, samples, and a journey's picture. */
export const ShadowResultView = ({ run, result, definition }: { run: ShadowRunView; result: ShadowResult; definition: Record<string, unknown> | null }) =>
  html`<div class="shadow-result" data-result="shadow">
    <dl class="stats">
      <div data-limit="person"><dt>Depends on a person</dt><dd>${result.limits.dependsOnPerson}</dd></div>
      <div data-limit="customer"><dt>Depends on the customer</dt><dd>${result.limits.dependsOnCustomer}</dd></div>
      ${result.comparison ? html`<div data-limit="changed"><dt>Records changing outcome</dt><dd>${changedRecordCount(result.comparison)}</dd></div>` : null}
    </dl>
    <p class="note">The past cannot tell a person’s choice (a transition, an approval decision) or a customer’s reply to an email that was never sent: such branches are counted above, not guessed.</p>
    <h3>What the draft would have done</h3>
    ${result.comparison ? null : html`<p class="note">No published version: nothing to compare with.</p>`}
    <${CountsTable} result=${result} />
    ${result.comparison ? html`<${SideBySide} comparison=${result.comparison} />` : null}
    <${Samples} result=${result} />
    ${result.journey ? html`<${ShadowJourney} journey=${result.journey} definition=${definition} name=${run.name} />` : null}
  </div>`;
