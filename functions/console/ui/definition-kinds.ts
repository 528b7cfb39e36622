/**
 * The five kinds of definition a shadow run can try, as the console reads them from the public API:
 * where each is listed and read, and which part of what GET answers is the draft. Pure: no DOM.
 */
export const DEFINITION_KINDS = ['blueprint', 'workflowRule', 'approvalProcess', 'cadence', 'journey'] as const;
export type DefinitionKind = (typeof DEFINITION_KINDS)[number];

interface KindInfo {
  label: string;
  plural: string;
  /** The collection path under /v1. */
  path: string;
}

export const KINDS: Record<DefinitionKind, KindInfo> = {
  blueprint: { label: 'Blueprint', plural: 'Blueprints', path: 'blueprints' },
  workflowRule: { label: 'Workflow rule', plural: 'Workflow rules', path: 'workflow-rules' },
  approvalProcess: { label: 'Approval process', plural: 'Approval processes', path: 'approval-processes' },
  cadence: { label: 'Cadence', plural: 'Cadences', path: 'cadences' },
  journey: { label: 'Journey', plural: 'Journeys', path: 'journeys' },
};

export const isDefinitionKind = (kind: string | null): kind is DefinitionKind => (DEFINITION_KINDS as readonly string[]).includes(kind ?? '');

/** What GET /v1/<kind>/{id} answers, as far as the console needs it (the rest stays in the draft). */
export type DefinitionView = Record<string, unknown> & { id: string };

/** Metadata GET answers beside a flat definition: read-only, never part of a draft (a workflow rule's `active` is its own; a cadence's is not). */
const READ_ONLY: Partial<Record<DefinitionKind, readonly string[]>> = {
  workflowRule: ['id', 'version', 'createdBy', 'createdAt', 'updatedAt'],
  cadence: ['id', 'version', 'active', 'createdAt', 'updatedAt'],
};

/**
 * The draft as the definition alone: a blueprint's or approval process's `draft`, a journey's
 * `definition`, or a flat definition (workflow rule, cadence) without its read-only metadata.
 */
export const draftOf = (kind: DefinitionKind, view: DefinitionView): Record<string, unknown> => {
  if (kind === 'blueprint' || kind === 'approvalProcess') return (view.draft ?? {}) as Record<string, unknown>;
  if (kind === 'journey') return (view.definition ?? {}) as Record<string, unknown>;
  return Object.fromEntries(Object.entries(view).filter(([key]) => !READ_ONLY[kind]?.includes(key)));
};

/** The definition's name as people know it. */
export const nameOf = (kind: DefinitionKind, view: DefinitionView): string => {
  const name = view.name ?? draftOf(kind, view).name;
  return typeof name === 'string' && name ? name : view.id;
};

/** The module the definition acts on (a journey may span several: none then). */
export const moduleOf = (kind: DefinitionKind, view: DefinitionView): string | undefined => {
  const module = view.module ?? draftOf(kind, view).module;
  return typeof module === 'string' ? module : undefined;
};

/** Where the definition stands: what is live, and whether the saved draft differs from it. */
export const standingOf = (kind: DefinitionKind, view: DefinitionView): string => {
  if (typeof view.publishedVersion === 'number') {
    const published = view.publishedVersion;
    return published === 0 ? 'never published' : `published version ${published}${typeof view.revision === 'number' ? ` · draft revision ${view.revision}` : ''}`;
  }
  const version = typeof view.version === 'number' ? `version ${view.version}` : '';
  const active = typeof view.active === 'boolean' ? (view.active ? 'active' : 'inactive') : '';
  return [version, active].filter(Boolean).join(' · ') || KINDS[kind].label;
};

/**
 * The draft text the editor shows, and what it parses to: a JSON object, or the message of why not
 * (shown at the field before anything is sent).
 */
export const parseDraft = (text: string): { draft: Record<string, unknown> } | { error: string } => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return { error: `Not JSON: ${(error as Error).message}` };
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return { error: 'The draft must be a JSON object (a definition)' };
  return { draft: parsed as Record<string, unknown> };
};
