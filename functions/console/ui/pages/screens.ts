/// <reference lib="dom" />
import { html } from 'htm/preact';
import { call } from '../api.js';
import { formatDateTime } from '../format.js';
import { Empty, PageTitle, Pending } from '../parts.js';
import { href } from '../router.js';
import { KioskRunner, WizardRunner } from '../runners.js';
import { useLoad, useSession } from '../session.js';

interface Named {
  id: string;
  name: string;
  module?: string;
}
interface Draft {
  sessionId: string;
  wizardName: string;
  screenTitle?: string;
  updatedAt: string;
  expiresAt: string;
}

/** The wizards I may run, and my drafts to resume (newest first). */
export const WizardsPage = () => {
  const { token, modules } = useSession();
  const [data, error] = useLoad(async () => {
    const [wizards, drafts] = await Promise.all([call<{ items: Named[] }>(token, 'GET', '/v1/wizards?limit=200'), call<{ items: Draft[] }>(token, 'GET', '/v1/wizard-sessions?status=draft&limit=50')]);
    return { wizards: wizards.items, drafts: drafts.items };
  }, []);
  return html`<section>
    <${PageTitle} title="Wizards" />
    ${!data ? html`<${Pending} error=${error} />` : null}
    ${data
      ? html`<h2>Start</h2>
          ${data.wizards.length
            ? html`<ul class="cards">${data.wizards.map((w) => html`<li class="panel"><a class="button primary" name=${`wizard-${w.name}`} href=${href('wizard', { id: w.id })}>${w.name}</a> <span class="note">creates ${modules[w.module ?? '']?.label ?? w.module}</span></li>`)}</ul>`
            : html`<${Empty} text="No wizard for the modules you can create records in." />`}
          <h2>My drafts</h2>
          ${data.drafts.length
            ? html`<table class="table" data-list="drafts">
                <thead><tr><th scope="col">Wizard</th><th scope="col">Resumes at</th><th scope="col">Saved</th><th scope="col">Kept until</th></tr></thead>
                <tbody>${data.drafts.map(
                  (d) => html`<tr data-draft=${d.sessionId}><td><a name=${`resume-${d.sessionId}`} href=${href('wizard', { session: d.sessionId })}>${d.wizardName}</a></td><td>${d.screenTitle ?? 'Check your answers'}</td><td>${formatDateTime(d.updatedAt)}</td><td>${formatDateTime(d.expiresAt)}</td></tr>`,
                )}</tbody>
              </table>`
            : html`<${Empty} text="No drafts: a wizard you save as a draft waits here for 30 days." />`}`
      : null}
  </section>`;
};

export const WizardPage = ({ query }: { query: URLSearchParams }) =>
  html`<${WizardRunner} key=${query.toString()} wizardId=${query.get('id') ?? undefined} sessionId=${query.get('session') ?? undefined} />`;

export const KiosksPage = () => {
  const { token } = useSession();
  const [kiosks, error] = useLoad(() => call<{ items: Named[] }>(token, 'GET', '/v1/kiosks?limit=200'), []);
  return html`<section>
    <${PageTitle} title="Kiosks" />
    ${!kiosks ? html`<${Pending} error=${error} />` : !kiosks.items.length ? html`<${Empty} text="No kiosks." />` : null}
    <ul class="cards">${kiosks?.items.map((k) => html`<li class="panel"><a class="button primary" name=${`kiosk-${k.name}`} href=${href('kiosk', { id: k.id })}>${k.name}</a></li>`)}</ul>
  </section>`;
};

export const KioskPage = ({ query }: { query: URLSearchParams }) => html`<${KioskRunner} key=${query.toString()} kioskId=${query.get('id') ?? ''} />`;
