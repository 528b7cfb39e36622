import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SDK_NODE_VERSION_WARNING_SWITCH, silenceSdkNodeVersionWarning } from '../../../infra/local/sdk-node-warning.js';

const repoRoot = resolve(import.meta.dirname, '../../..');

/** Builds an SDK client in a fresh node process (the SDK warns at most once per process) and returns its stderr. */
const stderrOfClient = (env: NodeJS.ProcessEnv): string =>
  spawnSync(
    process.execPath,
    ['--input-type=module', '-e', "const { DynamoDBClient } = await import('@aws-sdk/client-dynamodb'); new DynamoDBClient({ region: 'ap-northeast-1' }); process.emitWarning('another warning');"],
    { cwd: repoRoot, env, encoding: 'utf8' },
  ).stderr;

describe("the AWS SDK's Node-version warning", () => {
  it('is silenced in the processes `npm test` runs (set by vitest.config.ts, inherited by the workers), and no other warning is', () => {
    const stderr = stderrOfClient(process.env);
    expect(stderr).not.toContain('NodeVersionSupportWarning');
    expect(stderr).toContain('another warning');
  });

  it.runIf(Number(process.versions.node.split('.')[0]) < 22)('would print on this Node without the switch (so the test above can fail)', () => {
    const env = { ...process.env };
    delete env[SDK_NODE_VERSION_WARNING_SWITCH];
    expect(stderrOfClient(env)).toContain('NodeVersionSupportWarning');
  });

  it('is switched off only on Node < 22', () => {
    const before = process.env[SDK_NODE_VERSION_WARNING_SWITCH];
    try {
      delete process.env[SDK_NODE_VERSION_WARNING_SWITCH];
      silenceSdkNodeVersionWarning('22.23.3');
      expect(process.env[SDK_NODE_VERSION_WARNING_SWITCH]).toBeUndefined();
      silenceSdkNodeVersionWarning('20.19.0');
      expect(process.env[SDK_NODE_VERSION_WARNING_SWITCH]).toBe('true');
    } finally {
      if (before === undefined) delete process.env[SDK_NODE_VERSION_WARNING_SWITCH];
      else process.env[SDK_NODE_VERSION_WARNING_SWITCH] = before;
    }
  });
});
