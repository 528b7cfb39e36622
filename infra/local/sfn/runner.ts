import './polyfills.js';
import { ExecutionTimeoutError, StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { visitStates, type AslDefinition, type LocalHandler } from './asl.js';
import { oneAttemptAtATime, taskTimeoutsMs } from './attempts.js';
import { createExecutionStore, type ExecutionRecord, type ExecutionStatus, type FinalOutcome } from './execution-store.js';
import { LOCAL_ACCOUNT, LOCAL_REGION, type CfnTemplate } from './intrinsics.js';
import { adaptHandler, bindTasks, type TaskBinding } from './tasks.js';
import { readTemplate } from './template.js';
import { boundTimeouts, rewriteWaits, scaledWaitHandler, type ChangingTimeScale } from './waits.js';

/** The time scale in force: a number, or a changing one's current value (default 1). */
const scaleNow = (scale: number | ChangingTimeScale | undefined): number => (typeof scale === 'object' ? scale.current() : (scale ?? 1));

export interface LocalSfnRunnerOptions {
  /** Synthesized CloudFormation template(s): `Template.fromStack(stack).toJSON()` or a synth artifact's template. */
  template: CfnTemplate | CfnTemplate[];
  /** Local task handlers, keyed by Task state name or by the Lambda's logical id. */
  handlers: Record<string, LocalHandler>;
  db: DynamoDBDocumentClient;
  tableName: string;
  /**
   * Simulated seconds per wall-clock second for Wait states (default 1; 86400 = a day per second); a
   * changing one (the local cloud's clock) re-reckons running waits when it changes. Execution timeouts
   * are scaled by the value at start.
   */
  timeScale?: number | ChangingTimeScale;
  /** The runner's clock: start/stop times and Timestamp waits (default: real time). */
  clock?: () => Date;
  /** Replaces every Retry pause with this many milliseconds (default: the definition's policy, unscaled). */
  retryIntervalMs?: number;
  newId?: () => string;
  /** Called when an outcome cannot be recorded; the execution then stays RUNNING for recover(). */
  onError?: (error: unknown, executionId: string) => void;
  /** Hears what runs unlike AWS but is survived: a task attempt outliving its timeout (attempts.ts). Default: console.warn. */
  onWarning?: (message: string, executionId: string) => void;
}

/** STOPPED: interrupted by runner.stop(); still RUNNING in DynamoDB, so recover() restarts it. */
export type ExecutionOutcome = FinalOutcome | { status: 'STOPPED' };

export interface LocalExecution {
  executionId: string;
  stateMachine: string;
  /** Settles (never rejects) once the outcome is recorded. */
  result: Promise<ExecutionOutcome>;
  /** Names of the states entered so far, in order; complete once `result` settles. */
  visitedStates: readonly string[];
  /** Stops the execution for good (status ABORTED), like StopExecution. */
  abort(): Promise<ExecutionOutcome>;
}

export interface StateMachineInfo {
  name: string;
  logicalId: string;
  workflow?: string;
  tasks: TaskBinding[];
  /** Why it cannot run locally (unsupported resources, missing handlers); empty when it can. */
  problems: string[];
}

interface PreparedMachine extends StateMachineInfo {
  machine?: StateMachine;
  waitStates: string[];
  retryOverrides: Record<string, number>;
  taskTimeoutsMs: Map<string, number>;
}

/** ASL validation costs about half a second per definition: validate each definition once per process. */
const validated = new Set<string>();
const newStateMachine = (definition: AslDefinition): StateMachine => {
  const key = JSON.stringify(definition);
  const machine = new StateMachine(definition as unknown as StateMachineDefinition, { validationOptions: { noValidate: validated.has(key) } });
  validated.add(key);
  return machine;
};

const prepare = (options: LocalSfnRunnerOptions): Map<string, PreparedMachine> => {
  const machines = new Map<string, PreparedMachine>();
  for (const template of [options.template].flat()) {
    const { stateMachines, functions } = readTemplate(template);
    for (const sm of stateMachines) {
      if (machines.has(sm.name)) throw new Error(`two state machines are named "${sm.name}"`);
      const original = sm.definition as unknown as AslDefinition;
      const { bindings, problems } = bindTasks(original, functions, options.handlers);
      const rewritten = rewriteWaits(original);
      const definition = boundTimeouts(rewritten.definition, scaleNow(options.timeScale));
      const { waitStates } = rewritten;
      const retryOverrides: Record<string, number> = {};
      if (options.retryIntervalMs !== undefined) {
        visitStates(definition, (name, state) => {
          if (state.Retry) retryOverrides[name] = options.retryIntervalMs as number;
        });
      }
      let machine: StateMachine | undefined;
      try {
        machine = newStateMachine(definition);
      } catch (error) {
        problems.push((error as Error).message);
      }
      const { name, logicalId, workflow } = sm;
      machines.set(name, { name, logicalId, ...(workflow ? { workflow } : {}), tasks: bindings, problems, machine, waitStates, retryOverrides, taskTimeoutsMs: taskTimeoutsMs(definition) });
    }
  }
  return machines;
};

const failureOf = (error: unknown): FinalOutcome => {
  if (error instanceof ExecutionTimeoutError) return { status: 'FAILED', error: 'States.Timeout', cause: 'the execution timed out' };
  // ExecutionError wraps the state's error: its name is the ASL error (a Fail's Error, a thrown error's name).
  const inner = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  return inner instanceof Error
    ? { status: 'FAILED', error: inner.name, cause: inner.message }
    : { status: 'FAILED', error: 'Error', cause: String(inner) };
};

const outcomeOf = (record: ExecutionRecord): FinalOutcome =>
  record.status === 'SUCCEEDED' ? { status: 'SUCCEEDED', output: record.output }
  : record.status === 'FAILED' ? { status: 'FAILED', error: record.error ?? 'Error', cause: record.cause ?? '' }
  : { status: 'ABORTED' };

/**
 * Runs the state machines of a synthesized CDK app with aws-local-stepfunctions, each Lambda
 * task served by a local handler, Wait states scaled by `timeScale`, and every execution
 * recorded in DynamoDB so that recover() restarts the ones a previous process left RUNNING.
 */
export const createLocalSfnRunner = (options: LocalSfnRunnerOptions) => {
  const timeScale = scaleNow(options.timeScale);
  if (!(timeScale > 0 && Number.isFinite(timeScale))) throw new Error(`timeScale must be a positive number, got ${timeScale}`);
  const changingScale = typeof options.timeScale === 'object' ? options.timeScale : undefined;
  const clock = options.clock ?? (() => new Date());
  const newId = options.newId ?? ulid;
  const onError = options.onError ?? ((error, id) => console.error(`[local-sfn] execution ${id}: could not record its outcome`, error));
  const onWarning = options.onWarning ?? ((message, id) => console.warn(`[local-sfn] execution ${id}: ${message}`));
  const store = createExecutionStore(options.db, options.tableName);
  const machines = prepare(options);
  const live = new Map<string, { execution: LocalExecution; stop: () => Promise<ExecutionOutcome> }>();
  let stopped = false;

  const runnable = (name: string): PreparedMachine & { machine: StateMachine } => {
    const prepared = machines.get(name);
    if (!prepared) throw new Error(`unknown state machine "${name}" (known: ${[...machines.keys()].join(', ') || 'none'})`);
    if (!prepared.machine || prepared.problems.length > 0) {
      throw new Error(`state machine "${name}" cannot run locally:\n- ${prepared.problems.join('\n- ')}`);
    }
    return prepared as PreparedMachine & { machine: StateMachine };
  };

  const launch = (prepared: PreparedMachine & { machine: StateMachine }, executionId: string, input: unknown): LocalExecution => {
    const controller = new AbortController();
    let stopReason: 'abort' | 'stop' | undefined;
    const localHandlers: Record<string, LocalHandler> = {};
    for (const binding of prepared.tasks) {
      const adapted = adaptHandler(binding, options.handlers[binding.handlerKey] as LocalHandler, controller.signal);
      const { state } = binding;
      localHandlers[state] = oneAttemptAtATime(adapted, { state, timeoutMs: prepared.taskTimeoutsMs.get(state), signal: controller.signal, warn: (message) => onWarning(message, executionId) });
    }
    const wait = scaledWaitHandler({ timeScale: scaleNow(options.timeScale), clock, signal: controller.signal, ...(changingScale ? { changingScale } : {}) });
    for (const state of prepared.waitStates) localHandlers[state] = wait;

    const arn = (kind: string, ...names: string[]) => ['arn:aws:states', LOCAL_REGION, LOCAL_ACCOUNT, kind, ...names].join(':');
    const run = prepared.machine.run(input as never, {
      overrides: { taskResourceLocalHandlers: localHandlers as never, retryIntervalOverrides: prepared.retryOverrides },
      noThrowOnAbort: true,
      context: {
        Execution: { Id: arn('execution', prepared.name, executionId), Name: executionId },
        StateMachine: { Id: arn('stateMachine', prepared.name), Name: prepared.name },
      },
    });
    controller.signal.addEventListener('abort', () => run.abort(), { once: true });

    const visitedStates: string[] = [];
    const logged = (async () => {
      for await (const event of run.eventLogs) if (event.type === 'StateEntered') visitedStates.push(event.state.name);
    })();

    const settle = async (): Promise<ExecutionOutcome> => {
      let outcome: ExecutionOutcome;
      try {
        const output = await run.result;
        outcome = stopReason === 'stop' ? { status: 'STOPPED' } : stopReason === 'abort' ? { status: 'ABORTED' } : { status: 'SUCCEEDED', output };
      } catch (error) {
        outcome = failureOf(error);
      }
      await logged;
      if (outcome.status !== 'STOPPED') {
        await store.finish(executionId, outcome, clock().toISOString()).catch((error: unknown) => onError(error, executionId));
      }
      live.delete(executionId);
      return outcome;
    };
    const result = settle();
    const end = (reason: 'abort' | 'stop') => {
      stopReason ??= reason;
      controller.abort();
      return result;
    };
    const execution: LocalExecution = { executionId, stateMachine: prepared.name, result, visitedStates, abort: () => end('abort') };
    live.set(executionId, { execution, stop: () => end('stop') });
    return execution;
  };

  /** The execution already recorded under this id (start is idempotent on the execution id). */
  const existing = async (executionId: string): Promise<LocalExecution> => {
    const current = live.get(executionId);
    if (current) return current.execution;
    const record = await store.get(executionId);
    if (!record) throw new Error(`execution ${executionId} vanished`);
    if (record.status === 'RUNNING') throw new Error(`execution ${executionId} is RUNNING from a previous process: call recover()`);
    const outcome = outcomeOf(record);
    return { executionId, stateMachine: record.stateMachine, result: Promise.resolve(outcome), visitedStates: [], abort: async () => outcome };
  };

  const startExecution = async (name: string, input: unknown, opts: { executionId?: string } = {}): Promise<LocalExecution> => {
    if (stopped) throw new Error('the runner is stopped');
    const prepared = runnable(name);
    const executionId = opts.executionId ?? newId();
    if (live.has(executionId)) return existing(executionId);
    const created = await store.create({ executionId, stateMachine: name, input, startedAt: clock().toISOString() });
    return created ? launch(prepared, executionId, input) : existing(executionId);
  };

  return {
    stateMachineNames: (): string[] => [...machines.keys()],

    stateMachines: (): StateMachineInfo[] =>
      [...machines.values()].map(({ name, logicalId, workflow, tasks, problems }) => ({
        name,
        logicalId,
        ...(workflow ? { workflow } : {}),
        tasks,
        problems,
      })),

    startExecution,

    /**
     * For the local event router (subscription target `{ kind: 'stateMachine', workflow }`): starts
     * the state machine tagged `keiro:workflow = workflow`. Pass an executionId derived from the
     * event id to make redeliveries start nothing new.
     */
    startWorkflow: async (workflow: string, input: unknown, opts: { executionId?: string } = {}): Promise<LocalExecution> => {
      const prepared = [...machines.values()].find((m) => m.workflow === workflow);
      if (!prepared) throw new Error(`no state machine is tagged keiro:workflow=${workflow}`);
      return startExecution(prepared.name, input, opts);
    },

    describeExecution: (executionId: string): Promise<ExecutionRecord | undefined> => store.get(executionId),

    listExecutions: (status?: ExecutionStatus): Promise<ExecutionRecord[]> => store.list(status),

    /**
     * Restarts, from its original input, every execution left RUNNING by a previous process.
     * Safe because executions only wait and wake, and each task re-reads the truth in DynamoDB.
     * Executions of state machines this runner does not know (or cannot run) are left as they are.
     */
    recover: async (): Promise<{ resumed: LocalExecution[]; skipped: ExecutionRecord[] }> => {
      if (stopped) throw new Error('the runner is stopped');
      const resumed: LocalExecution[] = [];
      const skipped: ExecutionRecord[] = [];
      for (const record of await store.list('RUNNING')) {
        if (live.has(record.executionId)) continue;
        const prepared = machines.get(record.stateMachine);
        if (!prepared?.machine || prepared.problems.length > 0) {
          skipped.push(record);
          continue;
        }
        await store.countRestart(record.executionId);
        resumed.push(launch(prepared as PreparedMachine & { machine: StateMachine }, record.executionId, record.input));
      }
      return { resumed, skipped };
    },

    /** Stops every live execution without recording an outcome: they stay RUNNING for recover(). */
    stop: async (): Promise<void> => {
      stopped = true;
      await Promise.all([...live.values()].map((entry) => entry.stop()));
    },
  };
};

export type LocalSfnRunner = ReturnType<typeof createLocalSfnRunner>;
