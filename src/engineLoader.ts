import type * as EngineModule from './engine';

export type Engine = typeof EngineModule;
let loaded: Engine | undefined;

/** The engine bundle, required the first time something needs it (never during activation). */
export function engine(): Engine {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a second bundle, loaded lazily on purpose
  loaded ??= require('./engine.js') as Engine;
  return loaded;
}
