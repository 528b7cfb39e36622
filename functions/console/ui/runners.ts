/// <reference lib="dom" />
import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import { ApiError, call } from './api.js';
import { ScreenRenderer, type Screen } from './screen-renderer.js';
import { singular, type ModuleMeta } from './format.js';
import { FieldList, PageTitle, Pending, titleOf } from './parts.js';
import { href } from './router.js';
import { useSession } from './session.js';
import type { RecordView } from './pages/records.js';

type Errors = Record<string, string>;

const errorsOf = (error: unknown): Errors => (error instanceof ApiError ? { ...error.byComponent(), ...(error.problem.errors?.length ? {} : { _: error.message }) } : { _: String(error) });

interface Session {
  sessionId: string;
  wizardId: string;
  screen: Screen | null;
  status: string;
  canGoBack: boolean;
  values: Record<string, unknown>;
}

/**
 * One request at a time from a runner: `busy` while it runs, and its failure shown as errors (by
 * component for a 400, else a message).
 */
export const useServerAction = () => {
  const [errors, setErrors] = useState<Errors>({});
  const [busy, setBusy] = useState(false);
  const perform = async (action: () => Promise<void>) => {
    setBusy(true);
    setErrors({});
    try {
      await action();
    } catch (error) {
      setErrors(errorsOf(error));
    } finally {
      setBusy(false);
    }
  };
  return { errors, busy, perform };
};

interface WizardView {
  id: string;
  name: string;
  module: string;
}

/** Check your answers: every answer by its field's label, formatted by type (empty ones left out). */
const Answers = ({ module, values }: { module: ModuleMeta | undefined; values: Record<string, unknown> }) => {
  const shown = Object.fromEntries(Object.entries(values).filter(([, v]) => v !== '' && v !== null && v !== undefined && !(Array.isArray(v) && v.length === 0)));
  return html`<${FieldList} module=${module} fields=${shown} />`;
};

/**
 * Runs a wizard through its sessions API: a new session (`wizardId`) or a draft resumed (`sessionId`);
 * next, back, save a draft; the answers for review before Finish; then the created record, with links to
 * it and to its replay. The address follows the session, so a reload resumes it.
 */
export const WizardRunner = ({ wizardId, sessionId }: { wizardId?: string; sessionId?: string }) => {
  const { token, modules } = useSession();
  const [session, setSession] = useState<Session | null>(null);
  const [wizard, setWizard] = useState<WizardView | null>(null);
  const [record, setRecord] = useState<RecordView | null>(null);
  const { errors, busy, perform: run } = useServerAction();
  const [note, setNote] = useState('');
  useEffect(
    () =>
      void run(async () => {
        const started = sessionId ? await call<Session>(token, 'GET', `/v1/wizard-sessions/${encodeURIComponent(sessionId)}`) : await call<Session>(token, 'POST', `/v1/wizards/${encodeURIComponent(wizardId ?? '')}/sessions`);
        if (!sessionId) history.replaceState(null, '', href('wizard', { session: started.sessionId }));
        setWizard(await call<WizardView>(token, 'GET', `/v1/wizards/${started.wizardId}`));
        setSession(started);
      }),
    [wizardId, sessionId],
  );
  const module = wizard ? modules[wizard.module] : undefined;
  const title = wizard?.name ?? 'Wizard';
  const back: [string, string] = ['wizards', 'Wizards'];

  if (record) {
    const label = singular(module?.label ?? record.module);
    const name = titleOf(record.fields, record.id);
    return html`<section class="result" data-result="wizard">
      <${PageTitle} title=${`${label} created: ${name}`} back=${back} />
      <div class="panel"><${FieldList} module=${module} fields=${record.fields} /></div>
      <div class="buttons start">
        <a class="button primary" name="open-record" href=${href('record', { module: record.module, id: record.id })}>Open the ${label.toLowerCase()}</a>
        ${record.module === 'Leads' ? html`<a class="button" name="open-replay" href=${href('replay', { lead: record.id })}>Replay its story</a>` : null}
        ${wizard ? html`<a class="button" href=${href('wizard', { id: wizard.id, new: String(Date.now()) })}>Start another</a>` : null}
      </div>
    </section>`;
  }
  if (!session) return html`<section><${PageTitle} title=${title} back=${back} /><${Pending} error=${errors._ ?? Object.values(errors)[0] ?? ''} what="Starting…" /></section>`;
  const path = `/v1/wizard-sessions/${session.sessionId}`;
  const saveDraft = (values?: Record<string, unknown>) =>
    void run(async () => {
      setSession(await call<Session>(token, 'POST', `${path}/save-draft`, { values: values ?? {} }));
      setNote('Draft saved: find it under My drafts on the Wizards page, any time within 30 days.');
    });
  const goBack = () => void run(async () => setSession(await call<Session>(token, 'POST', `${path}/back`)));
  const actions = [...(session.canGoBack ? [{ name: 'back', label: 'Back', onClick: goBack }] : []), { name: 'save-draft', label: 'Save draft', onClick: saveDraft }];
  return html`<section class="runner" data-wizard=${title}>
    <${PageTitle} title=${title} back=${back} />
    ${note ? html`<p class="note" role="status">${note}</p>` : null}
    ${session.screen
      ? html`<${ScreenRenderer} screen=${session.screen} errors=${errors} busy=${busy} submitLabel="Next" actions=${actions}
          onSubmit=${(values: Record<string, unknown>) => void run(async () => { setNote(''); setSession(await call<Session>(token, 'POST', `${path}/screens/${session.screen!.id}`, { values })); })} />`
      : html`<div class="screen" data-screen="review">
          <h2>Check your answers</h2>
          <p class="description">Nothing is created until you finish. Go back to change an answer.</p>
          <${Answers} module=${module} values=${session.values} />
          ${errors._ ? html`<p class="error" role="alert">${errors._}</p>` : null}
          ${Object.entries(errors).filter(([k]) => k !== '_').map(([k, m]) => html`<p class="error" role="alert">${module?.fields.find((f) => f.name === k)?.label ?? k}: ${m}</p>`)}
          <div class="buttons">
            ${actions.map((a) => html`<button type="button" name=${a.name} disabled=${busy} onClick=${() => a.onClick()}>${a.label}</button>`)}
            <button name="finish" class="primary" disabled=${busy} onClick=${() => void run(async () => setRecord(await call<RecordView>(token, 'POST', `${path}/finish`)))}>Finish</button>
          </div>
        </div>`}
  </section>`;
};

interface Run {
  runId: string;
  screen?: Screen;
  done: boolean;
  result?: { title: string; message: string };
}

/** Runs a kiosk: each answer goes to the server, which decides what comes next. */
export const KioskRunner = ({ kioskId }: { kioskId: string }) => {
  const { token } = useSession();
  const [run, setRun] = useState<Run | null>(null);
  const [kiosk, setKiosk] = useState<{ name: string } | null>(null);
  const { errors, busy, perform: act } = useServerAction();
  useEffect(
    () =>
      void act(async () => {
        setKiosk(await call<{ name: string }>(token, 'GET', `/v1/kiosks/${encodeURIComponent(kioskId)}`));
        setRun(await call<Run>(token, 'POST', `/v1/kiosks/${encodeURIComponent(kioskId)}/runs`));
      }),
    [kioskId],
  );
  const title = kiosk?.name ?? 'Kiosk';
  const back: [string, string] = ['kiosks', 'Kiosks'];
  if (!run) return html`<section><${PageTitle} title=${title} back=${back} /><${Pending} error=${errors._ ?? ''} what="Starting…" /></section>`;
  return html`<section class="runner" data-kiosk=${title}>
    <${PageTitle} title=${title} back=${back} />
    ${run.done
      ? html`<div class="result panel" data-result="kiosk"><h2>${run.result?.title}</h2><p>${run.result?.message}</p><a class="button" name="close" href=${href('kiosks')}>Back to the kiosks</a></div>`
      : html`<${ScreenRenderer} screen=${run.screen!} errors=${errors} busy=${busy} submitLabel="Next"
          onSubmit=${(values: Record<string, unknown>) => void act(async () => setRun(await call<Run>(token, 'POST', `/v1/kiosk-runs/${run.runId}/submit`, { screenId: run.screen!.id, values })))} />`}
  </section>`;
};
