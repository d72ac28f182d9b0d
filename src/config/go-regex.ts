/**
 * Compiles a Go (RE2) regular expression from a Centrifugo config as a JavaScript RegExp. Handles the RE2
 * spellings that differ: named groups `(?P<name>…)`, leading flag groups `(?i)` / `(?s)` / `(?m)`, and `\A` /
 * `\z`. Throws an Error describing the problem when the pattern is not valid.
 */
export function compileGoRegex(pattern: string): RegExp {
  let source = pattern;
  let flags = '';
  const leading = /^\(\?([ims]+)\)/.exec(source);
  if (leading) {
    flags = [...new Set(leading[1])].join('');
    source = source.slice(leading[0].length);
  }
  if (/\(\?[a-zA-Z-]+[):]/.test(source.replace(/\(\?P?</g, ''))) {
    throw new Error('flag groups are only supported at the start of the pattern');
  }
  source = source.replace(/\(\?P</g, '(?<').replace(/\\A/g, '^').replace(/\\z/g, '$(?![\\s\\S])');
  try {
    return new RegExp(source, `${flags}u`);
  } catch {
    return new RegExp(source, flags); // some RE2 escapes are only accepted outside unicode mode
  }
}
