import type { BundledFile } from '../shared/adapters/bundled-file.js';
import type { Area } from '../shared/http/route-spec.js';
import { SYSTEM_BUNDLED_FILES } from './system/docs.js';

/** Per area, the package files its Lambda serves as is; CDK copies them into the area's bundle. */
export const AREA_BUNDLED_FILES: Partial<Record<Area, readonly BundledFile[]>> = {
  system: SYSTEM_BUNDLED_FILES,
};
