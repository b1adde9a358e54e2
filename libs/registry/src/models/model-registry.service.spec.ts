import { describeModelRegistry } from './model-registry.service.scenarios';

describe('ModelRegistryService on the in-memory model store', () => describeModelRegistry('in-memory'));
