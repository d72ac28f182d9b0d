#!/bin/sh
# PID 1 of a real-pods test cluster's namespaces (started by node-supervisor.sh through unshare).
#
#   node-init.sh DIR PAUSE
#
# Makes the private mount namespace and the network the cluster lives in, then execs PAUSE, which reaps
# orphans (containerd's shims re-parent to it) until the supervisor kills the namespace. Every daemon
# is started later by the test process with nsenter into these same namespaces.
set -eu
dir=$1 pause=$2

mount --make-rprivate /
# Paths the kubelet, containerd and the CNI plugins use whatever their configs say: /run/containerd/s
# (shim sockets), /var/lib/kubelet, /var/lib/cni, /var/log/pods, /var/log/containers. Fresh tmpfs mounts
# give them private, throwaway copies.
for path in /run /var/lib /var/log; do mount -t tmpfs -o mode=0755 tmpfs "$path"; done
mkdir -p /var/lib/kubelet /var/lib/cni /var/log/pods /var/log/containers

# Names resolve only through the cluster's DNS; nothing resolves or routes outside the namespace.
mount --bind "$dir/etc/resolv.conf" /etc/resolv.conf
mount --bind "$dir/etc/hosts" /etc/hosts

# The kubelet sets these four sysctls when they differ from what it wants, and they are not per
# namespace: it would change them for the whole machine. Files holding its values, mounted over them in
# this mount namespace only, make it find them already set.
mkdir -p "$dir/sysctl"
for setting in vm/overcommit_memory=1 vm/panic_on_oom=0 kernel/panic=10 kernel/panic_on_oops=1; do
  key=${setting%%=*}
  file="$dir/sysctl/$(echo "$key" | tr / _)"
  echo "${setting#*=}" > "$file"
  mount --bind "$file" "/proc/sys/$key"
done

# The node's address lives on one end of a veth pair whose other end stays here too: components get the
# default route they expect, and packets to any other address die unanswered inside the namespace.
ip link set lo up
ip link add node0 type veth peer name node0p
ip addr add "$(cat "$dir/etc/node-ip")/24" dev node0
ip link set node0 up
ip link set node0p up
ip route add default dev node0

touch "$dir/ns-ready"
exec "$pause"
