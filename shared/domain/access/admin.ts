import { allow, isAdmin, refuse, type Decision, type Principal } from './principal.js';

/** Operations of the deployment itself (dead letters and their replay): org admins only. */
export const decideOpsAdmin = (p: Principal): Decision => (isAdmin(p) ? allow : refuse('Only an org admin may manage dead letters'));
