/// <reference lib="dom" />
import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import { ApiError, call } from './api.js';
import { ScreenRenderer, type Screen } from './screen-renderer.js';

type Errors = Record<string, string>;

const errorsOf = (error: unknown): Errors => (error instanceof ApiError ? { ...error.byComponent(), ...(error.problem.errors?.length ? {} : { _: error.message }) } : { _: String(error) });

interface Session {
  sessionId: string;
  screen: Screen | null;
  status: string;
  canGoBack: boolean;
  values: Record<string, unknown>;
}
interface RecordView {
  id: string;
  module: string;
  fields: Record<string, unknown>;
}

/** Runs a wizard through its sessions API: next, back, save a draft, finish. */
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

export const WizardRunner = ({ token, wizard, onClose }: { token: string; wizard: { id: string; name: string }; onClose: () => void }) => {
  const [session, setSession] = useState<Session | null>(null);
  const [record, setRecord] = useState<RecordView | null>(null);
  const { errors, busy, perform: run } = useServerAction();
  const [note, setNote] = useState('');
  useEffect(() => void run(async () => setSession(await call<Session>(token, 'POST', `/v1/wizards/${wizard.id}/sessions`))), [wizard.id]);

  if (record) {
    return html`<section class="result" data-result="wizard">
      <h2>Created ${record.module} record</h2>
      <dl>${Object.entries(record.fields).map(([k, v]) => html`<dt>${k}</dt><dd>${String(v)}</dd>`)}</dl>
      <button name="close" onClick=${onClose}>Back to the list</button>
    </section>`;
  }
  if (!session) return html`<p>${errors._ ?? 'Starting…'}</p>`;
  const path = `/v1/wizard-sessions/${session.sessionId}`;
  const actions = [
    ...(session.canGoBack ? [{ name: 'back', label: 'Back', onClick: () => void run(async () => setSession(await call<Session>(token, 'POST', `${path}/back`))) }] : []),
    {
      name: 'save-draft',
      label: 'Save draft',
      onClick: (values?: Record<string, unknown>) =>
        void run(async () => {
          setSession(await call<Session>(token, 'POST', `${path}/save-draft`, { values: values ?? {} }));
          setNote('Draft saved: resume it any time within 30 days.');
        }),
    },
  ];
  return html`<section class="runner" data-wizard=${wizard.name}>
    <header><h1>${wizard.name}</h1><button name="close" class="link" onClick=${onClose}>Close</button></header>
    ${note ? html`<p class="note">${note}</p>` : null}
    ${session.screen
      ? html`<${ScreenRenderer} screen=${session.screen} errors=${errors} busy=${busy} submitLabel="Next" actions=${actions}
          onSubmit=${(values: Record<string, unknown>) => void run(async () => { setNote(''); setSession(await call<Session>(token, 'POST', `${path}/screens/${session.screen!.id}`, { values })); })} />`
      : html`<div class="screen" data-screen="finish">
          <h2>Every screen is answered</h2>
          ${errors._ ? html`<p class="error" role="alert">${errors._}</p>` : null}
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
export const KioskRunner = ({ token, kiosk, onClose }: { token: string; kiosk: { id: string; name: string }; onClose: () => void }) => {
  const [run, setRun] = useState<Run | null>(null);
  const { errors, busy, perform: act } = useServerAction();
  useEffect(() => void act(async () => setRun(await call<Run>(token, 'POST', `/v1/kiosks/${kiosk.id}/runs`))), [kiosk.id]);
  if (!run) return html`<p>${errors._ ?? 'Starting…'}</p>`;
  return html`<section class="runner" data-kiosk=${kiosk.name}>
    <header><h1>${kiosk.name}</h1><button name="close" class="link" onClick=${onClose}>Close</button></header>
    ${run.done
      ? html`<div class="result" data-result="kiosk"><h2>${run.result?.title}</h2><p>${run.result?.message}</p><button name="close" onClick=${onClose}>Back to the list</button></div>`
      : html`<${ScreenRenderer} screen=${run.screen!} errors=${errors} busy=${busy} submitLabel="Next"
          onSubmit=${(values: Record<string, unknown>) => void act(async () => setRun(await call<Run>(token, 'POST', `/v1/kiosk-runs/${run.runId}/submit`, { screenId: run.screen!.id, values })))} />`}
  </section>`;
};
