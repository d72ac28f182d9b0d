import pino, { type DestinationStream, type Logger } from 'pino';

/** Field paths never written to logs, whatever a caller passes (defence in depth: callers must not log them). */
const secretPaths = [
  'token',
  '*.token',
  'hmac_secret_key',
  '*.hmac_secret_key',
  'password',
  '*.password',
  'apiKey',
  '*.apiKey',
  'api_key',
  '*.api_key',
  'authorization',
  '*.authorization',
  'headers.authorization',
  'headers["x-api-key"]',
];

/**
 * The process logger: pino, one JSON object per line to stdout (or `destination`). Accepts Centrifugo's level
 * names; "none" (Centrifugo) and "silent" (pino) turn logging off.
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const pinoLevel = level === 'none' ? 'silent' : level;
  const options = { level: pinoLevel, redact: { paths: secretPaths, censor: '[redacted]' } };
  return destination ? pino(options, destination) : pino(options);
}
