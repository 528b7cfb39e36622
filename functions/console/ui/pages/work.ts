/// <reference lib="dom" />
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { call } from '../api.js';
import { formatDate, formatDateTime, formatValue, labelOf } from '../format.js';
import { Empty, PageTitle, Pending, Problem, RelatedLink } from '../parts.js';
import { useLoad, useSession } from '../session.js';
import { useServerAction } from '../runners.js';
import type { RecordView } from './records.js';

interface Task {
  id: string;
  subject: string;
  dueDate?: string;
  status: string;
  relatedModule?: string;
  relatedId?: string;
  overdue: boolean;
}
interface Approval {
  id: string;
  processName: string;
  module: string;
  recordId: string;
  status: string;
  level: number;
  levels: number;
  submittedBy: string;
  submittedAt: string;
}
interface Review {
  id: string;
  processName: string;
  module: string;
  recordId: string;
  status: string;
  fields: Record<string, { value: unknown }>;
  createdBy: string;
  createdAt: string;
}

/** My tasks: what I have to do, due first; done with one click. */
export const TasksPage = () => {
  const { token } = useSession();
  const [tasks, error, reload] = useLoad(() => call<{ items: Task[] }>(token, 'GET', '/v1/tasks?assignee=me&limit=200'), []);
  const { errors, busy, perform } = useServerAction();
  const done = (task: Task) =>
    perform(async () => {
      const current = await call<RecordView>(token, 'GET', `/v1/records/Tasks/${task.id}`);
      await call(token, 'PATCH', `/v1/records/Tasks/${task.id}`, { fields: { status: 'Done' } }, { 'if-match': `"${current.version}"` });
      reload();
    });
  return html`<section class="tasks-page">
    <${PageTitle} title="My tasks" />
    <${Problem} message=${errors._ ?? ''} />
    ${!tasks ? html`<${Pending} error=${error} />` : !tasks.items.length ? html`<${Empty} text="Nothing to do: no open tasks." />` : null}
    ${tasks?.items.length
      ? html`<table class="table">
          <thead><tr><th scope="col">Task</th><th scope="col">Due</th><th scope="col">About</th><th scope="col"><span class="visually-hidden">Action</span></th></tr></thead>
          <tbody>${tasks.items.map(
            (t) => html`<tr data-task=${t.id}><td>${t.subject}</td><td class=${t.overdue ? 'overdue' : ''}>${t.dueDate ? formatDate(t.dueDate) : '—'}${t.overdue ? ' (overdue)' : ''}</td>
              <td><${RelatedLink} module=${t.relatedModule} id=${t.relatedId} /></td>
              <td><button name=${`done-${t.id}`} disabled=${busy} onClick=${() => void done(t)}>Mark done</button></td></tr>`,
          )}</tbody>
        </table>`
      : null}
  </section>`;
};

/** One approval waiting for me: the record, who asked, and approve, reject (with a reason) or delegate. */
const ApprovalCard = ({ approval, onDecided }: { approval: Approval; onDecided: (what: string) => void }) => {
  const { token, users, me } = useSession();
  const [comment, setComment] = useState('');
  const [delegateTo, setDelegateTo] = useState('');
  const { errors, busy, perform } = useServerAction();
  const act = (action: 'approve' | 'reject' | 'delegate') =>
    perform(async () => {
      await call(token, 'POST', `/v1/approvals/${approval.id}/${action}`, { ...(comment.trim() ? { comment: comment.trim() } : {}), ...(action === 'delegate' ? { toUserId: delegateTo } : {}) });
      onDecided(`${action === 'approve' ? 'Approved' : action === 'reject' ? 'Rejected' : 'Delegated'}: ${approval.processName}`);
    });
  const others = Object.entries(users).filter(([id]) => id !== me.id);
  const id = (name: string) => `${name}-${approval.id}`;
  return html`<article class="panel approval" data-approval=${approval.id}>
    <h3>${approval.processName}</h3>
    <p><${RelatedLink} module=${approval.module} id=${approval.recordId} /> · submitted by ${users[approval.submittedBy] ?? approval.submittedBy}, ${formatDateTime(approval.submittedAt)} · level ${approval.level} of ${approval.levels}</p>
    <div class="field"><label for=${id('comment')}>Comment (required to reject)</label><textarea id=${id('comment')} name="comment" rows="2" value=${comment} onInput=${(e: Event) => setComment((e.target as HTMLTextAreaElement).value)}></textarea></div>
    <${Problem} message=${errors._ ?? Object.values(errors).join('; ')} />
    <div class="buttons">
      <label class="inline" for=${id('delegate')}>Delegate to</label>
      <select id=${id('delegate')} name="delegate-to" value=${delegateTo} onChange=${(e: Event) => setDelegateTo((e.target as HTMLSelectElement).value)}>
        <option value="">Someone…</option>${others.map(([uid, name]) => html`<option value=${uid}>${name}</option>`)}
      </select>
      <button name="delegate" disabled=${busy || !delegateTo} onClick=${() => void act('delegate')}>Delegate</button>
      <button name="reject" disabled=${busy} onClick=${() => void act('reject')}>Reject</button>
      <button name="approve" class="primary" disabled=${busy} onClick=${() => void act('approve')}>Approve</button>
    </div>
  </article>`;
};

/** One review waiting for me: each field under review accepted or rejected (with a reason). */
const ReviewCard = ({ review, onDecided }: { review: Review; onDecided: (what: string) => void }) => {
  const { token, users, modules } = useSession();
  const module = modules[review.module];
  const [decisions, setDecisions] = useState<Record<string, { accept: boolean; reason?: string }>>(Object.fromEntries(Object.keys(review.fields).map((f) => [f, { accept: true }])));
  const { errors, busy, perform } = useServerAction();
  const set = (field: string, change: Partial<{ accept: boolean; reason: string }>) => setDecisions((d) => ({ ...d, [field]: { ...d[field]!, ...change } }));
  const decide = () =>
    perform(async () => {
      await call(token, 'POST', `/v1/reviews/${review.id}/decision`, { fields: decisions });
      onDecided(`Review decided: ${review.processName}`);
    });
  return html`<article class="panel review" data-review=${review.id}>
    <h3>${review.processName}</h3>
    <p><${RelatedLink} module=${review.module} id=${review.recordId} /> · by ${users[review.createdBy] ?? review.createdBy}, ${formatDateTime(review.createdAt)}</p>
    <table class="table">
      <thead><tr><th scope="col">Field</th><th scope="col">Value</th><th scope="col">Decision</th><th scope="col">Reason</th></tr></thead>
      <tbody>${Object.entries(review.fields).map(([field, { value }]) => {
        const d = decisions[field]!;
        const fieldMeta = module?.fields.find((f) => f.name === field);
        return html`<tr data-field=${field}><th scope="row">${labelOf(module, field)}</th><td>${formatValue(fieldMeta, value, { users })}</td>
          <td><fieldset class="choices inline"><legend class="visually-hidden">${labelOf(module, field)}</legend>
            <label class="choice"><input type="radio" name=${`decision-${review.id}-${field}`} value="accept" checked=${d.accept} onChange=${() => set(field, { accept: true })} /> Accept</label>
            <label class="choice"><input type="radio" name=${`decision-${review.id}-${field}`} value="reject" checked=${!d.accept} onChange=${() => set(field, { accept: false })} /> Reject</label>
          </fieldset></td>
          <td><input aria-label=${`Reason for ${labelOf(module, field)}`} name=${`reason-${field}`} value=${d.reason ?? ''} onInput=${(e: Event) => set(field, { reason: (e.target as HTMLInputElement).value })} /></td></tr>`;
      })}</tbody>
    </table>
    <${Problem} message=${errors._ ?? Object.values(errors).join('; ')} />
    <div class="buttons"><button name="decide" class="primary" disabled=${busy} onClick=${() => void decide()}>Send decision</button></div>
  </article>`;
};

/** Approvals and reviews waiting for me, each decided in place. */
export const InboxPage = () => {
  const { token } = useSession();
  const [done, setDone] = useState<string[]>([]);
  const [inbox, error, reload] = useLoad(
    async () => {
      const [approvals, reviews] = await Promise.all([
        call<{ items: Approval[] }>(token, 'GET', '/v1/approvals?status=pending&assignee=me&limit=200'),
        call<{ items: Review[] }>(token, 'GET', '/v1/reviews?status=pending&assignee=me&limit=200'),
      ]);
      return { approvals: approvals.items, reviews: reviews.items };
    },
    [],
  );
  const decided = (what: string) => {
    setDone((d) => [...d, what]);
    reload();
  };
  return html`<section class="inbox-page">
    <${PageTitle} title="Waiting for me" />
    <div role="status">${done.length ? html`<ul class="notes">${done.map((d) => html`<li>${d}</li>`)}</ul>` : null}</div>
    ${!inbox ? html`<${Pending} error=${error} />` : null}
    ${inbox
      ? html`<h2>Approvals</h2>
          ${inbox.approvals.length ? inbox.approvals.map((a) => html`<${ApprovalCard} key=${a.id} approval=${a} onDecided=${decided} />`) : html`<${Empty} text="No approvals waiting for you." />`}
          <h2>Reviews</h2>
          ${inbox.reviews.length ? inbox.reviews.map((r) => html`<${ReviewCard} key=${r.id} review=${r} onDecided=${decided} />`) : html`<${Empty} text="No reviews waiting for you." />`}`
      : null}
  </section>`;
};
