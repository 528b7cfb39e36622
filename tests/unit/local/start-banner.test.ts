import { describe, expect, it } from 'vitest';
import { applyLogFormat, logFormatFrom } from '../../../infra/local/log-format.js';
import { demoCommand, startBanner } from '../../../infra/local/start-banner.js';

const input = {
  apiUrl: 'http://127.0.0.1:3000',
  sesUrl: 'http://127.0.0.1:8005',
  dynamodb: 'http://127.0.0.1:8000   (table keiro)',
  where: 'data in /repo/.keiro',
  seed: 'seeded',
  timeScale: 1,
  localTime: new Date('2026-12-06T12:00:00.000Z'),
  users: [{ id: 'u-admin', orgRole: 'admin' as const }],
  logFormat: 'text' as const,
  env: {},
};

describe("npm start's banner", () => {
  it('lists the console, the API reference, the API, the mail viewer and the demo command', () => {
    const banner = startBanner(input);
    for (const line of ['Console        http://127.0.0.1:3000/console', 'API reference  http://127.0.0.1:3000/v1/docs', 'API            http://127.0.0.1:3000/v1', 'Mail viewer    http://127.0.0.1:8005', 'The demo, in another terminal:  npm run demo']) {
      expect(banner).toContain(line);
    }
    expect(banner.indexOf('Console')).toBeLessThan(banner.indexOf('API reference'));
  });

  it('says the demo speeds a real-time cloud up, and not a fast one', () => {
    expect(startBanner(input)).toContain('npm run demo   (it runs this cloud at 3600× while it plays)');
    expect(startBanner({ ...input, timeScale: 3600 })).not.toContain('while it plays');
  });

  it('gives the demo the settings that find this cloud', () => {
    expect(demoCommand({ apiUrl: 'http://127.0.0.1:3000', sesUrl: 'http://127.0.0.1:8005', env: {} })).toBe('npm run demo');
    expect(demoCommand({ apiUrl: 'http://127.0.0.1:41234', sesUrl: 'http://127.0.0.1:41235', env: { KEIRO_HOME: '/tmp/k' } })).toBe('PORT=41234 SES_PORT=41235 KEIRO_HOME=/tmp/k npm run demo');
  });

  it('says what the lines below it are, and how to get the JSON ones', () => {
    expect(startBanner(input)).toContain('npm start -- --verbose (or LOG_FORMAT=json)');
    expect(startBanner({ ...input, logFormat: 'json' })).toContain('one EMF line per');
  });
});

describe('the log format of npm start', () => {
  it('is readable text unless --verbose or LOG_FORMAT=json; an unknown one is refused', () => {
    expect(logFormatFrom(false, undefined)).toBe('text');
    expect(logFormatFrom(false, 'JSON')).toBe('json');
    expect(logFormatFrom(true, 'text')).toBe('json');
    expect(() => logFormatFrom(false, 'yaml')).toThrow('LOG_FORMAT must be one of text, json, got yaml');
  });

  it('turns the EMF lines and the info lines off for text, leaving what the user set', () => {
    const env: NodeJS.ProcessEnv = { POWERTOOLS_LOG_LEVEL: 'DEBUG' };
    applyLogFormat('text', env);
    expect(env).toEqual({ POWERTOOLS_LOG_LEVEL: 'DEBUG', POWERTOOLS_METRICS_DISABLED: 'true' });
    const json: NodeJS.ProcessEnv = {};
    applyLogFormat('json', json);
    expect(json).toEqual({});
  });
});
