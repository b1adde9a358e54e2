import { STEP_NAMES } from './run.schema';
import { parseStepJobId, stepJobId } from './step-job-id';

describe('step job ids', () => {
  it.each(STEP_NAMES)('round-trips the %s step of a run', (step) => {
    const runId = `run-${Date.now().toString(36)}-ab12`;
    expect(parseStepJobId(stepJobId(runId, step))).toEqual({ runId, step });
  });

  it('never contains a colon (BullMQ rejects custom ids with one)', () => {
    expect(stepJobId('run-1', 'train')).not.toContain(':');
  });

  it('ignores ids that are not pipeline steps', () => {
    expect(parseStepJobId('42')).toBeUndefined();
    expect(parseStepJobId('run-1.evaluate')).toBeUndefined();
  });
});
