import * as z from 'zod';

/**
 * A module-level zod schema that is built on first use instead of at import.
 *
 * Why: a cold start imports every schema its modules declare (definitions, events, routes: 500 to
 * 3,600 zod instances a function), though one invocation uses a handful. Building them was the
 * largest part of Keiro's own module-load time (tests/README.md, "Cold starts").
 *
 * `lazySchema(() => z.object(...))` is typed as the schema itself and behaves as it: every property
 * (`parse`, `shape`, `safeExtend`, `_zod`, …) is read from the schema, built by `build` on the first
 * read. Unlike `z.lazy`, the result keeps its own API (an object stays an object), so a declaration
 * changes by its wrapper only. A schema built from others reads them inside its `build`, so that
 * building it does not build them early; one read at module level (`X.shape.y`) builds `X` at import.
 *
 * The schema `build` returns is re-constructed on the lazy object itself (zod's constructors take any
 * object), and its metadata (`.meta({ id })`) registered for it: zod keys its registry, JSON Schema
 * conversion and cycle detection by object, so there is one object, the one modules export.
 */
export const lazySchema = <T extends z.ZodType>(build: () => T): T => {
  const target = Object.create(null) as T;
  let built = false;
  const ensureBuilt = (): T => {
    if (!built) {
      // A build that throws keeps nothing: the next use builds again (and throws the same).
      const schema = build();
      built = true;
      // Re-run the schema's own constructor on the lazy object (as zod's clone does on a new one): the
      // closures zod keeps (parse, JSON Schema) then refer to the object everyone holds, not to a copy.
      Object.setPrototypeOf(target, Object.getPrototypeOf(schema));
      (schema._zod.constr as unknown as (this: T, def: unknown) => T).call(lazy, schema._zod.def);
      const meta = z.globalRegistry.get(schema);
      if (meta !== undefined) z.globalRegistry.add(lazy, meta);
    }
    return target;
  };
  const lazy: T = new Proxy(target, {
    get: (_, key, receiver) => Reflect.get(ensureBuilt(), key, receiver),
    set: (_, key, value, receiver): boolean => Reflect.set(ensureBuilt(), key, value, receiver),
    has: (_, key) => Reflect.has(ensureBuilt(), key),
    getPrototypeOf: () => Reflect.getPrototypeOf(ensureBuilt()),
    setPrototypeOf: (_, proto) => Reflect.setPrototypeOf(ensureBuilt(), proto),
    ownKeys: () => Reflect.ownKeys(ensureBuilt()),
    getOwnPropertyDescriptor: (_, key) => Reflect.getOwnPropertyDescriptor(ensureBuilt(), key),
    defineProperty: (_, key, descriptor) => Reflect.defineProperty(ensureBuilt(), key, descriptor),
    deleteProperty: (_, key) => Reflect.deleteProperty(ensureBuilt(), key),
  });
  return lazy;
};
