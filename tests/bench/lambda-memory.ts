import { buildApp } from '../../infra/app.js';
import { visitStates, type AslDefinition } from '../../infra/local/sfn/asl.js';
import { readTemplate, type CfnTemplate } from '../../infra/local/sfn/index.js';

/**
 * Each deployed Lambda's memory, read from the CDK app itself (synthesized without bundling): by its
 * `POWERTOOLS_SERVICE_NAME` (`keiro-<area>`, `keiro-<consumer>`, `keiro-outbox`, `keiro-timer-wake`), and
 * each state-machine Task state's function by the state's name (the key the local runner serves it by).
 */
export interface LambdaMemory {
  memoryMbOf: (service: string) => number;
  /** The service name of the function a Task state calls. */
  serviceOfTask: (state: string) => string | undefined;
}

export const readLambdaMemory = (): LambdaMemory => {
  const { app, data, api, workflows } = buildApp({ context: { bundling: 'false' }, nag: false, requireAlarms: false, cloudFormationValidation: false });
  const assembly = app.synth();
  const memory = new Map<string, number>();
  const serviceByLogicalId = new Map<string, string>();
  const taskService = new Map<string, string>();
  for (const stack of [data, api, workflows]) {
    const template = assembly.getStackArtifact(stack.artifactId).template as CfnTemplate & { Resources: Record<string, { Type: string; Properties?: any }> };
    for (const [logicalId, resource] of Object.entries(template.Resources)) {
      if (resource.Type !== 'AWS::Lambda::Function') continue;
      const service = resource.Properties?.Environment?.Variables?.POWERTOOLS_SERVICE_NAME as string | undefined;
      if (!service) continue;
      // CloudFormation's default when a function names no memory.
      memory.set(service, Number(resource.Properties?.MemorySize ?? 128));
      serviceByLogicalId.set(logicalId, service);
    }
    const { stateMachines, functions } = readTemplate(template);
    for (const machine of stateMachines) {
      visitStates(machine.definition as AslDefinition, (state, body) => {
        const fn = typeof body.Resource === 'string' ? functions.get(body.Resource) : undefined;
        const service = fn ? serviceByLogicalId.get(fn.logicalId) : undefined;
        if (service) taskService.set(state, service);
      });
    }
  }
  return {
    memoryMbOf: (service) => {
      const mb = memory.get(service);
      if (mb === undefined) throw new Error(`No deployed Lambda has the service name ${service} (infra/): the bill cannot price it`);
      return mb;
    },
    serviceOfTask: (state) => taskService.get(state),
  };
};
