import { registrationQueue } from '@slipway/contracts';
import { InvalidJobError } from '../consumer/invalid-job.error';
import { flowNode } from './flow-node';

describe('flowNode', () => {
  const data = { runId: 'run-1', step: 'register', modelName: 'iris', from: 'train' };

  it('rejects a payload that breaks the contract, naming the queue, job and field', () => {
    const build = () => flowNode(registrationQueue, 'register-model', { ...data, modelName: '' }, { prefix: 'p', jobId: 'run-1-register' });
    expect(build).toThrow(InvalidJobError);
    expect(build).toThrow(/registration\/register-model: modelName/);
  });

  it('targets the contract queue under the prefix with the parsed payload', () => {
    const input = { runId: 'run-1', step: 'register', modelName: 'iris', from: 'evaluate' };
    const node = flowNode(registrationQueue, 'register-model', input, { prefix: 'slipway-test', jobId: 'run-1-register' });
    expect(node).toMatchObject({ name: 'register-model', queueName: registrationQueue.name, prefix: 'slipway-test' });
    expect(node.data).toEqual(registrationQueue.jobs['register-model'].data.parse(input));
  });

  it('uses the contract defaults, lets node options override them, and always sets the deterministic id', () => {
    const attempts = registrationQueue.defaultJobOptions.attempts + 1;
    const node = flowNode(registrationQueue, 'register-model', data, {
      prefix: 'p',
      jobId: 'run-1-register',
      opts: { attempts, failParentOnFailure: true, jobId: 'ignored' },
    });
    expect(node.opts).toMatchObject({
      ...registrationQueue.defaultJobOptions,
      attempts,
      failParentOnFailure: true,
      jobId: 'run-1-register',
    });
  });
});
