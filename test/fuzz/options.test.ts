import { OPTIONS } from './entry-points';
import { fuzzEntryPoint } from './harness';

OPTIONS.forEach(fuzzEntryPoint);
