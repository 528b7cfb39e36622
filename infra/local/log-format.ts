/**
 * What `npm start` prints while it runs. `text` (the default): one readable line per business event
 * (infra/local/events/business-lines.ts), and only the warnings and errors of the Lambdas' JSON log.
 * `json` (`--verbose` or `LOG_FORMAT=json`): every JSON log line and EMF metric line, exactly as the
 * Lambdas write them to CloudWatch Logs in AWS (where nothing of this applies: the JSON stays).
 */
export type LogFormat = 'text' | 'json';

export const LOG_FORMATS: readonly LogFormat[] = ['text', 'json'];

/** `--verbose` wins; else `LOG_FORMAT`; else text. An unknown LOG_FORMAT is an error naming the choices. */
export const logFormatFrom = (verbose: boolean, logFormat: string | undefined): LogFormat => {
  if (verbose) return 'json';
  if (logFormat === undefined || logFormat === '') return 'text';
  const format = logFormat.toLowerCase();
  if (!(LOG_FORMATS as readonly string[]).includes(format)) throw new Error(`LOG_FORMAT must be one of ${LOG_FORMATS.join(', ')}, got ${logFormat}`);
  return format as LogFormat;
};

/**
 * Sets the Powertools environment for the format, before the logger and the metrics are built (so, before
 * the local cloud is imported). Settings the user gave explicitly are left alone.
 */
export const applyLogFormat = (format: LogFormat, env: NodeJS.ProcessEnv = process.env): void => {
  if (format === 'json') return;
  env.POWERTOOLS_METRICS_DISABLED ??= 'true';
  env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
};
