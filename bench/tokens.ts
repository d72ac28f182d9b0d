import { SignJWT } from 'jose';

/** How clients authenticate: with an HS256 connection token signed here, or not at all (insecure mode). */
export type AuthMode = { kind: 'token'; secret: string } | { kind: 'insecure' };

/** Signs connection tokens for many users; tokens live an hour, long enough for any run. */
export class TokenSigner {
  private readonly key: Uint8Array;
  constructor(secret: string) {
    this.key = new TextEncoder().encode(secret);
  }

  async sign(user: string): Promise<string> {
    return new SignJWT({ sub: user })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(this.key);
  }
}

/** The connect command's JSON (id 1) for a user under `auth`. */
export async function connectCommand(auth: AuthMode, signer: TokenSigner | undefined, user: string): Promise<string> {
  if (auth.kind === 'insecure' || !signer) return '{"id":1,"connect":{}}';
  return `{"id":1,"connect":{"token":${JSON.stringify(await signer.sign(user))}}}`;
}
