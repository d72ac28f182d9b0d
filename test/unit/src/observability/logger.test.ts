import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../../src/observability/logger.js';

function capture(level: string) {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger(level, { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) });
  return { logger, lines };
}

describe('createLogger', () => {
  it('writes one JSON object per event at or above the level', () => {
    const { logger, lines } = capture('warn');
    logger.info('hidden');
    logger.warn({ channel: 'chat' }, 'shown');
    expect(lines).toEqual([expect.objectContaining({ level: 40, msg: 'shown', channel: 'chat' })]);
  });
  it('accepts Centrifugo\'s "none" as silence', () => {
    const { logger, lines } = capture('none');
    logger.error('nothing');
    expect(lines).toEqual([]);
  });
  it('never writes tokens, secrets or API keys', () => {
    const { logger, lines } = capture('info');
    logger.info({ token: 'eyJ.secret', client: { token: 't' }, api_key: 'k', headers: { authorization: 'apikey k' } }, 'connect');
    const text = JSON.stringify(lines);
    expect(text).not.toContain('eyJ.secret');
    expect(text).not.toContain('apikey k');
    expect(lines[0]).toMatchObject({ token: '[redacted]', client: { token: '[redacted]' }, api_key: '[redacted]' });
  });
});
