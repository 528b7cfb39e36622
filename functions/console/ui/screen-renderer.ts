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
  // A new screen starts from the server's values; the same screen again (a saved draft, an error) keeps what was typed.
  useEffect(() => setValues(initialValues(screen)), [screen.id]);
  const set = (id: string, value: unknown) => setValues((v) => ({ ...v, [id]: value }));

  const control = (c: ScreenComponent) => {
    const value = values[c.id];
    const common = { id: `c-${c.id}`, name: c.id, disabled: busy || c.readOnly, 'aria-invalid': errors[c.id] ? 'true' : 'false' };
    if (c.kind === 'display') return html`<p class="display" data-component=${c.id}>${c.text}</p>`;
    if (c.kind === 'choice') {
      if (!c.options?.length) return html`<p class="empty">Nothing to choose from.</p>`;
      return html`<div class="choices">${c.options.map(
        (o) => html`<label class="choice"><input type="radio" ...${common} value=${o.value} checked=${value === o.value} onChange=${() => set(c.id, o.value)} /> ${o.label}</label>`,
      )}</div>`;
    }
    if (c.type === 'boolean') {
      return html`<div class="choices">${[true, false].map(
        (b) => html`<label class="choice"><input type="radio" ...${common} value=${String(b)} checked=${value === b} onChange=${() => set(c.id, b)} /> ${b ? 'Yes' : 'No'}</label>`,
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
      (c) => html`<div class=${`field ${errors[c.id] ? 'has-error' : ''}`}>
        ${c.kind !== 'display' || c.label ? html`<label for=${`c-${c.id}`}>${c.label}${c.required && c.kind !== 'display' ? html`<span class="req"> *</span>` : null}</label>` : null}
        ${control(c)}
        ${errors[c.id] ? html`<p class="error" data-error-for=${c.id}>${errors[c.id]}</p>` : null}
      </div>`,
    )}
    <div class="buttons">
      ${actions.map((a) => html`<button type="button" name=${a.name} disabled=${busy} onClick=${() => a.onClick(answers())}>${a.label}</button>`)}
      <button type="submit" name="submit" class="primary" disabled=${busy}>${submitLabel}</button>
    </div>
  </form>`;
};
