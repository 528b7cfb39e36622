/** Just enough of the Amazon States Language shape to walk and rewrite definitions. */
export type AslState = { Type: string } & Record<string, unknown>;
export interface AslDefinition {
  StartAt: string;
  States: Record<string, AslState>;
  QueryLanguage?: string;
  [field: string]: unknown;
}

/** Local handlers answer like the Lambda function would: plain input in, plain output out. */
export type LocalHandler = (input: unknown) => Promise<unknown>;

const nestedDefinitions = (state: AslState): AslDefinition[] => {
  if (state.Type === 'Parallel') return (state.Branches as AslDefinition[] | undefined) ?? [];
  if (state.Type === 'Map') return [state.ItemProcessor ?? state.Iterator].filter(Boolean) as AslDefinition[];
  return [];
};

/** Visits every state, including those inside Parallel branches and Map processors. */
export const visitStates = (definition: AslDefinition, visit: (name: string, state: AslState) => void): void => {
  for (const [name, state] of Object.entries(definition.States)) {
    visit(name, state);
    for (const nested of nestedDefinitions(state)) visitStates(nested, visit);
  }
};
