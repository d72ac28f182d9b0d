import type { ChannelOptions } from '../config/config-schema.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

function parsed(data: Uint8Array): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(utf8.decode(data)) };
  } catch {
    return { ok: false };
  }
}

/**
 * Centrifugo's `publication_data_format` rule for a publication's payload: `json` must be valid JSON,
 * `json_object` a JSON object, `binary` anything (even empty); the default ('') only refuses empty data.
 */
export function publicationDataAllowed(data: Uint8Array, format: ChannelOptions['publication_data_format']): boolean {
  switch (format) {
    case 'json':
      return parsed(data).ok;
    case 'json_object': {
      const result = parsed(data);
      return result.ok && typeof result.value === 'object' && result.value !== null && !Array.isArray(result.value);
    }
    case 'binary':
      return true;
    default:
      return data.length > 0;
  }
}
