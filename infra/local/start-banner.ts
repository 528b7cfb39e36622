import type { User } from '../../shared/domain/users/user.js';
import { DEMO_TIME_SCALE, demoRunsAt } from './demo/time-scale.js';
import type { LogFormat } from './log-format.js';

export interface StartBannerInput {
  apiUrl: string;
  sesUrl: string;
  /** Where DynamoDB runs, and the table. */
  dynamodb: string;
  /** Where the data is: in memory, under KEIRO_HOME, or in another DynamoDB. */
  where: string;
  seed: string;
  timeScale: number;
  /** The cloud's clock now (ahead of the wall clock once it ran faster). */
  localTime: Date;
  users: readonly Pick<User, 'id' | 'orgRole'>[];
  logFormat: LogFormat;
  env: Readonly<Record<string, string | undefined>>;
}

const portOf = (url: string): string => new URL(url).port;

/**
 * The command that runs the demo against this cloud from another terminal: `npm run demo` when the
 * cloud is where the demo looks by default (ports 3000 and 8005, `.keiro`), else with the settings it needs.
 */
export const demoCommand = (input: Pick<StartBannerInput, 'apiUrl' | 'sesUrl' | 'env'>): string => {
  const settings = [
    ...(portOf(input.apiUrl) !== '3000' ? [`PORT=${portOf(input.apiUrl)}`] : []),
    ...(portOf(input.sesUrl) !== '8005' ? [`SES_PORT=${portOf(input.sesUrl)}`] : []),
    ...(input.env.KEIRO_HOME ? [`KEIRO_HOME=${input.env.KEIRO_HOME}`] : []),
  ];
  return [...settings, 'npm run demo'].join(' ');
};

/**
 * What `npm start` prints once it is up and the start-up's own lines are done: where everything is (the
 * console first), the demo command, how to get a token, and what the lines below it will be.
 */
export const startBanner = (input: StartBannerInput): string => {
  const { apiUrl, sesUrl } = input;
  const scale =
    input.timeScale === 1 ? '1× (the real time)' : `${input.timeScale}× (the cloud's time runs ${input.timeScale} times faster; now ${input.localTime.toISOString()})`;
  const demoNote = demoRunsAt(input.timeScale) ? '' : `   (it runs this cloud at ${DEMO_TIME_SCALE}× while it plays)`;
  const below =
    input.logFormat === 'text'
      ? 'Below: one line per business event (who did what to which record; the time is the cloud\'s).\nEvery JSON log and metric line, as the Lambdas write them in AWS: npm start -- --verbose (or LOG_FORMAT=json).'
      : 'Below: one JSON line per request and event handled (with its correlationId) and one EMF line per\nbusiness metric (namespace Keiro), as the Lambdas write them to CloudWatch Logs (shared/adapters/README.md).';
  return `
Keiro is running locally (${input.where}).

  Console        ${apiUrl}/console
  API reference  ${apiUrl}/v1/docs
  API            ${apiUrl}/v1   (try: curl ${apiUrl}/v1/health)
  Mail viewer    ${sesUrl}   (sent mail as JSON: ${sesUrl}/store)
  DynamoDB       ${input.dynamodb}
  Demo seed      ${input.seed}
  Time scale     ${scale}

The demo, in another terminal:  ${demoCommand(input)}${demoNote}
Seeded users:  ${input.users.map((u) => `${u.id} (${u.orgRole})`).join(', ')}
A token:       npm run --silent token -- u-agent
Then:          curl -H "Authorization: Bearer $(npm run --silent token -- u-agent)" ${apiUrl}/v1/me

${below}

Ctrl+C stops everything.
`;
};
