import { gridStepName, parseStepJobId, stepJobId } from './step-job-id';

describe('step job ids', () => {
  it.each([
    ['prepare', 0],
    ['train-wide', 3],
    [gridStepName('train', 12), 1],
  ])('round-trips step %s of generation %d', (step, generation) => {
    const runId = `run-${Date.now().toString(36)}-ab12`;
    expect(parseStepJobId(stepJobId(runId, step, generation))).toEqual({ runId, step, generation });
  });

  it('never contains a colon (BullMQ rejects custom ids with one)', () => {
    expect(stepJobId('run-1', gridStepName('train', 2), 0)).not.toContain(':');
  });

  it('ignores ids that are not pipeline steps', () => {
    expect(parseStepJobId('42')).toBeUndefined();
    expect(parseStepJobId('run-1.evaluate')).toBeUndefined();
    expect(parseStepJobId('run-1.Train.0')).toBeUndefined();
    expect(parseStepJobId('repeat:abc:123')).toBeUndefined();
  });
});
