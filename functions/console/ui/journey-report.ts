/// <reference lib="dom" />
import { html } from 'htm/preact';
import { formatDuration, formatPercent } from './format.js';
import { Empty, Pending } from './parts.js';

/** A journey report as `GET /v1/journeys/{id}/report` answers it (a shadow run's journey report has the same shape). */
export interface Report {
  started: number;
  states: Array<{ state: string; name: string; now: number; entered: number; exited: number; averageMs: number | null; medianMs: number | null; dropOff: number | null }>;
  transitions: Array<{ from: string; to: string; fromName?: string; toName?: string; count: number; conversionRate: number | null }>;
}

/** The paths picture as an image (a `data:` URL: fetched with the token, or drawn here), with its Enlarge toggle. */
export const PathsFigure = ({ picture, error, alt, wide, onToggle, caption = 'Paths customers took' }: { picture: string | null; error: string; alt: string; wide: boolean; onToggle: () => void; caption?: string }) =>
  html`<figure class="panel paths">
    <figcaption>${caption} <button class="link" name="paths-size" aria-pressed=${wide ? 'true' : 'false'} onClick=${onToggle}>${wide ? 'Beside the report' : 'Enlarge'}</button></figcaption>
    ${picture ? html`<img src=${picture} alt=${alt} />` : html`<${Pending} error=${error} what="Drawing the paths…" />`}
  </figure>`;

/** The report per state and per transition, states by name (its headings one level below the section it sits in). */
export const ReportTables = ({ report, nameOf, heading = 'h2' }: { report: Report; nameOf: (state: string) => string; heading?: 'h2' | 'h4' }) =>
  html`<div>
    <${heading}>States</${heading}>
    <table class="table" data-report="states">
      <thead><tr><th scope="col">State</th><th scope="col">Now</th><th scope="col">Entered</th><th scope="col">Left</th><th scope="col">Median time</th><th scope="col">Average time</th><th scope="col">Drop-off</th></tr></thead>
      <tbody>${report.states.map(
        (s) => html`<tr data-state=${s.state}><th scope="row">${s.name}</th><td>${s.now}</td><td>${s.entered}</td><td>${s.exited}</td><td>${formatDuration(s.medianMs)}</td><td>${formatDuration(s.averageMs)}</td><td>${formatPercent(s.dropOff)}</td></tr>`,
      )}</tbody>
    </table>
    <${heading}>Transitions</${heading}>
    ${report.transitions.length
      ? html`<table class="table" data-report="transitions">
          <thead><tr><th scope="col">From</th><th scope="col">To</th><th scope="col">Customers</th><th scope="col">Conversion</th></tr></thead>
          <tbody>${report.transitions.map((t) => html`<tr><td>${t.fromName ?? nameOf(t.from)}</td><td>${t.toName ?? nameOf(t.to)}</td><td>${t.count}</td><td>${formatPercent(t.conversionRate)}</td></tr>`)}</tbody>
        </table>`
      : html`<${Empty} text="No customer has moved between states yet." />`}
  </div>`;
