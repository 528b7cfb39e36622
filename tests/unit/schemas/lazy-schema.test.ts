import * as z from 'zod';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { lazySchema } from '../../../shared/domain/lazy-schema.js';

/** zod's own hook, called once for every schema instance it constructs. */
const countConstructions = (): { count: () => number; stop: () => void } => {
  const config = (globalThis as { __zod_globalConfig?: { postProcessor?: (inst: unknown) => void } }).__zod_globalConfig!;
  const before = config.postProcessor;
  let count = 0;
  config.postProcessor = () => {
    count++;
  };
  return { count: () => count, stop: () => (config.postProcessor = before) };
};

const jsonOpts = { target: 'draft-2020-12', reused: 'inline', unrepresentable: 'any' } as const;

const eagerAddress = (id = 'TestAddress') => z.strictObject({ city: z.string().min(1), zip: z.string().regex(/^\d{3}-\d{4}$/).optional() }).meta({ id, description: 'Where' });

describe('lazySchema: a module-level schema built on first use', () => {
  afterEach(() => vi.restoreAllMocks());

  it('builds nothing until first used, then once', () => {
    const build = vi.fn(() => eagerAddress());
    const counter = countConstructions();
    const Address = lazySchema(build);
    const Person = lazySchema(() => z.object({ name: z.string(), address: Address }));
    counter.stop();
    expect(counter.count()).toBe(0);
    expect(build).not.toHaveBeenCalled();
    const firstUse = countConstructions();
    expect(Person.parse({ name: 'Mika', address: { city: 'Osaka' } })).toEqual({ name: 'Mika', address: { city: 'Osaka' } });
    firstUse.stop();
    expect(firstUse.count()).toBeGreaterThan(0);
    Person.parse({ name: 'Ren', address: { city: 'Kyoto' } });
    expect(build).toHaveBeenCalledTimes(1);
  });

  it('a build that throws is not half-kept: every use throws its error until a build succeeds', () => {
    let attempts = 0;
    const Flaky = lazySchema(() => {
      if (++attempts === 1) throw new Error('not yet');
      return z.string().min(2);
    });
    expect(() => Flaky.parse('ok')).toThrow('not yet');
    expect(Flaky.parse('ok')).toBe('ok');
    expect(Flaky.safeParse('x').success).toBe(false);
    expect(attempts).toBe(2);
  });

  it('accepts, refuses and reports field paths exactly as the eager schema does', () => {
    const eager = z.object({ address: eagerAddress() });
    const lazy = z.object({ address: lazySchema(() => eagerAddress()) });
    for (const input of [{ address: { city: 'Nara', zip: '630-8580' } }, { address: { city: '', zip: 'x' } }, { address: { city: 'Nara', extra: 1 } }, { address: 'Nara' }, null]) {
      const a = eager.safeParse(input);
      const b = lazy.safeParse(input);
      expect(b.success).toBe(a.success);
      expect(b.data).toEqual(a.data);
      expect(b.error?.issues).toEqual(a.error?.issues);
    }
  });

  it('keeps the schema’s own API: shape, safeExtend, instanceof, enum options, meta', () => {
    const Address = lazySchema(() => eagerAddress());
    const Status = lazySchema(() => z.enum(['open', 'closed']));
    expect(Object.keys(Address.shape)).toEqual(['city', 'zip']);
    expect(Address.safeExtend({ country: z.string() }).parse({ city: 'Kobe', country: 'JP' })).toEqual({ city: 'Kobe', country: 'JP' });
    expect(Address).toBeInstanceOf(z.ZodObject);
    expect(Status.options).toEqual(['open', 'closed']);
    expect(Address.meta()).toEqual({ id: 'TestAddress', description: 'Where' });
  });

  it('gives the same JSON Schema as the eager schema, named ids included (the OpenAPI document reads them)', () => {
    const shapeOf = (address: z.ZodType, option: (kind: string) => z.ZodType) =>
      z.object({ choice: z.discriminatedUnion('kind', [option('a') as z.ZodObject, option('b') as z.ZodObject]), home: address.optional(), work: address });
    const EagerAddress = eagerAddress('EagerAddress');
    const eager = shapeOf(EagerAddress, (kind) => z.object({ kind: z.literal(kind), address: EagerAddress }));
    const LazyAddress = lazySchema(() => eagerAddress('LazyAddress'));
    const lazy = lazySchema(() => shapeOf(LazyAddress, (kind) => lazySchema(() => z.object({ kind: z.literal(kind), address: LazyAddress }))));
    for (const io of ['input', 'output'] as const) {
      const eagerJson = JSON.stringify(z.toJSONSchema(eager, { ...jsonOpts, io })).replaceAll('EagerAddress', 'Address');
      expect(eagerJson).toContain('"$ref":"#/$defs/Address"');
      expect(JSON.stringify(z.toJSONSchema(lazy, { ...jsonOpts, io })).replaceAll('LazyAddress', 'Address')).toBe(eagerJson);
    }
  });
});

describe('importing Keiro’s modules builds no schema', () => {
  it('the route table, every area’s operations, every consumer, the step tasks, the subscription table and the event catalog: zero zod instances at import', async () => {
    vi.resetModules();
    const counter = countConstructions();
    try {
      await import('../../../functions/routes.js');
      await import('../../../functions/areas.js');
      await import('../../../functions/events/consumers.js');
      await import('../../../functions/events/outbox-enricher.js');
      await import('../../../stepfunctions/timer/tasks/wake.js');
      await import('../../../stepfunctions/shadow/tasks/page.js');
      await import('../../../functions/subscriptions.js');
      await import('../../../shared/events/catalog/index.js');
    } finally {
      counter.stop();
    }
    expect(counter.count()).toBe(0);
  }, 60_000);
});
