/**
 * What the demo asks of the cloud's time: the story waits 2 and 3 days of it (a cadence's "no reply
 * within 2 days", the journey's "no reply in 3 days"), each at most 10 minutes of wall time. So the cloud
 * must run at least 432 times faster than real time; 3600 (an hour a second) plays the story in about
 * two minutes.
 */
export const DEMO_LONGEST_WAIT_MS = 3 * 86_400_000;
export const DEMO_MAX_WALL_WAIT_MS = 10 * 60_000;
export const DEMO_MIN_TIME_SCALE = DEMO_LONGEST_WAIT_MS / DEMO_MAX_WALL_WAIT_MS;
/**
 * The story's tightest margin of the cloud's time, which the cloud's pace must not outrun: the story
 * qualifies the lead (step 3) right after the cadence's follow-up email (step 2), and that takes the lead
 * out of the cadence; the cadence's next step, "Call the lead", comes 2 days after the follow-up and
 * would end the enrollment first. (The journey's "14 days in lead → nurture" leaves 12 days after the
 * story's 2-day wait: looser.)
 */
export const STORY_MARGIN_MS = 2 * 86_400_000;
/** The fastest pace at which the story, taking up to `wallMs` for what follows an event, is not outrun. */
export const storyMaxTimeScale = (wallMs: number): number => Math.floor(STORY_MARGIN_MS / wallMs);
/** The time scale the demo asks for when the cloud runs slower than it needs. */
export const DEMO_TIME_SCALE = 3600;

/** Whether a cloud at this time scale plays the story within its bounds. */
export const demoRunsAt = (timeScale: number): boolean => timeScale >= DEMO_MIN_TIME_SCALE;

/** The time scale the story plays at, and what puts the cloud's scale back as it was. */
export interface DemoTime {
  timeScale: number;
  /** The scale the cloud ran at before the demo changed it; undefined: the demo changed nothing. */
  changedFrom?: number;
  /** Puts the cloud's scale back (nothing when the demo changed nothing). */
  restore: () => Promise<void>;
}

/** Why the demo cannot set the cloud's pace, with the exact commands that work instead. */
export class DemoTimeUnavailable extends Error {}

const putTimeScale = async (baseUrl: string, token: string, timeScale: number): Promise<Response> =>
  fetch(`${baseUrl}/v1/dev/time-scale`, { method: 'PUT', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ timeScale }) });

/**
 * How fast the story will play: the cloud says its time scale (`GET /v1/health`). A cloud fast enough
 * is left alone; a slower one (a plain `npm start` runs in real time) is asked, as org admin through the
 * local-only `PUT /v1/dev/time-scale`, to run at DEMO_TIME_SCALE while the story plays, and `restore`
 * puts it back (its clock stays ahead by the days the story took: business time never goes back).
 * A cloud that cannot change pace fails at once, naming the commands that work.
 */
export const demoTime = async (baseUrl: string, adminToken: () => Promise<string>): Promise<DemoTime> => {
  const instead = `stop it and run: npm start -- --time-scale ${DEMO_TIME_SCALE}   (then: npm run demo)`;
  const health = (await (await fetch(`${baseUrl}/v1/health`)).json()) as { timeScale?: unknown };
  const current = health.timeScale;
  if (typeof current !== 'number') throw new DemoTimeUnavailable(`The cloud at ${baseUrl} does not say its time scale: ${instead}`);
  if (demoRunsAt(current)) return { timeScale: current, restore: async () => undefined };
  const changed = await putTimeScale(baseUrl, await adminToken(), DEMO_TIME_SCALE);
  if (changed.status !== 200) {
    throw new DemoTimeUnavailable(`The cloud at ${baseUrl} runs at ${current}× and cannot be sped up (${changed.status} from PUT /v1/dev/time-scale); the story waits 3 days of its time: ${instead}`);
  }
  return { timeScale: DEMO_TIME_SCALE, changedFrom: current, restore: async () => void (await putTimeScale(baseUrl, await adminToken(), current)) };
};
