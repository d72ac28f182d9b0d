/**
 * Source addresses for loopback targets. One source address reaches one destination through at most ~28k
 * ephemeral ports, so large runs spread their connections over 127.0.0.0/8 (Linux answers on the whole
 * block). `perAddress` connections share each address; addresses avoid .0 and .255 in every octet.
 */
export function loopbackSourceAddress(index: number, perAddress = 64): string {
  const a = Math.floor(index / perAddress);
  const third = (Math.floor(a / 250) % 250) + 1;
  const fourth = (a % 250) + 2;
  const second = (Math.floor(a / 62_500) % 250) + 100;
  return `127.${second}.${third}.${fourth}`;
}
