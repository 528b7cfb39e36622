/// <reference lib="dom" />
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { call, callText } from '../api.js';
import { PathsFigure, ReportTables, type Report } from '../journey-report.js';
import { Empty, PageTitle, Pending } from '../parts.js';
import { href } from '../router.js';
import { mayTryDrafts, useLoad, useSession } from '../session.js';

interface Journey {
  id: string;
  name: string;
  active: boolean;
  definition: { description?: string; states: Array<{ id: string; name: string }> };
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
  const { token, me } = useSession();
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
    <${PageTitle} title=${journey.name} back=${['journeys', 'Journeys']}><p class="subtitle">${report.started} customers started · ${journey.active ? 'active' : 'inactive'}</p>
      ${mayTryDrafts(me) ? html`<a class="button" name="try-change" href=${href('definition', { kind: 'journey', id })}>Try a change on the last 30 days</a>` : null}</${PageTitle}>
    <div class=${`report-grid ${wide ? 'wide' : ''}`}>
      <${PathsFigure} picture=${picture} error=${pictureError} wide=${wide} onToggle=${() => setWide(!wide)}
        alt=${`Paths through ${journey.name}: states and the transitions between them, thicker where more customers passed`} />
      <${ReportTables} report=${report} nameOf=${nameOf} />
    </div>
  </section>`;
};
