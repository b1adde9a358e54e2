import { createServer } from 'node:net';
import { findFreePort } from './free-port';

describe('findFreePort', () => {
  it('gives a TCP port that can then be listened on', async () => {
    const port = await findFreePort();
    expect(Number.isInteger(port)).toBe(true);
    expect(port).toBeGreaterThan(0);
    expect(port).toBeLessThanOrEqual(65_535);
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', resolve);
    });
    try {
      expect((server.address() as { port: number }).port).toBe(port);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('does not give a port that is in use', async () => {
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    try {
      const busyPort = (busy.address() as { port: number }).port;
      expect(await findFreePort()).not.toBe(busyPort);
    } finally {
      await new Promise((resolve) => busy.close(resolve));
    }
  });
});
