/// <reference lib="dom" />
import { html } from 'htm/preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { buildTimeline, describeStep, recordTitle, scenes, showValue as show, type Names, type RecordState, type Scene } from '../../../shared/domain/replay/timeline.js';
import { call } from './api.js';
import { formatDateTime, formatValue, humanise, labelOf } from './format.js';
import { PageTitle } from './parts.js';
import { go } from './router.js';
import { useSession } from './session.js';
import { loadStory, type Story } from './replay-data.js';
import { useServerAction } from './runners.js';

const PLAY_EVERY_MS = 1200;
const when = formatDateTime;
const FIELDS_HIDDEN = new Set(['relatedModule']);

/** A blueprint's states as a row of steps, the record's current one marked. */
const Stages = ({ states, current }: { states: string[]; current: unknown }) =>
  html`<ol class="stages">${states.map((s) => html`<li class=${s === current ? 'current' : ''}>${s}</li>`)}</ol>`;

/** One record as it was: its stage, its fields by label (those this step changed marked), values formatted, lookups and people by name. */
const RecordCard = ({ record, story, scene }: { record: RecordState; story: Story; scene: Scene }) => {
  const { modules, users } = useSession();
  const stage = story.stages[record.module];
  const module = modules[record.module];
  const nameOf = (field: string, value: unknown) => {
    const meta = module?.fields.find((f) => f.name === field);
    const target = scene.records.find((r) => r.id === value);
    return target ? recordTitle(target.fields, String(value)) : formatValue(meta, value, { users: { ...users, ...story.users } });
  };
  const order = (name: string) => module?.fields.findIndex((f) => f.name === name) ?? -1;
  const fields = Object.entries(record.fields)
    .filter(([k]) => !FIELDS_HIDDEN.has(k) && k !== stage?.field)
    .sort(([a], [b]) => order(a) - order(b));
  return html`<article class=${`record ${record.changed.length ? 'changed' : ''} ${record.deleted ? 'deleted' : ''}`} data-record=${record.module}>
    <h3><span class="module">${story.modules[record.module] ?? record.module}</span> ${recordTitle(record.fields, record.id)}${record.deleted ? ' (deleted)' : ''}</h3>
    ${stage ? html`<div class="stage" data-stage=${String(record.fields[stage.field] ?? '')}><${Stages} states=${stage.states} current=${record.fields[stage.field]} /></div>` : null}
    <dl>${fields.map(([k, v]) => html`<dt data-field=${k}>${labelOf(module, k)}</dt><dd class=${record.changed.includes(k) ? 'hl' : ''}>${nameOf(k, v)}</dd>`)}</dl>
  </article>`;
};

/**
 * Replays a customer's story from a lead: every record's history and the journey, merged by time;
 * play, pause, step forward and back; at each step the records as they were, their stage, the journey
 * state and what happened.
 */
export const ReplayView = ({ leadId, onClose }: { leadId: string; onClose: () => void }) => {
  const { token, modules, users } = useSession();
  const [story, setStory] = useState<Story | null>(null);
  const [index, setIndex] = useState(1);
  const [playing, setPlaying] = useState(false);
  const { errors, perform } = useServerAction();
  useEffect(() => void perform(async () => setStory(await loadStory(token, leadId))), [leadId]);
  const timeline = useMemo(() => (story ? buildTimeline(story.records, story.journeys) : []), [story]);
  const all = useMemo(() => scenes(timeline), [timeline]);
  const last = timeline.length;
  const list = useRef<HTMLOListElement>(null);
  useEffect(() => list.current?.querySelector('li.current')?.scrollIntoView({ block: 'nearest' }), [index, story]);
  useEffect(() => {
    if (!playing) return undefined;
    if (index >= last) return void setPlaying(false);
    const timer = setTimeout(() => setIndex((i) => Math.min(last, i + 1)), PLAY_EVERY_MS);
    return () => clearTimeout(timer);
  }, [playing, index, last]);

  const lead = all.at(-1)?.records.find((r) => r.module === 'Leads');
  const header = html`<div class="page-title replay-title"><h1>Replay${lead ? ` · ${recordTitle(lead.fields, leadId)}` : ''}</h1><span class="note">lead ${leadId}</span><button name="close" class="link" onClick=${onClose}>Close</button></div>`;
  // A 400 names the field (the lead id in the path); anything else is one message.
  const failure = errors._ ?? Object.values(errors)[0];
  if (!story) return html`<section class="replay">${header}${failure ? html`<p class="error" role="alert">${failure}</p>` : html`<p>Loading the story…</p>`}</section>`;
  if (last === 0) return html`<section class="replay">${header}<p class="note">Nothing has happened to this lead yet.</p></section>`;
  const scene = all[index]!;
  const step = timeline[index - 1]!;
  const names: Names = {
    ...story,
    users: { ...users, ...story.users },
    field: (module, field) => labelOf(modules[module], field),
    value: (module, field, value) => formatValue(modules[module]?.fields.find((f) => f.name === field), value, { users: { ...users, ...story.users } }),
  };
  const stateName = (id: string) => story.states[id] ?? id;
  const what = describeStep(step, all[index - 1]!, scene, names);
  const go = (i: number) => setIndex(Math.max(1, Math.min(last, i)));
  const people = scene.records.filter((r) => r.module !== 'Tasks');
  const tasks = scene.records.filter((r) => r.module === 'Tasks');
  return html`<section class="replay" data-step=${index}>
    ${header}
    <div class="controls">
      <button name="replay-back" disabled=${index <= 1} onClick=${() => go(index - 1)}>◀ Back</button>
      <button name="replay-play" class="primary" onClick=${() => setPlaying(!playing && index < last)}>${playing ? 'Pause' : 'Play'}</button>
      <button name="replay-forward" disabled=${index >= last} onClick=${() => go(index + 1)}>Step ▶</button>
      <input type="range" aria-label="Step" name="replay-position" min="1" max=${last} value=${index} onInput=${(e: Event) => go(Number((e.target as HTMLInputElement).value))} />
      <span class="position">Step ${index} of ${last}</span>
    </div>
    <div class="happened" data-kind=${step.kind}>
      <time>${when(step.at)}</time>
      <h2 data-role="what">${what.title}</h2>
      <p class="by">by ${what.by}</p>
      ${what.lines.length ? html`<ul>${what.lines.map((l) => html`<li>${humanise(l, modules)}</li>`)}</ul>` : null}
    </div>
    <div class="replay-grid">
      <div>
        ${scene.journeys.map(
          (j) => html`<div class="journey" data-journey-state=${j.state}><h3>${j.journeyName}</h3>
            <ol class="stages">${j.path.map((s, i) => html`<li class=${i === j.path.length - 1 ? 'current' : 'past'}>${stateName(s)}</li>`)}</ol>
            <p class="note">In <strong>${stateName(j.state)}</strong> since ${when(j.since)}: ${humanise(j.reason, modules)}</p></div>`,
        )}
        <div class="records">${people.map((r) => html`<${RecordCard} record=${r} story=${story} scene=${scene} />`)}</div>
        ${tasks.length
          ? html`<h2 class="section">Tasks</h2><ul class="tasks">${tasks.map(
              (t) => html`<li class=${t.changed.length ? 'changed' : ''} data-task=${String(t.fields.subject)} data-status=${String(t.fields.status ?? '')}>${show(t.fields.subject)} <small>for ${names.users?.[String(t.fields.assigneeId)] ?? show(t.fields.assigneeId)}${t.fields.status ? ` · ${show(t.fields.status)}` : ''}</small></li>`,
            )}</ul>`
          : null}
      </div>
      <ol class="timeline" ref=${list}>${timeline.map((s, i) => {
        const d = describeStep(s, all[i]!, all[i + 1]!, names);
        return html`<li class=${i + 1 === index ? 'current' : i + 1 < index ? 'past' : ''}><button class="link" name=${`replay-step-${i + 1}`} onClick=${() => go(i + 1)}><time>${when(s.at)}</time> ${d.title}</button></li>`;
      })}</ol>
    </div>
  </section>`;
};

/** The way in: a lead id, or one of the newest leads. */
export const ReplayPicker = ({ onOpen }: { onOpen: (leadId: string) => void }) => {
  const { token } = useSession();
  const [leads, setLeads] = useState<Array<{ id: string; fields: Record<string, unknown> }>>([]);
  const [typed, setTyped] = useState('');
  useEffect(() => void call<{ items: Array<{ id: string; fields: Record<string, unknown> }> }>(token, 'GET', '/v1/records/Leads?limit=8').then((r) => setLeads(r.items), () => setLeads([])), [token]);
  return html`<section class="replay-picker">
    <${PageTitle} title="Replay a customer" />
    <p class="description">Pick a lead to watch everything that happened to the customer, step by step.</p>
    <form onSubmit=${(e: Event) => { e.preventDefault(); if (typed.trim()) onOpen(typed.trim()); }}>
      <label class="visually-hidden" for="replay-lead">Lead id</label>
      <input id="replay-lead" name="replay-lead" placeholder="Lead id" value=${typed} onInput=${(e: Event) => setTyped((e.target as HTMLInputElement).value)} />
      <button type="submit">Replay</button>
    </form>
    <h2>Newest leads</h2>
    <ul class="leads">${leads.map((l) => html`<li><button class="link" name=${`replay-${l.id}`} onClick=${() => onOpen(l.id)}>${recordTitle(l.fields, l.id)}</button>${l.fields.converted ? html` <small>converted</small>` : null}</li>`)}</ul>
  </section>`;
};

/** `#/replay` picks a lead; `#/replay?lead=<id>` plays its story (an address that can be linked to and reloaded). */
export const ReplayPage = ({ query }: { query: URLSearchParams }) => {
  const lead = query.get('lead');
  const open = (id: string | null) => go('replay', { lead: id ?? undefined });
  return lead ? html`<${ReplayView} key=${lead} leadId=${lead} onClose=${() => open(null)} />` : html`<${ReplayPicker} onOpen=${open} />`;
};
