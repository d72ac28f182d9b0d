/** Centrifugo's `channels` pattern (a glob): `*` any run, `?` one character; '' matches everything. */
export function channelMatcher(pattern: string): (channel: string) => boolean {
  if (!pattern) return () => true;
  const escaped = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  const regex = new RegExp('^' + escaped + '$');
  return (channel) => regex.test(channel);
}
