import type { DemoClient } from './client.js';
import { humanise, namePeople } from '../../../shared/domain/records/labels.js';
import { STANDARD_MODULES } from '../../../shared/domain/records/standard-modules.js';
import { SEED_USERS } from '../seed-users.js';

const MODULES = Object.fromEntries(STANDARD_MODULES.map((m) => [m.name, m]));
const PEOPLE = Object.fromEntries(SEED_USERS.map((u) => [u.id, u.name]));

/** What the demo says, in people's words: names, not user ids; the modules' labels, not field names. */
export const inWords = (text: string): string => humanise(namePeople(text, PEOPLE), MODULES);

/** What one step of the story did, as a person reads it. */
export interface StepReport {
  n: number;
  title: string;
  /** What happened, in order. */
  happened: string[];
  /** Emails that went out (SES local), in order. */
  emails: Array<{ subject: string; to: string }>;
  /** Tasks that appeared, each in its assignee's `GET /v1/tasks?assignee=me`. */
  tasks: Array<{ assignee: string; subject: string; dueDate?: string }>;
  /** The customer's state in the journey when the step ended. */
  journeyState?: string;
}

/** The customer the story follows (personal data: the scan of the logs looks for every value). */
export interface Customer {
  firstName: string;
  lastName: string;
  email: string;
  phone: string;
  destination: string;
  changeDetails: string;
}

/** Ids the steps find and pass on. */
export interface StoryIds {
  wizardId?: string;
  cadenceId?: string;
  journeyId?: string;
  kioskId?: string;
  leadId?: string;
  contactId?: string;
  instanceId?: string;
  applicationId?: string;
  applicationName?: string;
  caseId?: string;
  dealId?: string;
  approvalId?: string;
  requestId?: string;
}

interface Task {
  id: string;
  subject: string;
  relatedId?: string;
  dueDate?: string;
}

/** One step in progress: the client, the shared ids, and the report it fills. */
export class Step {
  readonly report: StepReport;

  constructor(
    readonly api: DemoClient,
    readonly ids: StoryIds,
    readonly customer: Customer,
    n: number,
    title: string,
  ) {
    this.report = { n, title, happened: [], emails: [], tasks: [] };
    api.enter(`${n}. ${title}`);
  }

  said(text: string): void {
    this.report.happened.push(inWords(text));
  }

  need<K extends keyof StoryIds>(key: K): NonNullable<StoryIds[K]> {
    const value = this.ids[key];
    if (value === undefined) this.api.fail(`needs ${key} from an earlier step`);
    return value as NonNullable<StoryIds[K]>;
  }

  /** Waits for an email to go out and reports it. */
  async email(to: string, subject: string, timeoutMs?: number) {
    const mail = await this.api.mail(to, subject, timeoutMs);
    this.report.emails.push({ subject, to });
    return mail;
  }

  /** Waits for a task to appear in `assignee`'s own list (`GET /v1/tasks?assignee=me`) and reports it. */
  async task(assignee: string, subject: string, relatedTo?: string | string[], timeoutMs?: number): Promise<Task> {
    const related = typeof relatedTo === 'string' ? [relatedTo] : relatedTo;
    const task = await this.api.until(
      `the task "${subject}" for ${assignee}`,
      async () => {
        // Every page: a busy assignee (the soak's u-agent) has more open tasks than one page holds.
        for (let cursor: string | undefined, first = true; first || cursor; first = false) {
          const page = await this.api.expect<{ items: Task[]; nextCursor?: string }>(200, assignee, 'GET', `/v1/tasks?assignee=me&limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
          const found = page.items.find((t) => t.subject === subject && (related === undefined || related.includes(t.relatedId ?? '')));
          if (found) return found;
          cursor = page.nextCursor;
        }
        return undefined;
      },
      timeoutMs,
    );
    this.report.tasks.push({ assignee, subject, ...(task.dueDate ? { dueDate: task.dueDate } : {}) });
    return task;
  }

  /** Waits until the customer's journey instance is in `state` (read from the lead) and reports it. */
  async journeyIn(state: string, timeoutMs?: number): Promise<{ instanceId: string; state: string; history: Array<{ state: string; reason: string }> }> {
    const leadId = this.need('leadId');
    const instance = await this.api.until(
      `the journey to reach "${state}"`,
      async () => {
        const list = await this.api.expect<{ items: Array<{ journeyId: string; instanceId: string; state: string; history: Array<{ state: string; reason: string }> }> }>(200, 'u-agent', 'GET', `/v1/records/Leads/${leadId}/journeys`);
        const mine = list.items.find((i) => i.journeyId === this.ids.journeyId);
        return mine?.state === state ? mine : undefined;
      },
      timeoutMs,
    );
    this.ids.instanceId = instance.instanceId;
    this.report.journeyState = state;
    return instance;
  }
}
