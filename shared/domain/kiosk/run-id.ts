/**
 * A kiosk run's id names the kiosk version it runs: `<ulid>.<kiosk id>.<version>`. A submit can then
 * fetch what that version's next actions need (modules, records the answers point at) in the same
 * round trip as the run itself. The id is only a hint: the run item says which version it runs, and a
 * hint that disagrees with it (a forged or an older plain id) is ignored.
 */
const SEP = '.';
/** The route's bound on a run id (RunParams). */
export const MAX_RUN_ID_LENGTH = 64;

export interface RunIdHint {
  kioskId: string;
  version: number;
}

/** The id of a new run; a plain id when the kiosk's id would make it too long (or ambiguous). */
export const composeRunId = (unique: string, kioskId: string, version: number): string => {
  const id = [unique, kioskId, version].join(SEP);
  const named = unique !== '' && kioskId !== '' && !kioskId.includes(SEP) && !unique.includes(SEP) && Number.isSafeInteger(version) && version >= 1;
  return named && id.length <= MAX_RUN_ID_LENGTH ? id : unique;
};

/** The kiosk version a run id names, if it names one. */
export const runIdHint = (runId: string): RunIdHint | undefined => {
  const [unique, kioskId, version, ...rest] = runId.split(SEP);
  if (!unique || !kioskId || !version || rest.length > 0 || !/^[1-9][0-9]{0,9}$/.test(version)) return undefined;
  return { kioskId, version: Number(version) };
};

/** The unique part (a time-ordered id), e.g. to derive ids of what the run creates. */
export const runIdUnique = (runId: string): string => runId.split(SEP)[0] ?? runId;
