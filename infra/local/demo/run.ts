/**
 * `npm run demo [-- --time-scale <n>]`: the travel agency, end to end, against a running `npm start`.
 * Finds the cloud as `npm start` places it: PORT (API, 3000) and SES_PORT (8005) on 127.0.0.1, tokens
 * signed with the local key under KEIRO_HOME (.keiro), as `npm run token` does. The time scale must be the
 * cloud's (`npm start -- --time-scale <n>`; default: TIME_SCALE, else 3600): the story waits 2 and 3 days
 * of the cloud's time. Prints each step as it is done; exits 1 naming the step that failed, 2 on bad usage.
 */
import { parseArgs } from 'node:util';
import { loadOrCreateKeys, signToken } from '../auth-keys.js';
import { keiroHome } from '../paths.js';
import { groupsFor } from '../seed-users.js';
import { formatJourney, formatStep } from './print.js';
import { runStory, StepFailed } from './story.js';

const LONGEST_WAIT_MS = 3 * 86_400_000;
const MAX_WALL_WAIT_MS = 10 * 60_000;

const usage = (message: string): never => {
  process.stderr.write(`${message}\nusage: npm run demo [-- --time-scale <n>]   (the cloud: npm start -- --time-scale <n>)\n`);
  process.exit(2);
};

const { values } = parseArgs({ options: { 'time-scale': { type: 'string', default: process.env.TIME_SCALE ?? '3600' } } });
const timeScale = Number(values['time-scale']);
if (!(timeScale > 0 && Number.isFinite(timeScale))) usage('--time-scale must be a positive number');
if (LONGEST_WAIT_MS / timeScale > MAX_WALL_WAIT_MS) usage(`At time scale ${timeScale} the story's 3-day wait would last ${Math.round(LONGEST_WAIT_MS / timeScale / 60_000)} minutes: run the cloud and the demo with --time-scale 3600 (or more).`);

const port = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const baseUrl = `http://127.0.0.1:${port('PORT', 3000)}`;
const sesEndpoint = `http://127.0.0.1:${port('SES_PORT', 8005)}`;

const keys = await loadOrCreateKeys(keiroHome());
const tokens = new Map<string, Promise<string>>();
const tokenFor = (userId: string) => {
  if (!tokens.has(userId)) tokens.set(userId, signToken(keys, { sub: userId, email: `${userId}@keiro.example`, groups: groupsFor(userId) }));
  return tokens.get(userId) as Promise<string>;
};

const preflight = async () => {
  const health = await fetch(`${baseUrl}/v1/health`).catch(() => undefined);
  if (!health?.ok) return `No Keiro answers at ${baseUrl}: start it first (npm start -- --in-memory --time-scale ${timeScale}), with the same PORT and SES_PORT.`;
  const me = await fetch(`${baseUrl}/v1/me`, { headers: { authorization: `Bearer ${await tokenFor('u-agent')}` } });
  if (me.status === 401) return `The cloud at ${baseUrl} refuses tokens signed with the key under ${keiroHome()}: run the demo from the directory npm start runs in (or with its KEIRO_HOME).`;
  const mail = await fetch(`${sesEndpoint}/store`).catch(() => undefined);
  if (!mail?.ok) return `No SES local answers at ${sesEndpoint}: set SES_PORT as for npm start.`;
  return undefined;
};

const problem = await preflight();
if (problem) {
  process.stderr.write(`${problem}\n`);
  process.exit(1);
}

console.log(`The travel agency, end to end — against ${baseUrl} (mail: ${sesEndpoint}, time scale ${timeScale}×)\n`);
try {
  const result = await runStory(
    { baseUrl, sesEndpoint, tokenFor, timeScale },
    { onStepStart: (n, title) => console.log(`${n}. ${title}`), onStep: (report) => console.log(`${formatStep(report, { title: false })}\n`) },
  );
  console.log(formatJourney(result.journey));
  console.log(`\nAll ${result.steps.length} steps done. The customer: lead ${result.ids.leadId}, contact ${result.ids.contactId}, travel application ${result.ids.applicationId}.`);
} catch (error) {
  if (!(error instanceof StepFailed)) throw error;
  if (error.done) console.log(formatStep(error.done, { title: false }));
  console.error(`\n✗ ${error.message}`);
  console.error(`  (A wait on the cloud's time that ran out? Check that the cloud runs with --time-scale ${timeScale}.)`);
  process.exit(1);
}
