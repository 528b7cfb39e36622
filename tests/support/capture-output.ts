import { resetMetricsForTests } from '../../shared/adapters/metrics.js';
import { logger } from '../../shared/adapters/telemetry.js';

export interface CapturedOutput {
  /** Everything written so far, as one text (stdout, stderr and console, in order). */
  text: () => string;
  /** The lines that parse as JSON objects (Powertools log lines and EMF metric lines). */
  json: () => Array<Record<string, any>>;
  restore: () => void;
}

const CONSOLE_METHODS = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const;

/**
 * Captures everything the process logs from now on: `process.stdout`/`process.stderr` writes (the
 * Powertools logger and metrics write there through their own Console), and the global console. Turns
 * the telemetry fully on while capturing (every log level, EMF metric lines), as in the local cloud.
 */
export const captureOutput = (): CapturedOutput => {
  const chunks: string[] = [];
  const keep = (chunk: unknown) => void chunks.push(typeof chunk === 'string' ? chunk : Buffer.isBuffer(chunk) ? chunk.toString('utf8') : String(chunk));
  const stdoutWrite = process.stdout.write;
  const stderrWrite = process.stderr.write;
  const originalConsole = Object.fromEntries(CONSOLE_METHODS.map((m) => [m, console[m]]));
  const capture = (chunk: unknown, ...rest: unknown[]) => {
    keep(chunk);
    const done = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
    done?.();
    return true;
  };
  process.stdout.write = capture as typeof process.stdout.write;
  process.stderr.write = capture as typeof process.stderr.write;
  for (const m of CONSOLE_METHODS) console[m] = (...args: unknown[]) => keep(`${args.map((a) => (typeof a === 'string' ? a : a instanceof Error ? `${a.stack}` : JSON.stringify(a))).join(' ')}\n`);
  const level = logger.getLevelName();
  const metricsDisabled = process.env.POWERTOOLS_METRICS_DISABLED;
  logger.setLogLevel('DEBUG');
  process.env.POWERTOOLS_METRICS_DISABLED = 'false';
  // The metrics port reads its switch once: have it read the one just set (and, on restore, the old one).
  resetMetricsForTests();
  const text = () => chunks.join('');
  return {
    text,
    json: () =>
      text()
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .flatMap((line) => {
          try {
            return [JSON.parse(line) as Record<string, any>];
          } catch {
            return [];
          }
        }),
    restore: () => {
      process.stdout.write = stdoutWrite;
      process.stderr.write = stderrWrite;
      for (const m of CONSOLE_METHODS) console[m] = originalConsole[m] as (typeof console)[typeof m];
      logger.setLogLevel(level);
      if (metricsDisabled === undefined) delete process.env.POWERTOOLS_METRICS_DISABLED;
      else process.env.POWERTOOLS_METRICS_DISABLED = metricsDisabled;
      resetMetricsForTests();
    },
  };
};

/** The digits of a phone number after its leading zeros or country code: what any format of it still contains. */
export const phoneCore = (phone: string): string => phone.replace(/\D/g, '').replace(/^(81|1)?0*/, '').slice(-8);

/**
 * Where personal data appears in `text`: each email (case-insensitive), each phone in any format (the
 * text's digit runs joined across separators, searched for the phone's last 8 digits) and each name or
 * message text. Returns the values found (an empty list is the goal).
 */
export const findPersonalData = (text: string, data: { emails: string[]; phones: string[]; texts: string[] }): string[] => {
  const lower = text.toLowerCase();
  const digits = text.replace(/(?<=\d)[\s().+\-/]+(?=\d)/g, '');
  return [
    ...data.emails.filter((e) => lower.includes(e.toLowerCase())),
    ...data.phones.filter((p) => digits.includes(phoneCore(p))),
    ...data.texts.filter((t) => lower.includes(t.toLowerCase())),
  ];
};
