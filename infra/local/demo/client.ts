import { randomUUID } from 'node:crypto';
import { readSentMail, type StoredMail } from '../ses-local.js';
import type { StepReport } from './step.js';

/** Where the story runs: a local cloud's API, its SES local, a token per demo user, and the cloud's time scale. */
export interface DemoTarget {
  /** The API's base URL, e.g. http://127.0.0.1:3000 (no trailing /v1). */
  baseUrl: string;
  /** SES local, e.g. http://127.0.0.1:8005 (sent mail is read back from its /store). */
  sesEndpoint: string;
  /** A bearer token for a demo user, as `npm run token` prints it. */
  tokenFor: (userId: string) => Promise<string>;
  /** The cloud's time scale (`npm start -- --time-scale <n>`): sizes the waits for what takes simulated days. */
  timeScale: number;
  /** Wall-clock bound for what follows an event (outbox → bus → consumer); default 30 s. */
  eventWaitMs?: number;
  /** Reads SES local's sent mail; default one GET /store per read (the soak shares one reader among its stories). */
  readMail?: () => Promise<StoredMail[]>;
  /** Hears each API call as it answers (the soak times each step's requests and counts 5xx). */
  onCall?: (call: ApiCall) => void;
  /**
   * Hears each poll attempt that found nothing yet, by the X-Correlation-Id its API calls carried (a front
   * end would not have asked that often: the bench leaves these calls out of the story's bill).
   */
  onPollMissed?: (correlationId: string) => void;
}

/** One API call of the story, as `onCall` hears it. */
export interface ApiCall {
  step: string;
  method: string;
  path: string;
  status: number;
  ms: number;
}

/** A step of the story did not happen: names the step and what was missing. */
export class StepFailed extends Error {
  /** What the failing step had done before it failed (set by the story). */
  done?: StepReport;

  constructor(
    readonly step: string,
    message: string,
  ) {
    super(`Step "${step}": ${message}`);
    this.name = 'StepFailed';
  }
}

export interface ApiAnswer<T = unknown> {
  status: number;
  body: T;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The story's view of the cloud while one step runs: HTTP calls as a demo user that must answer as
 * expected, bounded polls, and mail read back from SES local (each message is matched once).
 */
export class DemoClient {
  private step = 'start';
  private readonly seenMail = new Set<string>();
  /** The X-Correlation-Id of the poll attempt running now, carried by its API calls. */
  private pollAttempt: string | undefined;

  constructor(readonly target: DemoTarget) {}

  private readMail(): Promise<StoredMail[]> {
    return this.target.readMail ? this.target.readMail() : readSentMail(this.target.sesEndpoint);
  }

  /** Names the step that failures are reported under. */
  enter(step: string): void {
    this.step = step;
  }

  fail(message: string): never {
    throw new StepFailed(this.step, message);
  }

  /** Mail already in SES local is not this run's: later waits only match new messages. */
  async ignoreMailSoFar(): Promise<void> {
    for (const m of await this.readMail()) this.seenMail.add(m.messageId);
  }

  async call<T = unknown>(userId: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiAnswer<T>> {
    const all: Record<string, string> = { authorization: `Bearer ${await this.target.tokenFor(userId)}`, ...(this.pollAttempt ? { 'x-correlation-id': this.pollAttempt } : {}), ...headers };
    if (body !== undefined) all['content-type'] = 'application/json';
    const started = performance.now();
    const res = await fetch(`${this.target.baseUrl}${path}`, { method, headers: all, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
    const text = await res.text();
    this.target.onCall?.({ step: this.step, method, path, status: res.status, ms: performance.now() - started });
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      /* not JSON: keep the text */
    }
    return { status: res.status, body: parsed as T };
  }

  /** A call that must answer `status`; anything else fails the step with the answer's detail. */
  async expect<T = unknown>(status: number, userId: string, method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<T> {
    const res = await this.call<T>(userId, method, path, body, headers);
    if (res.status !== status) this.fail(`${userId} ${method} ${path} answered ${res.status}, expected ${status}: ${JSON.stringify(res.body).slice(0, 500)}`);
    return res.body;
  }

  /** Polls `check` until it returns a value, at most `timeoutMs` (default: the event wait). */
  async until<T>(what: string, check: () => Promise<T | undefined | false>, timeoutMs = this.target.eventWaitMs ?? 30_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const attempt = `poll-${randomUUID()}`;
      this.pollAttempt = attempt;
      const value = await check().finally(() => {
        this.pollAttempt = undefined;
      });
      if (value !== undefined && value !== false) return value;
      this.target.onPollMissed?.(attempt);
      if (Date.now() > deadline) this.fail(`${what} did not happen within ${(timeoutMs / 1000).toFixed(1)} s`);
      await pause(100);
    }
  }

  /** The wall-clock bound for something the cloud does after `simulatedMs` of its time, plus the event wait. */
  afterSimulated(simulatedMs: number): number {
    return simulatedMs / this.target.timeScale + (this.target.eventWaitMs ?? 30_000);
  }

  /** Waits for a new message to `to` whose subject is `subject`; returns it (matched once). */
  async mail(to: string, subject: string, timeoutMs?: number): Promise<StoredMail> {
    const found = await this.until(
      `an email "${subject}" to ${to}`,
      async () => (await this.readMail()).find((m) => !this.seenMail.has(m.messageId) && m.subject === subject && m.destination.to.some((t) => t.toLowerCase() === to.toLowerCase())),
      timeoutMs,
    );
    this.seenMail.add(found.messageId);
    return found;
  }
}
