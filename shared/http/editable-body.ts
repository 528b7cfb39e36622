import * as z from 'zod';

/*
 * What you read is what you write: the body GET answers for a definition is a body PUT takes, sent
 * back unchanged with If-Match. The metadata around the definition (id, version, timestamps, who
 * created it, ...) is read-only: accepted when sent, checked against its type, and ignored — If-Match
 * carries the version precondition and the path names the resource. The definition alone (flat), as
 * PUT took it before, is still taken.
 */

type AnyObject = z.ZodObject<z.core.$ZodLooseShape>;

const READ_ONLY = { readOnly: true, description: 'Read-only: accepted as GET returns it, and ignored' };

/** The view's fields that are not the definition's own, each optional and read-only. */
const readOnlyFields = (view: AnyObject, keys: string[]): Record<string, z.ZodType> =>
  Object.fromEntries(keys.map((k) => [k, (view.shape[k] as z.ZodType).optional().meta(READ_ONLY)]));

const isObjectWith = (value: unknown, key: string): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && Object.hasOwn(value, key);

/**
 * PUT's body for a definition that GET wraps under `key` (`definition`, `draft`, `assignment`): the
 * view as GET answers it, or the definition flat. Errors keep the paths of the form sent
 * (`definition.screens.0.id` or `screens.0.id`); the OpenAPI document shows both forms.
 */
export const wrappedDefinitionBody = <D extends z.ZodType, V extends AnyObject>(definition: D, view: V, key: keyof V['shape'] & string) => {
  if (definition instanceof z.ZodObject && key in definition.shape) throw new Error(`A definition with its own "${key}" cannot be told from its view`);
  const envelope = z.strictObject({ ...readOnlyFields(view, Object.keys(view.shape).filter((k) => k !== key)), [key]: definition });
  return z
    .preprocess(
      (value, ctx) => {
        // Checked here, against the one form the body is in, so that errors name that form's paths. Each
        // is passed on as a custom issue (same path and message): zod's pipe goes on after an unknown key,
        // and the union would then add a second, vaguer error at the root.
        const checked = (isObjectWith(value, key) ? envelope : definition).safeParse(value);
        if (!checked.success) for (const { path, message } of checked.error.issues) ctx.issues.push({ code: 'custom', path, message, input: value });
        return value;
      },
      z.union([definition, envelope]),
    )
    .transform((body): z.output<D> => (isObjectWith(body, key) ? body[key] : body) as z.output<D>);
};

/**
 * PUT's body for a definition whose fields GET answers at the top level, beside its metadata
 * (workflow rules, cadences, modules): the definition, with the view's other fields read-only.
 */
export const mergedDefinitionBody = <D extends AnyObject, V extends AnyObject>(definition: D, view: V) => {
  const metadata = Object.keys(view.shape).filter((k) => !(k in definition.shape));
  return definition
    .safeExtend(readOnlyFields(view, metadata))
    .transform((body): z.output<D> => Object.fromEntries(Object.entries(body).filter(([k]) => !metadata.includes(k))) as z.output<D>);
};
