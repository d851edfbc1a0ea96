import { CONSTRUCTORS } from './entry-points';
import { fuzzEntryPoint } from './harness';

CONSTRUCTORS.forEach(fuzzEntryPoint);
