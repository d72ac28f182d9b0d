#!/bin/sh
# Owns the namespaces of one real-pods test cluster, outside them, and tears everything down.
#
#   node-supervisor.sh DIR CGROUP INIT PAUSE
#
# Started (detached) by the test process with a pipe on stdin. It creates the cgroup CGROUP in every
# cgroup v1 hierarchy (the kubelet's cgroupRoot), starts INIT as PID 1 of new network, mount and PID
# namespaces, prints "ns <pid>" with that PID as the host sees it, then waits on stdin. A line "stop",
# or end of input because the test process died (even by SIGKILL), tears down: SIGKILL to the
# namespace's PID 1 (the kernel then kills every process in it, containers included, and the mounts and
# the network namespace go with the last of them), removal of CGROUP in every hierarchy (the only thing
# that outlives the namespaces), and, unless the line was "stop-keep", removal of DIR. It prints "stopped"
# last. Nothing is left on the host either way.
set -u
dir=$1 cgroup=$2 init=$3 pause=$4
# The owner may be gone before we write to it: a failed write must not kill us before the teardown.
trap '' PIPE
# A signal to the supervisor itself ends the wait below; the teardown still runs.
command=""
trap 'command=signalled' HUP INT TERM

for hierarchy in /sys/fs/cgroup/*/; do
  mkdir -p "$hierarchy$cgroup" 2>/dev/null || continue
  # A new cpuset cgroup starts with no CPUs or memory nodes; it must inherit them before use.
  if [ -f "$hierarchy$cgroup/cpuset.cpus" ]; then
    cat "${hierarchy}cpuset.cpus" > "$hierarchy$cgroup/cpuset.cpus"
    cat "${hierarchy}cpuset.mems" > "$hierarchy$cgroup/cpuset.mems"
  fi
done

# --kill-child: should this script die first, the namespace dies with it.
unshare --net --mount --pid --fork --mount-proc --kill-child=SIGKILL \
  sh "$init" "$dir" "$pause" </dev/null >"$dir/logs/node-init.log" 2>&1 &
unshare_pid=$!

ns_pid=""
tries=0
while [ -z "$ns_pid" ] && [ "$tries" -lt 200 ]; do
  ns_pid=$(cat "/proc/$unshare_pid/task/$unshare_pid/children" 2>/dev/null | tr -d ' ')
  [ -n "$ns_pid" ] || { tries=$((tries + 1)); sleep 0.05; }
done
echo "ns ${ns_pid:-none}" 2>/dev/null

[ -n "$command" ] || read -r command || command=${command:-orphaned}

[ -n "$ns_pid" ] && kill -KILL "$ns_pid" 2>/dev/null
wait "$unshare_pid" 2>/dev/null
# Containers' cgroups are removed leaves first; a cgroup whose last task is still exiting refuses rmdir
# for a moment, hence the retries.
for attempt in 1 2 3 4 5 6 7 8 9 10; do
  left=0
  for hierarchy in /sys/fs/cgroup/*/; do
    [ -d "$hierarchy$cgroup" ] || continue
    find "$hierarchy$cgroup" -depth -type d -exec rmdir {} \; 2>/dev/null
    [ -d "$hierarchy$cgroup" ] && left=1
  done
  [ "$left" = 0 ] && break
  sleep 0.2
done
[ "$command" = stop-keep ] || rm -rf "$dir"
echo stopped
