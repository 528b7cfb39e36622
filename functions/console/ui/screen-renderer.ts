/// <reference lib="dom" />
import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';

/** The screen data the API returns for wizards and kiosks (see the Screen schema of the OpenAPI document). */
export interface ScreenComponent {
  id: string;
  kind: 'input' | 'choice' | 'display';
  type?: string;
  label: string;
  required: boolean;
  readOnly?: boolean;
  options?: Array<{ value: string; label: string }>;
  value?: unknown;
  text?: string;
}
export interface Screen {
  id: string;
  title: string;
  description?: string;
  components: ScreenComponent[];
}

const NUMERIC = new Set(['number', 'currency', 'percent']);
const INPUT_TYPES: Record<string, string> = { email: 'email', phone: 'tel', date: 'date', datetime: 'datetime-local', number: 'number', currency: 'number', percent: 'number' };

const initialValues = (screen: Screen): Record<string, unknown> =>
  Object.fromEntries(screen.components.filter((c) => c.kind !== 'display' && c.value !== undefined).map((c) => [c.id, c.value]));

/** A typed value from what the browser's control holds ("" stays "", so a cleared optional field is sent as empty). */
const fromControl = (c: ScreenComponent, raw: string): unknown => {
  if (NUMERIC.has(c.type ?? '') && raw.trim() !== '' && !Number.isNaN(Number(raw))) return Number(raw);
  if (c.type === 'datetime' && raw) return new Date(raw).toISOString();
  return raw;
};

const isGroup = (c: ScreenComponent) => (c.kind === 'choice' && (c.options?.length ?? 0) > 0) || c.type === 'boolean' || c.type === 'multiselect';

/** The IANA zones the browser knows, offered as suggestions (the server checks the value). */
const TimeZones = () => html`<datalist id="time-zones">${['UTC', ...Intl.supportedValuesOf('timeZone')].map((z) => html`<option value=${z}></option>`)}</datalist>`;

interface Props {
  screen: Screen;
  errors: Record<string, string>;
  busy: boolean;
  submitLabel: string;
  onSubmit: (values: Record<string, unknown>) => void;
  /** Extra buttons (Back, Save draft) beside the submit button. */
  actions?: Array<{ label: string; onClick: (values: Record<string, unknown>) => void; name: string }>;
}

/**
 * The one generic renderer: it shows whatever screen the API returns (inputs by field type, a choice
 * among options, display text) and submits `{ <component id>: value }`. It holds no flow logic.
 */
export const ScreenRenderer = ({ screen, errors, busy, submitLabel, onSubmit, actions = [] }: Props) => {
  const [values, setValues] = useState<Record<string, unknown>>(initialValues(screen));
  // A field's error goes as soon as the field is changed (the server has the last word at the next submit).
  const [corrected, setCorrected] = useState<Set<string>>(new Set());
  // A new screen starts from the server's values; the same screen again (a saved draft, an error) keeps what was typed.
  useEffect(() => setValues(initialValues(screen)), [screen.id]);
  useEffect(() => setCorrected(new Set()), [errors]);
  const set = (id: string, value: unknown) => {
    setValues((v) => ({ ...v, [id]: value }));
    setCorrected((c) => (c.has(id) ? c : new Set([...c, id])));
  };
  const errorOf = (id: string) => (corrected.has(id) ? undefined : errors[id]);

  const control = (c: ScreenComponent) => {
    const value = values[c.id];
    const common = { id: `c-${c.id}`, name: c.id, disabled: busy || c.readOnly, 'aria-invalid': errorOf(c.id) ? 'true' : 'false', ...(errorOf(c.id) ? { 'aria-describedby': `e-${c.id}` } : {}) };
    if (c.kind === 'display') return html`<p class="display" data-component=${c.id}>${c.text}</p>`;
    if (c.kind === 'choice') {
      if (!c.options?.length) return html`<p class="empty">Nothing to choose from.</p>`;
      return html`<div class="choices">${c.options.map(
        (o, i) => html`<label class="choice"><input type="radio" ...${common} id=${`c-${c.id}-${i}`} value=${o.value} checked=${value === o.value} onChange=${() => set(c.id, o.value)} /> ${o.label}</label>`,
      )}</div>`;
    }
    if (c.type === 'boolean') {
      return html`<div class="choices">${[true, false].map(
        (b) => html`<label class="choice"><input type="radio" ...${common} id=${`c-${c.id}-${b}`} value=${String(b)} checked=${value === b} onChange=${() => set(c.id, b)} /> ${b ? 'Yes' : 'No'}</label>`,
      )}</div>`;
    }
    if (c.type === 'picklist') {
      return html`<select ...${common} value=${(value as string) ?? ''} onChange=${(e: Event) => set(c.id, (e.target as HTMLSelectElement).value)}>
        <option value="">—</option>
        ${(c.options ?? []).map((o) => html`<option value=${o.value}>${o.label}</option>`)}
      </select>`;
    }
    if (c.type === 'multiselect') {
      const chosen = Array.isArray(value) ? (value as string[]) : [];
      return html`<div class="choices">${(c.options ?? []).map(
        (o) => html`<label class="choice"><input type="checkbox" name=${c.id} disabled=${busy || c.readOnly} checked=${chosen.includes(o.value)}
          onChange=${(e: Event) => set(c.id, (e.target as HTMLInputElement).checked ? [...chosen, o.value] : chosen.filter((x) => x !== o.value))} /> ${o.label}</label>`,
      )}</div>`;
    }
    if (c.type === 'textarea') {
      return html`<textarea ...${common} rows="3" value=${(value as string) ?? ''} onInput=${(e: Event) => set(c.id, (e.target as HTMLTextAreaElement).value)}></textarea>`;
    }
    if (c.type === 'timezone') {
      return html`<input type="text" list="time-zones" autocomplete="off" placeholder="e.g. Asia/Tokyo" ...${common} value=${(value as string) ?? ''}
        onInput=${(e: Event) => set(c.id, (e.target as HTMLInputElement).value)} /><${TimeZones} />`;
    }
    const shown = c.type === 'datetime' && typeof value === 'string' ? value.slice(0, 16) : (value ?? '');
    return html`<input type=${INPUT_TYPES[c.type ?? ''] ?? 'text'} step=${c.type === 'currency' ? '0.01' : 'any'} ...${common} value=${String(shown)}
      onInput=${(e: Event) => set(c.id, fromControl(c, (e.target as HTMLInputElement).value))} />`;
  };

  const answers = (): Record<string, unknown> => {
    const sent: Record<string, unknown> = {};
    for (const c of screen.components) if (c.kind !== 'display' && !c.readOnly && values[c.id] !== undefined) sent[c.id] = values[c.id];
    return sent;
  };
  const submit = (e: Event) => {
    e.preventDefault();
    onSubmit(answers());
  };

  return html`<form class="screen" data-screen=${screen.id} noValidate onSubmit=${submit}>
    <h2>${screen.title}</h2>
    ${screen.description ? html`<p class="description">${screen.description}</p>` : null}
    ${errors._ ? html`<p class="error" role="alert">${errors._}</p>` : null}
    ${screen.components.map(
      (c) => {
        const label = html`${c.label}${c.required && c.kind !== 'display' ? html`<span class="req"> *</span>` : null}`;
        const error = errorOf(c.id) ? html`<p class="error" id=${`e-${c.id}`} data-error-for=${c.id}>${errorOf(c.id)}</p>` : null;
        const className = `field ${errorOf(c.id) ? 'has-error' : ''}`;
        // A group of radios or checkboxes is named by its legend; any other control by its label.
        if (isGroup(c)) return html`<fieldset class=${className}><legend>${label}</legend>${control(c)}${error}</fieldset>`;
        if (c.kind === 'display') return html`<div class=${className}>${c.label ? html`<h3 class="display-label">${c.label}</h3>` : null}${control(c)}</div>`;
        return html`<div class=${className}><label for=${`c-${c.id}`}>${label}</label>${control(c)}${error}</div>`;
      },
    )}
    <div class="buttons">
      ${actions.map((a) => html`<button type="button" name=${a.name} disabled=${busy} onClick=${() => a.onClick(answers())}>${a.label}</button>`)}
      <button type="submit" name="submit" class="primary" disabled=${busy}>${submitLabel}</button>
    </div>
  </form>`;
};
