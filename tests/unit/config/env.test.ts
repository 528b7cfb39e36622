import { describe, expect, it } from 'vitest';
import { parseEnv } from '../../../shared/config/env.js';

const minimal = { TABLE_NAME: 'keiro-dev' };

describe('parseEnv (the cold start reads its environment once)', () => {
  it('fills the defaults of what a function may leave unset', () => {
    expect(parseEnv(minimal)).toEqual({
      TABLE_NAME: 'keiro-dev',
      EVENT_BUS_NAME: 'keiro',
      MAIL_FROM: 'no-reply@keiro.example',
      MAIL_SENDER_NAME: 'Keiro Travel',
      AWS_REGION: 'ap-northeast-1',
      DEFAULT_PHONE_REGION: 'JP',
    });
  });

  it('keeps what is set, trims the sender name and ignores variables it does not know', () => {
    const env = parseEnv({
      ...minimal,
      MAIL_SENDER_NAME: '  Keiro Tours ',
      DYNAMODB_ENDPOINT: 'http://127.0.0.1:8000',
      TIMER_STATE_MACHINE_ARN: 'arn:aws:states:ap-northeast-1:000000000000:stateMachine:timer',
      WEBHOOK_SIGNING_SECRET: 's'.repeat(16),
      PATH: '/usr/bin',
    });
    expect(env).toMatchObject({ MAIL_SENDER_NAME: 'Keiro Tours', DYNAMODB_ENDPOINT: 'http://127.0.0.1:8000', WEBHOOK_SIGNING_SECRET: 's'.repeat(16) });
    expect(env).not.toHaveProperty('PATH');
  });

  it('fails the cold start naming every bad variable, in English, without its value', () => {
    const bad = {
      TABLE_NAME: '',
      MAIL_FROM: 'not-an-address',
      MAIL_SENDER_NAME: 'x'.repeat(101),
      DYNAMODB_ENDPOINT: 'nowhere',
      DEFAULT_PHONE_REGION: 'JPN',
      TIMER_STATE_MACHINE_ARN: 'states:timer',
      WEBHOOK_SIGNING_SECRET: 'short',
    };
    let message = '';
    try {
      parseEnv(bad);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/^Invalid environment: /);
    for (const name of Object.keys(bad)) expect(message).toContain(`${name}: `);
    expect(message).toContain('TABLE_NAME: Too small');
    expect(message).toContain('MAIL_FROM: Invalid email address');
    expect(message).toContain('TIMER_STATE_MACHINE_ARN: Invalid string: must start with "arn:"');
    expect(message).not.toContain('not-an-address');
  });

  it('fails the cold start when the table is not named at all', () => {
    expect(() => parseEnv({})).toThrow(/^Invalid environment: TABLE_NAME: Invalid input: expected string, received undefined$/);
  });
});
