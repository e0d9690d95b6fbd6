# Sourced by every cluster test script. The harness sets:
#   T_NR_MOUNTS  how many mounts of one volume the test has
#   T_D0 T_D1 .. the test's own directory, as seen through each mount (the same directory)
#   SCOUTFS      the scoutfs command; SCOUTFS_CONTROL_DIR where the mounts' control sockets are
# Scripts print only what must be the same on every run; the harness compares it with golden/NAME.
set -u

t_mounts() { seq 0 $((T_NR_MOUNTS - 1)); }
t_d() { eval echo "\$T_D$1"; }

# Every mount commits what it changed (walks see committed changes only).
t_sync_all() {
  local i
  for i in $(t_mounts); do "$SCOUTFS" sync "$(t_d "$i")" || echo "sync of mount $i failed"; done
}

# Prints a command's failure as the errno text only, without the command's own wording.
t_err() {
  "$@" 2>&1 >/dev/null | sed -E 's/.*: //' | head -1
}

# Runs a command on every mount and prints each result, prefixed with the mount's number.
t_each() {
  local i out
  for i in $(t_mounts); do
    out=$( ( cd "$(t_d "$i")" && "$@" ) 2>&1 | sed -E 's/^[^:]+: (cannot [^:]+: )?//')
    printf '%s: %s\n' "$i" "$out"
  done
}
