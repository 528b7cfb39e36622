/**
 * `npm run demo`: the travel agency, end to end, against a running `npm start`.
 * Finds the cloud as `npm start` places it: PORT (API, 3000) and SES_PORT (8005) on 127.0.0.1, tokens
 * signed with the local key under KEIRO_HOME (.keiro), as `npm run token` does. The story waits 2 and 3
 * days of the cloud's time: it reads the cloud's time scale (`GET /v1/health`) and, when the cloud runs
 * slower than the story needs (a plain `npm start` runs in real time), runs it at 3600× while it plays and
 * puts it back after. Prints each step as it is done; exits 1 naming the step that failed, 2 on bad usage.
 */
import { parseArgs } from 'node:util';
import { loadOrCreateKeys, signToken } from '../auth-keys.js';
import { keiroHome } from '../paths.js';
import { groupsFor } from '../seed-users.js';
import { formatJourney, formatStep } from './print.js';
import { runStory, StepFailed } from './story.js';
import { demoTime, DemoTimeUnavailable, type DemoTime } from './time-scale.js';

try {
  parseArgs({ options: {} });
} catch (error) {
  process.stderr.write(`${(error as Error).message}\nusage: npm run demo   (against a running npm start; it reads the cloud's time scale)\n`);
  process.exit(2);
}

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
  if (!health?.ok) return `No Keiro answers at ${baseUrl}: start it first (npm start), with the same PORT and SES_PORT.`;
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

let time: DemoTime;
try {
  time = await demoTime(baseUrl, () => tokenFor('u-admin'));
} catch (error) {
  if (!(error instanceof DemoTimeUnavailable)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
}
const { timeScale } = time;
// Ctrl+C during the story: the cloud goes back to its own pace all the same.
const interrupted = () =>
  void time.restore().finally(() => {
    process.exit(130);
  });
process.once('SIGINT', interrupted);
process.once('SIGTERM', interrupted);

console.log(`The travel agency, end to end — against ${baseUrl} (mail: ${sesEndpoint}, time scale ${timeScale}×)`);
if (time.changedFrom !== undefined) {
  console.log(`The cloud ran at ${time.changedFrom}×; the story waits days of its time, so it runs at ${timeScale}× while the story plays, then at ${time.changedFrom}× again (its clock stays ahead by the days the story took).`);
}
console.log('');
let exitCode = 0;
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
  console.error(`  (A wait on the cloud's time that ran out? The cloud ran at ${timeScale}× for the story.)`);
  exitCode = 1;
} finally {
  await time.restore();
}
process.exit(exitCode);
