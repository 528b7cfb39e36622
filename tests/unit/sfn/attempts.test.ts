import { describe, expect, it } from 'vitest';
import type { AslDefinition } from '../../../infra/local/sfn/asl.js';
import { taskTimeoutsMs } from '../../../infra/local/sfn/attempts.js';

describe('taskTimeoutsMs', () => {
  it('is each Task’s TimeoutSeconds, else the 60 s default, nested ones too; a run-time TimeoutSecondsPath is left out', () => {
    const definition: AslDefinition = {
      StartAt: 'Wake',
      States: {
        Wake: { Type: 'Task', Resource: 'arn:aws:lambda:local:000000000000:function:Wake', TimeoutSeconds: 360, Next: 'Each' },
        Each: {
          Type: 'Map',
          ItemProcessor: { StartAt: 'Send', States: { Send: { Type: 'Task', Resource: 'arn:aws:lambda:local:000000000000:function:Send', End: true } } },
          Next: 'Later',
        },
        Later: { Type: 'Task', Resource: 'arn:aws:lambda:local:000000000000:function:Later', TimeoutSecondsPath: '$.timeout', Next: 'Done' },
        Done: { Type: 'Succeed' },
      },
    };
    expect(taskTimeoutsMs(definition)).toEqual(new Map([['Wake', 360_000], ['Send', 60_000]]));
  });
});
