const base64Pattern = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Standard base64 with padding, as Go's base64.StdEncoding decodes it; null when the text is not valid base64. */
export function decodeStrictBase64(text: string): Uint8Array | null {
  if (!base64Pattern.test(text)) return null;
  return Buffer.from(text, 'base64');
}
