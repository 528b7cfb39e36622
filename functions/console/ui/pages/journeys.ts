/// <reference lib="dom" />
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { call, callText } from '../api.js';
import { formatDuration, formatPercent } from '../format.js';
import { Empty, PageTitle, Pending } from '../parts.js';
import { href } from '../router.js';
import { useLoad, useSession } from '../session.js';

interface Journey {
  id: string;
  name: string;
  active: boolean;
  definition: { description?: string; states: Array<{ id: string; name: string }> };
}
interface Report {
  started: number;
  states: Array<{ state: string; name: string; now: number; entered: number; exited: number; averageMs: number | null; medianMs: number | null; dropOff: number | null }>;
  transitions: Array<{ from: string; to: string; fromName?: string; toName?: string; count: number; conversionRate: number | null }>;
}

export const JourneysPage = () => {
  const { token } = useSession();
  const [journeys, error] = useLoad(() => call<{ items: Journey[] }>(token, 'GET', '/v1/journeys?limit=200'), []);
  return html`<section>
    <${PageTitle} title="Journeys" />
    ${!journeys ? html`<${Pending} error=${error} />` : !journeys.items.length ? html`<${Empty} text="No journeys defined." />` : null}
    <ul class="cards">${journeys?.items.map(
      (j) => html`<li class="panel"><h2><a href=${href('journey', { id: j.id })}>${j.name}</a></h2><p class="note">${j.definition.description ?? ''} ${j.active ? '' : '(inactive)'}</p></li>`,
    )}</ul>
  </section>`;
};

/**
 * A journey's report (per state and per transition, by name) beside its paths picture. The picture is
 * fetched with the token and shown as an image of its own, so it can never show a raw 401.
 */
export const JourneyPage = ({ query }: { query: URLSearchParams }) => {
  const { token } = useSession();
  const id = query.get('id') ?? '';
  // Beside the report by default; full width on demand, for a journey with many states.
  const [wide, setWide] = useState(false);
  const [data, error] = useLoad(async () => {
    const [journey, report] = await Promise.all([call<Journey>(token, 'GET', `/v1/journeys/${encodeURIComponent(id)}`), call<Report>(token, 'GET', `/v1/journeys/${encodeURIComponent(id)}/report`)]);
    return { journey, report };
  }, [id]);
  const [picture, pictureError] = useLoad(async () => `data:image/svg+xml;charset=utf-8,${encodeURIComponent(await callText(token, `/v1/journeys/${encodeURIComponent(id)}/paths.svg`))}`, [id]);
  if (!data) return html`<section><${PageTitle} title="Journey" back=${['journeys', 'Journeys']} /><${Pending} error=${error} /></section>`;
  const { journey, report } = data;
  const nameOf = (state: string) => report.states.find((s) => s.state === state)?.name ?? journey.definition.states.find((s) => s.id === state)?.name ?? state;
  return html`<section class="journey-page">
    <${PageTitle} title=${journey.name} back=${['journeys', 'Journeys']}><p class="subtitle">${report.started} customers started · ${journey.active ? 'active' : 'inactive'}</p></${PageTitle}>
    <div class=${`report-grid ${wide ? 'wide' : ''}`}>
      <figure class="panel paths">
        <figcaption>Paths customers took <button class="link" name="paths-size" aria-pressed=${wide ? 'true' : 'false'} onClick=${() => setWide(!wide)}>${wide ? 'Beside the report' : 'Enlarge'}</button></figcaption>
        ${picture ? html`<img src=${picture} alt=${`Paths through ${journey.name}: states and the transitions between them, thicker where more customers passed`} />` : html`<${Pending} error=${pictureError} what="Drawing the paths…" />`}
      </figure>
      <div>
        <h2>States</h2>
        <table class="table" data-report="states">
          <thead><tr><th scope="col">State</th><th scope="col">Now</th><th scope="col">Entered</th><th scope="col">Left</th><th scope="col">Median time</th><th scope="col">Average time</th><th scope="col">Drop-off</th></tr></thead>
          <tbody>${report.states.map(
            (s) => html`<tr data-state=${s.state}><th scope="row">${s.name}</th><td>${s.now}</td><td>${s.entered}</td><td>${s.exited}</td><td>${formatDuration(s.medianMs)}</td><td>${formatDuration(s.averageMs)}</td><td>${formatPercent(s.dropOff)}</td></tr>`,
          )}</tbody>
        </table>
        <h2>Transitions</h2>
        ${report.transitions.length
          ? html`<table class="table" data-report="transitions">
              <thead><tr><th scope="col">From</th><th scope="col">To</th><th scope="col">Customers</th><th scope="col">Conversion</th></tr></thead>
              <tbody>${report.transitions.map((t) => html`<tr><td>${t.fromName ?? nameOf(t.from)}</td><td>${t.toName ?? nameOf(t.to)}</td><td>${t.count}</td><td>${formatPercent(t.conversionRate)}</td></tr>`)}</tbody>
            </table>`
          : html`<${Empty} text="No customer has moved between states yet." />`}
      </div>
    </div>
  </section>`;
};
