import { SignJWT } from 'jose';
import { testSecret } from './test-node.js';

/** Signs an HS256 token with the test secret; `exp` is seconds from now when given. */
export async function hs256Token(claims: Record<string, unknown>, options: { expInSeconds?: number; secret?: string } = {}): Promise<string> {
  let jwt = new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setIssuedAt();
  if (options.expInSeconds !== undefined) jwt = jwt.setExpirationTime(Math.floor(Date.now() / 1000) + options.expInSeconds);
  return jwt.sign(new TextEncoder().encode(options.secret ?? testSecret));
}
