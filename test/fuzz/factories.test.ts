import { FACTORIES } from './entry-points';
import { fuzzEntryPoint } from './harness';

FACTORIES.forEach(fuzzEntryPoint);
