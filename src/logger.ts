import { pino, type DestinationStream, type Logger } from 'pino';
import type { LogFormat, LogLevel } from './config.ts';
import { redactCredentials } from './redact.ts';

export type { Logger };

/**
 * Paths that may hold a credential. Redaction is configured here, so a secret that reaches a log
 * call by accident (a config object, request headers, an interaction token) is still never written.
 */
const REDACTED_PATHS = [
  'token',
  'apiKey',
  'authorization',
  'headers.authorization',
  '*.token',
  '*.apiKey',
  '*.authorization',
  '*.headers.authorization',
  'config.discord.token',
  'config.dmxapi.apiKey',
];

export interface LoggerOptions {
  /** Values never written anywhere in a line (the bot token, the DMXAPI key). */
  readonly secrets?: readonly string[] | undefined;
}

/**
 * JSON lines for collectors; `pretty` (pino-pretty, in a worker thread) for a person at a terminal.
 * Redaction happens before either, so both are safe: by path for fields named like a credential,
 * then over the finished line for credentials anywhere in it (a token in `DiscordAPIError.url`, in a
 * message, a stack or a nested cause).
 */
export function createLogger(
  level: LogLevel,
  destination?: DestinationStream,
  format: LogFormat = 'json',
  { secrets = [] }: LoggerOptions = {},
): Logger {
  const options = {
    level,
    base: { service: 'voice-upload-bot' },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    hooks: { streamWrite: (line: string) => redactCredentials(line, secrets) },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  if (format === 'pretty' && destination === undefined) {
    return pino({
      ...options,
      transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss.l' } },
    });
  }
  return pino(options, destination);
}
