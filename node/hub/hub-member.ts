/**
 * What the hub needs to know of a session to index it. The hub and the node context are generic over the
 * session type, so neither imports the session (which itself depends on the node context).
 */
export interface HubMember {
  readonly clientId: string;
  readonly user: string;
}
