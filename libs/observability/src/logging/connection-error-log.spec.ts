import { EventEmitter } from 'node:events';
import { ConnectionErrorLog } from './connection-error-log';

function recordingLogger() {
  const lines: unknown[] = [];
  return { lines, warn: (message: unknown) => void lines.push(message) };
}

function refused(port: number): Error {
  return Object.assign(new Error(`connect ECONNREFUSED 127.0.0.1:${port}`), { code: 'ECONNREFUSED' });
}

describe('ConnectionErrorLog', () => {
  let clock: number;
  const now = () => clock;

  beforeEach(() => {
    clock = 0;
  });

  it('logs an emitter error as one structured line naming the source, the message and the code', () => {
    const logger = recordingLogger();
    const client = new ConnectionErrorLog(logger, { event: 'redis.error', now }).watch('requests', new EventEmitter());
    client.emit('error', refused(1));
    expect(logger.lines).toEqual([{ event: 'redis.error', source: 'requests', error: 'connect ECONNREFUSED 127.0.0.1:1', code: 'ECONNREFUSED' }]);
  });

  it('logs a recurring error once per interval, from every connection together, with how often it recurred', () => {
    const logger = recordingLogger();
    const log = new ConnectionErrorLog(logger, { event: 'redis.error', intervalMs: 30_000, now });
    const [requests, worker] = [log.watch('requests', new EventEmitter()), log.watch('worker training', new EventEmitter())];
    for (let second = 0; second < 30; second += 2) {
      clock = second * 1000;
      requests.emit('error', refused(1));
      worker.emit('error', refused(1));
    }
    expect(logger.lines).toHaveLength(1);
    clock = 31_000;
    worker.emit('error', refused(1));
    expect(logger.lines).toHaveLength(2);
    expect(logger.lines[1]).toMatchObject({ source: 'worker training', repeatedSinceLastLine: 29 });
  });

  it('logs a different error at once', () => {
    const logger = recordingLogger();
    const log = new ConnectionErrorLog(logger, { event: 'redis.error', now });
    log.record('requests', refused(1));
    log.record('requests', new Error('NOAUTH Authentication required.'));
    expect(logger.lines.map((line) => (line as { error: string }).error)).toEqual(['connect ECONNREFUSED 127.0.0.1:1', 'NOAUTH Authentication required.']);
  });

  it('reports the next outage at once after a reset', () => {
    const logger = recordingLogger();
    const log = new ConnectionErrorLog(logger, { event: 'redis.error', now });
    log.record('requests', refused(1));
    log.reset();
    log.record('requests', refused(1));
    expect(logger.lines).toHaveLength(2);
  });
});
