import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { mergedDefinitionBody, wrappedDefinitionBody } from '../../../shared/http/editable-body.js';
import { parseOrThrow } from '../../../shared/http/validation.js';
import { Invalid } from '../../../shared/domain/errors.js';

const Definition = z.strictObject({ name: z.string().min(1), steps: z.array(z.strictObject({ id: z.string() })).min(1), tags: z.array(z.string()).default([]) });
const View = z.object({ id: z.string(), name: z.string(), version: z.number().int(), definition: Definition, createdAt: z.string() });
const Wrapped = wrappedDefinitionBody(Definition, View, 'definition');
const Merged = mergedDefinitionBody(Definition, Definition.safeExtend({ id: z.string(), version: z.number().int(), active: z.boolean() }));

const definition = { name: 'Intake', steps: [{ id: 'a' }], tags: [] };
const view = { id: 'w1', name: 'Intake', version: 3, definition, createdAt: '2026-01-01T00:00:00.000Z' };

/** The field paths a body is refused at (nothing when it is taken). */
const refusedAt = (schema: z.ZodType, body: unknown): string[] => {
  try {
    parseOrThrow(schema, body, 'request body');
    return [];
  } catch (error) {
    if (!(error instanceof Invalid)) throw error;
    return error.errors.map((e) => e.path);
  }
};

describe('a definition body that takes what GET answers', () => {
  it.each<[string, unknown]>([
    ['the view as GET answers it', view],
    ['the view without its metadata', { definition }],
    ['the view with metadata that no longer matches (ignored)', { ...view, id: 'other', version: 1, name: 'Other' }],
    ['the definition flat', definition],
  ])('takes %s and yields the definition alone', (_what, body) => {
    expect(Wrapped.parse(body)).toEqual(definition);
  });

  it.each<[string, unknown, string[]]>([
    ['a bad field inside the view', { ...view, definition: { ...definition, steps: [{ id: 7 }] } }, ['definition.steps.0.id']],
    ['the same bad field flat', { ...definition, steps: [{ id: 7 }] }, ['steps.0.id']],
    ['metadata of the wrong type', { ...view, version: 'three' }, ['version']],
    ['a misspelt key beside the definition', { ...view, definitoin: definition }, ['(root)']],
    ['definition fields mixed into the view', { ...view, steps: [] }, ['(root)']],
    ['a null definition', { ...view, definition: null }, ['definition']],
    ['an array', [definition], ['(root)']],
    ['null', null, ['(root)']],
    ['a string', 'definition', ['(root)']],
    ['a __proto__ key', JSON.parse('{"__proto__": {"definition": {}}, "name": "x", "steps": [{"id": "a"}]}'), ['(root)']],
  ])('refuses %s at the path of the form sent', (_what, body, paths) => {
    expect(refusedAt(Wrapped, body)).toEqual(paths);
  });

  it('refuses a definition that has a field named like its wrapper (it could not be told from its view)', () => {
    expect(() => wrappedDefinitionBody(z.strictObject({ definition: z.string() }), z.object({ definition: z.string() }), 'definition')).toThrow(/cannot be told/);
  });

  it('takes a merged view back with its metadata, or without, and drops the metadata', () => {
    expect(Merged.parse({ ...definition, id: 'r1', version: 2, active: true })).toEqual(definition);
    expect(Merged.parse(definition)).toEqual(definition);
    expect(refusedAt(Merged, { ...definition, active: 'yes' })).toEqual(['active']);
    expect(refusedAt(Merged, { ...definition, secret: 1 })).toEqual(['(root)']);
  });

  it('documents both forms, the metadata read-only', () => {
    const doc = z.toJSONSchema(Wrapped, { io: 'input' }) as { anyOf: Array<{ properties?: Record<string, { readOnly?: boolean }> }> };
    expect(doc.anyOf).toHaveLength(2);
    expect(doc.anyOf[1]?.properties?.version?.readOnly).toBe(true);
    expect(doc.anyOf[1]?.properties?.definition?.readOnly).toBeUndefined();
  });
});
