import { containmentSuite } from './containmentSuite';

// Real Docker Engine, real Dev Containers CLI, Airlock's offline image (scripts/sandbox-setup builds it).
containmentSuite('devcontainer');
