import { describePipelineEngine } from './pipeline-engine.scenarios';

describe('PipelineEngine on in-memory stores', () => describePipelineEngine('in-memory'));
