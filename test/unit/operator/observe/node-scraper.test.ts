import { describe, expect, it } from 'vitest';

import { parseConnections } from '../../../../operator/observe/node-scraper.js';

describe('parseConnections', () => {
  it('reads the gauge from Prometheus text', () => {
    const text = '# HELP ringcast_node_connections Client connections.\n# TYPE ringcast_node_connections gauge\nringcast_node_connections 2000\nringcast_node_users 3\n';
    expect(parseConnections(text)).toBe(2000);
    expect(parseConnections('ringcast_node_connections{node="a"} 7\n')).toBe(7);
    expect(parseConnections('other 1\n')).toBeUndefined();
  });
});
