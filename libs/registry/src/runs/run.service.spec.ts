import { describeRunService } from './run.service.scenarios';

describe('RunService on the in-memory run store', () => describeRunService('in-memory'));
