import { pino, type DestinationStream, type Logger } from 'pino';
import type { LogFormat, LogLevel } from './config.ts';

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

/**
 * JSON lines for collectors; `pretty` (pino-pretty, in a worker thread) for a person at a terminal.
 * Redaction happens before either, so both are safe.
 */
export function createLogger(
  level: LogLevel,
  destination?: DestinationStream,
  format: LogFormat = 'json',
): Logger {
  const options = {
    level,
    base: { service: 'voice-upload-bot' },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
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
