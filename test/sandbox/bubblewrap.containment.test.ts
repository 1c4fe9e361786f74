import { containmentSuite } from './containmentSuite';

// Real bubblewrap: the fallback where there is no Docker.
containmentSuite('bubblewrap');
