/**
 * What the demo asks of the cloud's time: the story waits 2 and 3 days of it (a cadence's "no reply
 * within 2 days", the journey's "no reply in 3 days"), each at most 10 minutes of wall time. So the cloud
 * must run at least 432 times faster than real time; 3600 (an hour a second) plays the story in about
 * two minutes.
 */
export const DEMO_LONGEST_WAIT_MS = 3 * 86_400_000;
export const DEMO_MAX_WALL_WAIT_MS = 10 * 60_000;
export const DEMO_MIN_TIME_SCALE = DEMO_LONGEST_WAIT_MS / DEMO_MAX_WALL_WAIT_MS;
/** The time scale the demo asks for when the cloud runs slower than it needs. */
export const DEMO_TIME_SCALE = 3600;

/** Whether a cloud at this time scale plays the story within its bounds. */
export const demoRunsAt = (timeScale: number): boolean => timeScale >= DEMO_MIN_TIME_SCALE;
