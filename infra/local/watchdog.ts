import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';

/**
 * A POSIX `sh` script that runs a command as its child and ends it when the node process that
 * started the script is gone, however it went (exit, crash or `kill -9`). Node cannot ask the kernel
 * to signal a child when its parent dies (Linux's PR_SET_PDEATHSIG is not exposed), so the script
 * watches instead: once a second it reads its own parent pid, and when that is no longer the node
 * process (the kernel re-parents orphans) it sends SIGTERM, then SIGKILL ten seconds later. Comparing
 * parent pids, rather than probing the old pid, is immune to pid reuse and to a parent left as a
 * zombie. SIGTERM, SIGINT and SIGHUP sent to the script are passed on to the command as SIGTERM,
 * with the same SIGKILL ten seconds later if it has not exited; the script exits with the command's
 * status. The trap is set before the command starts: a signal that arrives while it is starting
 * must not end the script (leaving the command orphaned) but be passed on once its pid is known. The
 * SIGTERM is sent again each second until the command has gone: one sent in the instant between the
 * fork and the exec is taken by the forked shell's inherited trap and lost with the exec.
 */
export const WATCHDOG_SCRIPT = `
parent=$PPID
child=
stopping=0
stop_child() {
  if [ "$stopping" -eq 0 ]; then stopping=1; [ -z "$child" ] || kill -TERM "$child" 2>/dev/null; fi
}
trap stop_child TERM INT HUP
"$@" </dev/null &
child=$!
[ "$stopping" -eq 0 ] || kill -TERM "$child" 2>/dev/null
read_parent() {
  if [ -r "/proc/$$/stat" ]; then read -r _ _ _ now_parent _ <"/proc/$$/stat"
  else now_parent=$(ps -o ppid= -p $$ | tr -d ' '); fi
}
while kill -0 "$child" 2>/dev/null; do
  read_parent
  [ "$now_parent" = "$parent" ] || stop_child
  if [ "$stopping" -gt 0 ]; then
    stopping=$((stopping + 1))
    if [ "$stopping" -gt 10 ]; then kill -KILL "$child" 2>/dev/null
    else kill -TERM "$child" 2>/dev/null; fi
  fi
  sleep 1 &
  wait $!
done
wait "$child"
`;

/**
 * Spawns `command args` under the watchdog script, so that it cannot outlive this node process.
 * The returned ChildProcess is the script: signal it to signal the command; it exits when the
 * command does. `name` shows as the script's `$0` in `ps`.
 */
export const spawnWatched = (name: string, command: string, args: readonly string[], options: SpawnOptions = {}): ChildProcess =>
  spawn('sh', ['-c', WATCHDOG_SCRIPT, name, command, ...args], options);
